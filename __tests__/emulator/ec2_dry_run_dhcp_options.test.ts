/**
 * AWS: AssociateDhcpOptions with DryRun=true is authorized but not performed: DryRunOperation
 * (HTTP 412), and the VPC keeps its option set. (EC2 API Reference: AssociateDhcpOptions, DryRun
 * parameter.)
 */
import { AssociateDhcpOptionsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { createDhcpOptions, createNetwork } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-north-1";
const DRY_RUN = { name: "DryRunOperation", $metadata: { httpStatusCode: 412 } };

describe("DryRun on AssociateDhcpOptions", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let vpcId: string;
  let directory: string;
  let fenced: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    vpcId = (await createNetwork(ec2, "10.83.0.0/16", "10.83.1.0/24")).vpcId;
    directory = (await createDhcpOptions(ec2, "corp.example.com")).DhcpOptionsId!;
    fenced = (await createDhcpOptions(ec2, `${REGION}.compute.internal`)).DhcpOptionsId!;
    await ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: directory }));
  });

  const optionsOfVpc = async () => (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0].DhcpOptionsId;

  it("GIVEN a VPC with one option set WHEN another is associated with DryRun THEN AWS answers DryRunOperation and the VPC keeps the first", async () => {
    await expect(ec2.send(new AssociateDhcpOptionsCommand({ DryRun: true, VpcId: vpcId, DhcpOptionsId: fenced }))).rejects.toMatchObject(DRY_RUN);

    expect(await optionsOfVpc()).toBe(directory);
  });

  it("GIVEN a VPC with an option set WHEN `default` (no options) is associated with DryRun THEN AWS answers DryRunOperation and the VPC keeps its set", async () => {
    await expect(ec2.send(new AssociateDhcpOptionsCommand({ DryRun: true, VpcId: vpcId, DhcpOptionsId: "default" }))).rejects.toMatchObject(DRY_RUN);

    expect(await optionsOfVpc()).toBe(directory);
  });
});
