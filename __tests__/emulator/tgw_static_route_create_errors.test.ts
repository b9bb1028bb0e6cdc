/**
 * AWS: a transit gateway route table holds one static route per destination; creating a second
 * one fails with RouteAlreadyExists (ReplaceTransitGatewayRoute changes a target). A target
 * attachment or route table that does not exist is a NotFound error. (EC2 API Reference:
 * CreateTransitGatewayRoute.)
 */
import { CreateTransitGatewayRouteCommand, EC2Client, SearchTransitGatewayRoutesCommand } from "@aws-sdk/client-ec2";
import { attachVpc, createHub, createNetwork } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("creating static transit gateway routes", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let routeTableId: string;
  const attachmentIds: string[] = [];

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    // Two VPC attachments of one gateway, both possible targets of the same destination.
    const hub = await createHub(ec2, { cidr: "10.50.0.0/16", subnetCidr: "10.50.1.0/24", withRouteTable: true });
    routeTableId = hub.routeTableId;
    const secondVpc = await createNetwork(ec2, "10.51.0.0/16", "10.51.1.0/24");
    attachmentIds.push(hub.attachmentId, await attachVpc(ec2, hub.transitGatewayId, secondVpc));
  });

  const createRoute = (attachmentId: string, routeTable = routeTableId) =>
    ec2.send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: routeTable,
        DestinationCidrBlock: "172.16.0.0/16",
        TransitGatewayAttachmentId: attachmentId,
      }),
    );

  it("GIVEN a static route to a destination WHEN another route to the same destination is created THEN AWS answers RouteAlreadyExists and the first route stands", async () => {
    await createRoute(attachmentIds[0]);

    await expect(createRoute(attachmentIds[1])).rejects.toMatchObject({
      name: "RouteAlreadyExists",
      message: expect.stringContaining("172.16.0.0/16 already exists"),
    });

    const { Routes } = await ec2.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: routeTableId,
        Filters: [{ Name: "route-search.exact-match", Values: ["172.16.0.0/16"] }],
      }),
    );
    expect(Routes!.map((r) => r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId)).toEqual([attachmentIds[0]]);
  });

  it("GIVEN an attachment id that does not exist WHEN a route to it is created THEN AWS answers InvalidTransitGatewayAttachmentID.NotFound", async () => {
    await expect(
      ec2.send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: routeTableId,
          DestinationCidrBlock: "172.17.0.0/16",
          TransitGatewayAttachmentId: "tgw-attach-0123456789abcdef0",
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidTransitGatewayAttachmentID.NotFound" });
  });

  it("GIVEN a route table id that does not exist WHEN a route is created in it THEN AWS answers InvalidRouteTableID.NotFound", async () => {
    await expect(createRoute(attachmentIds[0], "tgw-rtb-0123456789abcdef0")).rejects.toMatchObject({
      name: "InvalidRouteTableID.NotFound",
      $metadata: { httpStatusCode: 400 },
    });
  });
});
