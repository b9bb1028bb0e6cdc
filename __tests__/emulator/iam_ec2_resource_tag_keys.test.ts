/**
 * Fix iam_ec2_resource_tag_keys. AWS (IAM User Guide, "Controlling access to AWS resources using
 * tags"; EC2 User Guide, condition key ec2:ResourceTag): a request on an existing EC2 resource
 * carries that resource's tags as aws:ResourceTag/<key> and ec2:ResourceTag/<key>.
 */
import { CreateTagsCommand, EC2Client, StopInstancesCommand, CreateTransitGatewayRouteCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createHub, createInstance } from "../support/ec2-fixtures";
import { dryRunAnswer, ec2As, enforceIam, userWithPolicy } from "./iam-fixtures";

const REGION = "us-east-1";

describe("emulator fix: EC2 requests carry the tags of the resources they name", () => {
  const emulator = useEmulator();
  let tagged: string;
  let untagged: string;
  let hub: { attachmentId: string; routeTableId: string };
  let user: EC2Client;

  beforeAll(async () => {
    const admin = emulator.ec2(REGION);
    tagged = (await createInstance(admin)).instance.InstanceId!;
    untagged = (await createInstance(admin)).instance.InstanceId!;
    hub = await createHub(admin, { withRouteTable: true });
    await admin.send(new CreateTagsCommand({ Resources: [tagged, hub.routeTableId], Tags: [{ Key: "regionpair:topology", Value: "drpair" }] }));
    user = ec2As(
      emulator,
      await userWithPolicy(emulator, [
        { Effect: "Allow", Action: "ec2:StopInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringEquals: { "aws:ResourceTag/regionpair:topology": "drpair" } } },
        // The route table must be the pair's; the (untagged) attachment may be any.
        { Effect: "Allow", Action: "ec2:CreateTransitGatewayRoute", Resource: "arn:aws:ec2:*:*:transit-gateway-route-table/*", Condition: { StringEquals: { "ec2:ResourceTag/regionpair:topology": "drpair" } } },
        { Effect: "Allow", Action: "ec2:CreateTransitGatewayRoute", Resource: "arn:aws:ec2:*:*:transit-gateway-attachment/*", Condition: { Null: { "aws:ResourceTag/regionpair:topology": "true" } } },
      ]),
      REGION,
    );
    await enforceIam(emulator, true);
  });

  // Enforcement stays on to the end: this file's emulator is stopped after it, with it.
  afterAll(() => user?.destroy());

  const stop = (id: string) => () => user.send(new StopInstancesCommand({ DryRun: true, InstanceIds: [id] }));

  test("GIVEN StopInstances allowed only on instances tagged regionpair:topology=drpair THEN the tagged instance may be stopped and the other not", async () => {
    expect({ tagged: await dryRunAnswer(stop(tagged)), untagged: await dryRunAnswer(stop(untagged)) }).toEqual({ tagged: "DryRunOperation", untagged: "UnauthorizedOperation" });
  });

  test("GIVEN a route table tagged for the pair and an untagged attachment THEN ec2:ResourceTag and Null on aws:ResourceTag decide per resource", async () => {
    const route = () =>
      user.send(new CreateTransitGatewayRouteCommand({ DryRun: true, TransitGatewayRouteTableId: hub.routeTableId, DestinationCidrBlock: "10.50.0.0/20", TransitGatewayAttachmentId: hub.attachmentId }));
    expect(await dryRunAnswer(route)).toBe("DryRunOperation");
  });
});
