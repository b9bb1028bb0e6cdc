/**
 * AWS: AssociateTransitGatewayRouteTable / DisassociateTransitGatewayRouteTable with DryRun=true
 * are authorized but not performed: DryRunOperation (HTTP 412) and the association is unchanged.
 * (EC2 API Reference: both calls, DryRun parameter.)
 */
import {
  AssociateTransitGatewayRouteTableCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { createHub, createTransitGatewayRouteTable } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-3";
const DRY_RUN = { name: "DryRunOperation", $metadata: { httpStatusCode: 412 } };

describe("DryRun on the transit gateway association calls", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let attachmentId: string;
  let routeTableId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    const hub = await createHub(ec2, { cidr: "10.82.0.0/16", subnetCidr: "10.82.1.0/24" });
    attachmentId = hub.attachmentId;
    routeTableId = await createTransitGatewayRouteTable(ec2, hub.transitGatewayId);
  });

  const association = async () =>
    (await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }))).TransitGatewayAttachments![0].Association;

  it("GIVEN an attachment associated with nothing WHEN it is associated with DryRun THEN AWS answers DryRunOperation and it stays unassociated", async () => {
    await expect(
      ec2.send(new AssociateTransitGatewayRouteTableCommand({ DryRun: true, TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: attachmentId })),
    ).rejects.toMatchObject(DRY_RUN);

    expect(await association()).toBeUndefined();
  });

  it("GIVEN an associated attachment WHEN it is disassociated with DryRun THEN AWS answers DryRunOperation and the association stays", async () => {
    await ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: attachmentId }));

    await expect(
      ec2.send(new DisassociateTransitGatewayRouteTableCommand({ DryRun: true, TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: attachmentId })),
    ).rejects.toMatchObject(DRY_RUN);

    expect(await association()).toEqual({ TransitGatewayRouteTableId: routeTableId, State: "associated" });
  });
});
