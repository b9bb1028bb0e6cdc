/**
 * AWS: a TGW route call with DryRun=true is authorized but not performed: DryRunOperation
 * (HTTP 412) and the route table is unchanged. (EC2 API Reference: CreateTransitGatewayRoute,
 * DeleteTransitGatewayRoute, ReplaceTransitGatewayRoute, DryRun parameter.)
 */
import {
  CreateTransitGatewayRouteCommand,
  DeleteTransitGatewayRouteCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { attachVpc, createHub, createNetwork } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-2";
const DRY_RUN = { name: "DryRunOperation", $metadata: { httpStatusCode: 412 } };

describe("DryRun on the transit gateway route calls", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let routeTableId: string;
  let activeId: string;
  let standbyId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    const hub = await createHub(ec2, { cidr: "10.80.0.0/16", subnetCidr: "10.80.1.0/24", withRouteTable: true });
    routeTableId = hub.routeTableId;
    activeId = hub.attachmentId;
    standbyId = await attachVpc(ec2, hub.transitGatewayId, await createNetwork(ec2, "10.81.0.0/16", "10.81.1.0/24"));
    await ec2.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: "172.16.0.0/16", TransitGatewayAttachmentId: activeId }));
  });

  /** Every static route of the table as destination -> target attachment ids and state. */
  const table = async () => {
    const { Routes } = await ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: routeTableId, Filters: [{ Name: "type", Values: ["static"] }] }));
    return Object.fromEntries((Routes ?? []).map((r) => [r.DestinationCidrBlock, { state: r.State, to: (r.TransitGatewayAttachments ?? []).map((a) => a.TransitGatewayAttachmentId) }]));
  };

  it("GIVEN a route table with one route WHEN a route is created with DryRun THEN AWS answers DryRunOperation and no route is added", async () => {
    const before = await table();

    await expect(
      ec2.send(new CreateTransitGatewayRouteCommand({ DryRun: true, TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: "172.17.0.0/16", TransitGatewayAttachmentId: activeId })),
    ).rejects.toMatchObject(DRY_RUN);

    expect(await table()).toEqual(before);
    expect(Object.keys(before)).toEqual(["172.16.0.0/16"]);
  });

  it("GIVEN a route WHEN it is deleted with DryRun THEN AWS answers DryRunOperation and the route stays", async () => {
    await expect(
      ec2.send(new DeleteTransitGatewayRouteCommand({ DryRun: true, TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: "172.16.0.0/16" })),
    ).rejects.toMatchObject(DRY_RUN);

    expect(await table()).toEqual({ "172.16.0.0/16": { state: "active", to: [activeId] } });
  });

  it("GIVEN a route WHEN it is replaced with DryRun THEN AWS answers DryRunOperation and the route keeps its target", async () => {
    await expect(
      ec2.send(new ReplaceTransitGatewayRouteCommand({ DryRun: true, TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: "172.16.0.0/16", TransitGatewayAttachmentId: standbyId })),
    ).rejects.toMatchObject(DRY_RUN);

    expect(await table()).toEqual({ "172.16.0.0/16": { state: "active", to: [activeId] } });
  });
});
