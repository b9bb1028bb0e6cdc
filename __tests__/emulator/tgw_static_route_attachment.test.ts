/**
 * AWS: SearchTransitGatewayRoutes describes a static route to an attachment as type "static",
 * state "active", with TransitGatewayAttachments naming the attachment; only blackhole routes and
 * routes to deleted attachments are "blackhole". (EC2 API Reference: SearchTransitGatewayRoutes,
 * TransitGatewayRoute, TransitGatewayRouteAttachment.)
 */
import {
  CreateTransitGatewayRouteCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  EC2Client,
  Filter,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { createHub } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("static transit gateway routes", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let routeTableId: string;
  let attachmentId: string;
  let vpcId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    const hub = await createHub(ec2, { cidr: "10.40.0.0/16", subnetCidr: "10.40.1.0/24", withRouteTable: true });
    ({ routeTableId, attachmentId, vpcId } = hub);
  });

  const search = async (filters: Filter[], maxResults?: number) => {
    const { Routes } = await ec2.send(
      new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: routeTableId, Filters: filters, MaxResults: maxResults }),
    );
    return Routes ?? [];
  };
  const staticRoute = (cidr: string) =>
    search([
      { Name: "type", Values: ["static"] },
      { Name: "route-search.exact-match", Values: [cidr] },
    ]);

  it("GIVEN a static route to a VPC attachment THEN it is active and names the attachment, in the create answer and in a search", async () => {
    const { Route } = await ec2.send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: routeTableId,
        DestinationCidrBlock: "10.41.0.0/16",
        TransitGatewayAttachmentId: attachmentId,
      }),
    );

    const expected = {
      DestinationCidrBlock: "10.41.0.0/16",
      Type: "static",
      State: "active",
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: attachmentId, ResourceId: vpcId, ResourceType: "vpc" }],
    };
    expect(Route).toMatchObject(expected);
    expect(await staticRoute("10.41.0.0/16")).toEqual([expect.objectContaining(expected)]);
  });

  it("GIVEN a blackhole route THEN it is a blackhole with no attachment", async () => {
    await ec2.send(
      new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: "10.42.0.0/16", Blackhole: true }),
    );

    const [route] = await staticRoute("10.42.0.0/16");

    expect(route).toMatchObject({ Type: "static", State: "blackhole" });
    expect(route.TransitGatewayAttachments ?? []).toEqual([]);
  });

  it("GIVEN routes to an attachment and a blackhole THEN the attachment and state filters and MaxResults select among them", async () => {
    const toAttachment = await search([{ Name: "attachment.transit-gateway-attachment-id", Values: [attachmentId] }]);
    expect(toAttachment.map((r) => r.DestinationCidrBlock)).toEqual(["10.41.0.0/16"]);
    const toVpcs = await search([{ Name: "attachment.resource-type", Values: ["vpc"] }]);
    expect(toVpcs.map((r) => r.DestinationCidrBlock)).toEqual(["10.41.0.0/16"]);
    const blackholes = await search([{ Name: "state", Values: ["blackhole"] }]);
    expect(blackholes.map((r) => r.DestinationCidrBlock)).toEqual(["10.42.0.0/16"]);
    expect(await search([{ Name: "type", Values: ["static"] }], 1)).toHaveLength(1);
  });

  it("GIVEN a static route to an attachment WHEN the attachment is deleted THEN the route becomes a blackhole", async () => {
    await ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attachmentId }));

    const [route] = await staticRoute("10.41.0.0/16");

    expect(route).toMatchObject({
      State: "blackhole",
      TransitGatewayAttachments: [expect.objectContaining({ TransitGatewayAttachmentId: attachmentId })],
    });
  });
});
