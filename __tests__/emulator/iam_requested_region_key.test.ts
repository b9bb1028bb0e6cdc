/**
 * Fix iam_requested_region_key. AWS (IAM User Guide, "AWS global condition context keys":
 * aws:RequestedRegion; EC2 User Guide: ec2:Region): every request carries the Region it is sent to.
 */
import { DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { ListDocumentsCommand, SSMClient } from "@aws-sdk/client-ssm";
import { useEmulator } from "../support/emulator";
import { UserKeys, callAnswer, ec2As, enforceIam, userWithPolicy } from "./iam-fixtures";

describe("emulator fix: requests carry the Region they are sent to", () => {
  const emulator = useEmulator();
  let keys: UserKeys;

  beforeAll(async () => {
    keys = await userWithPolicy(emulator, [
      { Effect: "Allow", Action: ["ec2:DescribeVpcs", "ssm:ListDocuments"], Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": ["us-east-1", "us-west-2"] } } },
      { Effect: "Allow", Action: "ec2:DescribeSubnets", Resource: "*", Condition: { StringEquals: { "ec2:Region": "us-west-2" } } },
    ]);
    await enforceIam(emulator, true);
  });

  const ec2Answer = async (region: string, send: (ec2: ReturnType<typeof ec2As>) => Promise<unknown>) => {
    const ec2 = ec2As(emulator, keys, region);
    try {
      return await callAnswer(() => send(ec2));
    } finally {
      ec2.destroy();
    }
  };

  test("GIVEN EC2 and SSM reads allowed in the pair's Regions only THEN they answer there and are refused elsewhere", async () => {
    const ssm = (region: string) => new SSMClient({ region, endpoint: emulator.current.endpoint, credentials: keys, maxAttempts: 1 });
    const [east, west, ireland] = ["us-east-1", "us-west-2", "eu-west-1"].map(ssm);
    try {
      expect({
        ec2East: await ec2Answer("us-east-1", (ec2) => ec2.send(new DescribeVpcsCommand({}))),
        ec2Ireland: await ec2Answer("eu-west-1", (ec2) => ec2.send(new DescribeVpcsCommand({}))),
        ssmWest: await callAnswer(() => west.send(new ListDocumentsCommand({}))),
        ssmIreland: await callAnswer(() => ireland.send(new ListDocumentsCommand({}))),
      }).toEqual({ ec2East: "allowed", ec2Ireland: "UnauthorizedOperation", ssmWest: "allowed", ssmIreland: "AccessDeniedException" });
    } finally {
      for (const client of [east, west, ireland]) client.destroy();
    }
  });

  test("GIVEN an EC2 read allowed where ec2:Region is us-west-2 THEN it answers there only", async () => {
    expect({
      west: await ec2Answer("us-west-2", (ec2) => ec2.send(new DescribeSubnetsCommand({}))),
      east: await ec2Answer("us-east-1", (ec2) => ec2.send(new DescribeSubnetsCommand({}))),
    }).toEqual({ west: "allowed", east: "UnauthorizedOperation" });
  });
});
