/**
 * AWS: a new VPC attachment is associated with / propagated to the transit gateway's default route
 * table only when the gateway enables default association / propagation; with both disabled AWS
 * creates no default route table. (EC2 API Reference: TransitGatewayRequestOptions,
 * CreateTransitGatewayVpcAttachment.)
 */
import {
  AssociateTransitGatewayRouteTableCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
} from "@aws-sdk/client-ec2";
import { attachVpc, createNetwork, createTransitGateway, createTransitGatewayRouteTable } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("transit gateway default route table association and propagation", () => {
  const emulator = useEmulator();
  let nextCidr = 0;

  async function attachNewVpc(ec2: EC2Client, transitGatewayId: string): Promise<string> {
    nextCidr += 1;
    const network = await createNetwork(ec2, `10.${nextCidr}.0.0/16`, `10.${nextCidr}.1.0/24`);
    return attachVpc(ec2, transitGatewayId, network, { DnsSupport: "disable", ApplianceModeSupport: "enable", Ipv6Support: "disable" });
  }

  async function associations(ec2: EC2Client, routeTableId: string) {
    const { Associations } = await ec2.send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: routeTableId }),
    );
    return Associations ?? [];
  }

  async function propagations(ec2: EC2Client, routeTableId: string) {
    const { TransitGatewayRouteTablePropagations } = await ec2.send(
      new GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: routeTableId }),
    );
    return TransitGatewayRouteTablePropagations ?? [];
  }

  async function associationOf(ec2: EC2Client, attachmentId: string) {
    const { TransitGatewayAttachments } = await ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
    );
    return TransitGatewayAttachments![0].Association;
  }

  it("GIVEN default association and propagation disabled THEN the gateway has no default route table", async () => {
    const ec2 = emulator.ec2(REGION);

    const tgw = await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" });

    expect(tgw.Options?.AssociationDefaultRouteTableId).toBeUndefined();
    expect(tgw.Options?.PropagationDefaultRouteTableId).toBeUndefined();
    const { TransitGatewayRouteTables } = await ec2.send(
      new DescribeTransitGatewayRouteTablesCommand({
        Filters: [{ Name: "transit-gateway-id", Values: [tgw.TransitGatewayId!] }],
      }),
    );
    expect(TransitGatewayRouteTables ?? []).toHaveLength(0);
  });

  it("GIVEN default association and propagation disabled WHEN a VPC is attached THEN it is associated nowhere until its own route table is associated, and keeps its requested options", async () => {
    const ec2 = emulator.ec2(REGION);
    const tgw = await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" });

    const attachmentId = await attachNewVpc(ec2, tgw.TransitGatewayId!);

    expect(await associationOf(ec2, attachmentId)).toBeUndefined();
    const { TransitGatewayVpcAttachments } = await ec2.send(
      new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
    );
    expect(TransitGatewayVpcAttachments![0].Options).toMatchObject({
      DnsSupport: "disable",
      ApplianceModeSupport: "enable",
      Ipv6Support: "disable",
    });

    const routeTableId = await createTransitGatewayRouteTable(ec2, tgw.TransitGatewayId!);
    await ec2.send(
      new AssociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: routeTableId,
        TransitGatewayAttachmentId: attachmentId,
      }),
    );
    expect(await associations(ec2, routeTableId)).toEqual([
      expect.objectContaining({ TransitGatewayAttachmentId: attachmentId, State: "associated", ResourceType: "vpc" }),
    ]);
  });

  it("GIVEN default association disabled and propagation enabled WHEN a VPC is attached THEN it propagates to the default route table without being associated with it", async () => {
    const ec2 = emulator.ec2(REGION);
    const tgw = await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "enable" });
    const defaultTableId = tgw.Options!.PropagationDefaultRouteTableId!;
    expect(defaultTableId).toMatch(/^tgw-rtb-/);

    const attachmentId = await attachNewVpc(ec2, tgw.TransitGatewayId!);

    expect(await associations(ec2, defaultTableId)).toEqual([]);
    expect(await associationOf(ec2, attachmentId)).toBeUndefined();
    expect(await propagations(ec2, defaultTableId)).toEqual([
      expect.objectContaining({ TransitGatewayAttachmentId: attachmentId, State: "enabled" }),
    ]);
  });

  it("GIVEN default association and propagation enabled WHEN a VPC is attached THEN it is associated with and propagates to the default route table", async () => {
    const ec2 = emulator.ec2(REGION);
    const tgw = await createTransitGateway(ec2, { defaultRouteTableAssociation: "enable", defaultRouteTablePropagation: "enable" });
    const defaultTableId = tgw.Options!.AssociationDefaultRouteTableId!;

    const attachmentId = await attachNewVpc(ec2, tgw.TransitGatewayId!);

    expect(await associations(ec2, defaultTableId)).toEqual([
      expect.objectContaining({ TransitGatewayAttachmentId: attachmentId, State: "associated" }),
    ]);
    expect(await associationOf(ec2, attachmentId)).toEqual({
      TransitGatewayRouteTableId: defaultTableId,
      State: "associated",
    });
    expect(await propagations(ec2, defaultTableId)).toEqual([
      expect.objectContaining({ TransitGatewayAttachmentId: attachmentId, State: "enabled" }),
    ]);
  });
});
