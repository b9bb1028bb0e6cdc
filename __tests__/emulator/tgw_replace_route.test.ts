/**
 * AWS: ReplaceTransitGatewayRoute points an existing static route at another attachment, or makes
 * it a blackhole (state blackhole, no attachment), in one call; a failed call leaves the route as
 * it was. No such route: InvalidRoute.NotFound; unknown or deleted attachment:
 * InvalidTransitGatewayAttachmentID.NotFound; unknown table: InvalidRouteTableID.NotFound; no
 * target: MissingParameter. (EC2 API Reference: ReplaceTransitGatewayRoute; Transit Gateway
 * Guide: "Replace a static route".)
 */
import {
  CreateTransitGatewayRouteCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
  ReplaceTransitGatewayRouteCommandInput,
  SearchTransitGatewayRoutesCommand,
  TransitGatewayRoute,
} from "@aws-sdk/client-ec2";
import { attachVpc, createHub, createNetwork } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "us-east-2";
const DESTINATION = "172.16.0.0/16";

describe("replacing a static transit gateway route", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let routeTableId: string;
  let activeId: string;
  let standbyId: string;
  let deletedId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    const hub = await createHub(ec2, { cidr: "10.70.0.0/16", subnetCidr: "10.70.1.0/24", withRouteTable: true });
    routeTableId = hub.routeTableId;
    activeId = hub.attachmentId;
    standbyId = await attachVpc(ec2, hub.transitGatewayId, await createNetwork(ec2, "10.71.0.0/16", "10.71.1.0/24"));
    deletedId = await attachVpc(ec2, hub.transitGatewayId, await createNetwork(ec2, "10.72.0.0/16", "10.72.1.0/24"));
    await ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: deletedId }));
    await ec2.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: DESTINATION, TransitGatewayAttachmentId: activeId }));
  });

  const replace = (input: Partial<ReplaceTransitGatewayRouteCommandInput>) =>
    ec2.send(new ReplaceTransitGatewayRouteCommand({ TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: DESTINATION, ...input }));
  const routesTo = async (destination: string): Promise<TransitGatewayRoute[]> =>
    (
      await ec2.send(
        new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: routeTableId, Filters: [{ Name: "route-search.exact-match", Values: [destination] }] }),
      )
    ).Routes ?? [];
  const targetOf = (route: TransitGatewayRoute) => ({ state: route.State, attachmentIds: (route.TransitGatewayAttachments ?? []).map((a) => a.TransitGatewayAttachmentId) });

  it("GIVEN a static route to one attachment WHEN it is replaced with another attachment THEN the table holds one active route to the new attachment", async () => {
    const { Route } = await replace({ TransitGatewayAttachmentId: standbyId });

    expect(Route).toMatchObject({ DestinationCidrBlock: DESTINATION, Type: "static", State: "active" });
    expect(targetOf(Route!)).toEqual({ state: "active", attachmentIds: [standbyId] });
    expect((await routesTo(DESTINATION)).map(targetOf)).toEqual([{ state: "active", attachmentIds: [standbyId] }]);
  });

  it("GIVEN a static route to an attachment WHEN it is replaced with Blackhole=true THEN it is a blackhole with no attachment, and replacing it again restores an active route", async () => {
    const { Route } = await replace({ Blackhole: true });

    expect(targetOf(Route!)).toEqual({ state: "blackhole", attachmentIds: [] });
    expect((await routesTo(DESTINATION)).map(targetOf)).toEqual([{ state: "blackhole", attachmentIds: [] }]);

    await replace({ TransitGatewayAttachmentId: activeId });
    expect((await routesTo(DESTINATION)).map(targetOf)).toEqual([{ state: "active", attachmentIds: [activeId] }]);
  });

  it("GIVEN no route to a destination WHEN that route is replaced THEN AWS answers InvalidRoute.NotFound and creates nothing", async () => {
    await expect(replace({ DestinationCidrBlock: "172.17.0.0/16", TransitGatewayAttachmentId: standbyId })).rejects.toMatchObject({
      name: "InvalidRoute.NotFound",
      $metadata: { httpStatusCode: 400 },
    });
    expect(await routesTo("172.17.0.0/16")).toEqual([]);
  });

  it.each([
    ["an attachment id that does not exist", () => "tgw-attach-0123456789abcdef0"],
    ["a deleted attachment", () => deletedId],
  ])("GIVEN %s WHEN a route is replaced with it THEN AWS answers InvalidTransitGatewayAttachmentID.NotFound and the route is unchanged", async (_, attachmentId) => {
    const before = (await routesTo(DESTINATION)).map(targetOf);

    await expect(replace({ TransitGatewayAttachmentId: attachmentId() })).rejects.toMatchObject({ name: "InvalidTransitGatewayAttachmentID.NotFound" });

    expect((await routesTo(DESTINATION)).map(targetOf)).toEqual(before);
  });

  it("GIVEN a route table id that does not exist WHEN a route in it is replaced THEN AWS answers InvalidRouteTableID.NotFound", async () => {
    await expect(replace({ TransitGatewayRouteTableId: "tgw-rtb-0123456789abcdef0", TransitGatewayAttachmentId: standbyId })).rejects.toMatchObject({
      name: "InvalidRouteTableID.NotFound",
    });
  });

  it("GIVEN neither an attachment nor Blackhole WHEN a route is replaced THEN AWS answers MissingParameter and the route is unchanged", async () => {
    const before = (await routesTo(DESTINATION)).map(targetOf);

    await expect(replace({})).rejects.toMatchObject({ name: "MissingParameter", $metadata: { httpStatusCode: 400 } });

    expect((await routesTo(DESTINATION)).map(targetOf)).toEqual(before);
  });
});
