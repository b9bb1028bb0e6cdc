/**
 * AWS: CreateVpnConnection with TransitGatewayId creates an untagged attachment of type vpn, which
 * follows the gateway's default association and propagation settings, can be associated and
 * routed to like any attachment, and is deleted with the connection: state deleted, no
 * association or propagation left, static routes to it blackholes, no new association.
 * (Transit Gateway Guide: "Transit gateway VPN attachments", "Transit gateway route tables";
 * EC2 API Reference: CreateVpnConnection, DeleteVpnConnection.)
 */
import {
  AssociateTransitGatewayRouteTableCommand,
  CreateTransitGatewayRouteCommand,
  DeleteVpnConnectionCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  SearchTransitGatewayRoutesCommand,
  TransitGatewayAttachment,
} from "@aws-sdk/client-ec2";
import { EMULATOR_ACCOUNT_ID } from "../../scripts/lib/emulator";
import { createCustomerGateway, createTransitGateway, createTransitGatewayRouteTable, createVpnConnection } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "us-west-2";

describe("the transit gateway attachment of a VPN connection", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let customerGatewayId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    customerGatewayId = (await createCustomerGateway(ec2)).CustomerGatewayId!;
  });

  const describeAttachment = async (id: string): Promise<TransitGatewayAttachment> =>
    (await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [id] }))).TransitGatewayAttachments![0];
  const associatedIds = async (routeTableId: string): Promise<string[]> =>
    ((await ec2.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: routeTableId }))).Associations ?? []).map(
      (a) => a.TransitGatewayAttachmentId!,
    );
  const propagatingIds = async (routeTableId: string): Promise<string[]> =>
    (
      (await ec2.send(new GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: routeTableId }))).TransitGatewayRouteTablePropagations ?? []
    ).map((p) => p.TransitGatewayAttachmentId!);

  it("GIVEN a gateway with default association and propagation disabled WHEN a VPN connection is created on it THEN its attachment is a vpn attachment of the account, available, untagged and associated with nothing", async () => {
    const transitGatewayId = (await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" })).TransitGatewayId!;

    const { connection, attachmentId } = await createVpnConnection(ec2, { customerGatewayId, transitGatewayId, tags: [{ Key: "Name", Value: "site-a" }] });

    const attachment = await describeAttachment(attachmentId);
    expect(attachment).toMatchObject({
      TransitGatewayId: transitGatewayId,
      ResourceType: "vpn",
      ResourceId: connection.VpnConnectionId,
      ResourceOwnerId: EMULATOR_ACCOUNT_ID,
      State: "available",
    });
    expect(attachment.Tags ?? []).toEqual([]);
    expect(attachment.Association).toBeUndefined();
  });

  it("GIVEN a gateway with AWS's default settings (association and propagation enabled) WHEN a VPN connection is created on it THEN its attachment is associated with and propagates to the default route tables", async () => {
    const transitGateway = await createTransitGateway(ec2);
    const defaultTableId = transitGateway.Options!.AssociationDefaultRouteTableId!;

    const { attachmentId } = await createVpnConnection(ec2, { customerGatewayId, transitGatewayId: transitGateway.TransitGatewayId! });

    expect((await describeAttachment(attachmentId)).Association).toEqual({ TransitGatewayRouteTableId: defaultTableId, State: "associated" });
    expect(await associatedIds(defaultTableId)).toEqual([attachmentId]);
    expect(await propagatingIds(transitGateway.Options!.PropagationDefaultRouteTableId!)).toEqual([attachmentId]);
  });

  it("GIVEN a VPN attachment WHEN it is associated with a route table and then disassociated THEN Describe reports the association and then none", async () => {
    const transitGatewayId = (await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" })).TransitGatewayId!;
    const routeTableId = await createTransitGatewayRouteTable(ec2, transitGatewayId);
    const { attachmentId } = await createVpnConnection(ec2, { customerGatewayId, transitGatewayId, staticRoutesOnly: true });

    await ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: attachmentId }));
    expect((await describeAttachment(attachmentId)).Association).toEqual({ TransitGatewayRouteTableId: routeTableId, State: "associated" });

    await ec2.send(new DisassociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: attachmentId }));
    expect((await describeAttachment(attachmentId)).Association).toBeUndefined();
    expect(await associatedIds(routeTableId)).toEqual([]);
  });

  it("GIVEN an associated VPN attachment with a static route to it WHEN the VPN connection is deleted THEN the attachment is deleted, unassociated, its route is a blackhole and it can't be associated again", async () => {
    const transitGatewayId = (await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" })).TransitGatewayId!;
    const routeTableId = await createTransitGatewayRouteTable(ec2, transitGatewayId);
    const { connection, attachmentId } = await createVpnConnection(ec2, { customerGatewayId, transitGatewayId, staticRoutesOnly: true });
    await ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: attachmentId }));
    await ec2.send(
      new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: "192.168.10.0/24", TransitGatewayAttachmentId: attachmentId }),
    );

    await ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: connection.VpnConnectionId }));

    const attachment = await describeAttachment(attachmentId);
    expect(attachment.State).toBe("deleted");
    expect(attachment.Association).toBeUndefined();
    expect(await associatedIds(routeTableId)).toEqual([]);
    const { Routes } = await ec2.send(
      new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: routeTableId, Filters: [{ Name: "route-search.exact-match", Values: ["192.168.10.0/24"] }] }),
    );
    expect(Routes!.map((r) => r.State)).toEqual(["blackhole"]);
    await expect(
      ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: attachmentId })),
    ).rejects.toMatchObject({ name: "InvalidTransitGatewayAttachmentID.NotFound" });
  });
});
