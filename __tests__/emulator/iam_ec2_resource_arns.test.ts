/**
 * Fix iam_ec2_resource_arns. AWS (Service Authorization Reference, Amazon EC2, Resource types
 * column; EC2 User Guide, "Amazon Resource Names for Amazon EC2"): an EC2 action is authorized
 * against the ARN of each resource the request names, `arn:aws:ec2:<region>:<account>:<type>/<id>`
 * (images and snapshots without the account), a created resource as `<type>/*`; every one must
 * be allowed.
 */
import { AssociateDhcpOptionsCommand, CreateImageCommand, CreateTransitGatewayRouteCommand, CreateVolumeCommand, DeleteVolumeCommand, EC2Client, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { EMULATOR_ACCOUNT_ID } from "../../scripts/lib/emulator";
import { useEmulator } from "../support/emulator";
import { createDhcpOptions, createHub, createInstance, createNetwork, createTransitGatewayRouteTable } from "../support/ec2-fixtures";
import { dryRunAnswer, ec2As, enforceIam, userWithPolicy } from "./iam-fixtures";

const REGION = "us-east-1";
const arn = (type: string, id: string) => `arn:aws:ec2:${REGION}:${EMULATOR_ACCOUNT_ID}:${type}/${id}`;

describe("emulator fix: EC2 calls are authorized against the ARNs of the resources they name", () => {
  const emulator = useEmulator();
  let hub: { transitGatewayId: string; attachmentId: string; routeTableId: string };
  let otherRouteTable: string;
  let instances: string[];
  let vpcs: string[];
  let optionSets: string[];
  let volumes: string[];
  let user: EC2Client;
  let imager: EC2Client;

  beforeAll(async () => {
    const admin = emulator.ec2(REGION);
    hub = await createHub(admin, { withRouteTable: true });
    otherRouteTable = await createTransitGatewayRouteTable(admin, hub.transitGatewayId);
    instances = [(await createInstance(admin)).instance.InstanceId!, (await createInstance(admin)).instance.InstanceId!];
    vpcs = [(await createNetwork(admin, "10.61.0.0/16", "10.61.1.0/24")).vpcId, (await createNetwork(admin, "10.62.0.0/16", "10.62.1.0/24")).vpcId];
    optionSets = [(await createDhcpOptions(admin, "one.example.com")).DhcpOptionsId!, (await createDhcpOptions(admin, "two.example.com")).DhcpOptionsId!];
    const volume = async () => (await admin.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 1 }))).VolumeId!;
    volumes = [await volume(), await volume()];
    user = ec2As(
      emulator,
      await userWithPolicy(emulator, [
        // One route table, and routes to attachments; not the other table.
        { Effect: "Allow", Action: "ec2:CreateTransitGatewayRoute", Resource: [arn("transit-gateway-route-table", hub.routeTableId)] },
        { Effect: "Allow", Action: "ec2:CreateTransitGatewayRoute", Resource: [arn("transit-gateway-attachment", "*")] },
        { Effect: "Allow", Action: "ec2:StopInstances", Resource: [arn("instance", instances[0])] },
        { Effect: "Allow", Action: "ec2:CreateImage", Resource: [arn("instance", instances[0]), `arn:aws:ec2:${REGION}::image/*`] },
        // One VPC and one option set.
        { Effect: "Allow", Action: "ec2:AssociateDhcpOptions", Resource: [arn("vpc", vpcs[0]), arn("dhcp-options", optionSets[0])] },
        { Effect: "Allow", Action: "ec2:DeleteVolume", Resource: [arn("volume", volumes[0])] },
      ]),
      REGION,
    );
    imager = ec2As(
      emulator,
      await userWithPolicy(emulator, [
        { Effect: "Allow", Action: "ec2:CreateImage", Resource: [arn("instance", instances[0]), `arn:aws:ec2:${REGION}::image/*`, `arn:aws:ec2:${REGION}::snapshot/*`] },
      ]),
      REGION,
    );
    await enforceIam(emulator, true);
  });

  // Enforcement stays on to the end: this file's emulator is stopped after it, with it.
  afterAll(() => {
    user?.destroy();
    imager?.destroy();
  });

  const route = (routeTableId: string, attachment?: string) => () =>
    user.send(
      new CreateTransitGatewayRouteCommand({
        DryRun: true,
        TransitGatewayRouteTableId: routeTableId,
        DestinationCidrBlock: "10.50.0.0/20",
        ...(attachment ? { TransitGatewayAttachmentId: attachment } : { Blackhole: true }),
      }),
    );

  test("GIVEN a policy allowing one route table WHEN a route is added to it and to another THEN only the first is allowed", async () => {
    expect({ allowed: await dryRunAnswer(route(hub.routeTableId, hub.attachmentId)), other: await dryRunAnswer(route(otherRouteTable, hub.attachmentId)) }).toEqual({
      allowed: "DryRunOperation",
      other: "UnauthorizedOperation",
    });
  });

  test("GIVEN a blackhole route THEN only the route table is authorized (the request names no attachment)", async () => {
    expect(await dryRunAnswer(route(hub.routeTableId))).toBe("DryRunOperation");
  });

  test("GIVEN StopInstances on two instances, one allowed THEN the call is refused: every instance must be allowed", async () => {
    expect({
      one: await dryRunAnswer(() => user.send(new StopInstancesCommand({ DryRun: true, InstanceIds: [instances[0]] }))),
      both: await dryRunAnswer(() => user.send(new StopInstancesCommand({ DryRun: true, InstanceIds: instances }))),
    }).toEqual({ one: "DryRunOperation", both: "UnauthorizedOperation" });
  });

  test("GIVEN CreateImage allowed on the instance and new images, and another user also on new snapshots THEN only the second may image it", async () => {
    const capture = (client: EC2Client) => () => client.send(new CreateImageCommand({ DryRun: true, InstanceId: instances[0], Name: "capture" }));
    expect({ withoutSnapshots: await dryRunAnswer(capture(user)), withSnapshots: await dryRunAnswer(capture(imager)) }).toEqual({
      withoutSnapshots: "UnauthorizedOperation",
      withSnapshots: "DryRunOperation",
    });
  });

  test("GIVEN AssociateDhcpOptions allowed on one VPC and one option set THEN only that pair is allowed: both resources are authorized", async () => {
    const associate = (vpc: string, options: string) => () => user.send(new AssociateDhcpOptionsCommand({ DryRun: true, VpcId: vpc, DhcpOptionsId: options }));
    expect({
      both: await dryRunAnswer(associate(vpcs[0], optionSets[0])),
      otherOptions: await dryRunAnswer(associate(vpcs[0], optionSets[1])),
      otherVpc: await dryRunAnswer(associate(vpcs[1], optionSets[0])),
      noOptions: await dryRunAnswer(associate(vpcs[0], "default")),
    }).toEqual({ both: "DryRunOperation", otherOptions: "UnauthorizedOperation", otherVpc: "UnauthorizedOperation", noOptions: "DryRunOperation" });
  });

  test("GIVEN DeleteVolume allowed on one volume THEN only that volume may be deleted", async () => {
    const remove = (volumeId: string) => () => user.send(new DeleteVolumeCommand({ DryRun: true, VolumeId: volumeId }));
    expect([await dryRunAnswer(remove(volumes[0])), await dryRunAnswer(remove(volumes[1]))]).toEqual(["DryRunOperation", "UnauthorizedOperation"]);
  });
});
