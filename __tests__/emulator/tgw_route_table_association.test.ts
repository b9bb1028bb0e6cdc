/**
 * AWS: an attachment is associated with at most one transit gateway route table. Associating it
 * again fails with Resource.AlreadyAssociated; disassociating it from a table it is not associated
 * with fails with InvalidAssociation.NotFound. (EC2 API Reference: AssociateTransitGatewayRouteTable,
 * DisassociateTransitGatewayRouteTable.)
 */
import {
  AssociateTransitGatewayRouteTableCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
} from "@aws-sdk/client-ec2";
import { createHub, createTransitGatewayRouteTable } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("transit gateway route table association", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let attachmentId: string;
  let hubTableId: string;
  let otherTableId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    // Default association off, so the attachment starts associated with no route table.
    const hub = await createHub(ec2, { cidr: "10.10.0.0/16", subnetCidr: "10.10.1.0/24", defaultRouteTableAssociation: "disable" });
    attachmentId = hub.attachmentId;
    hubTableId = await createTransitGatewayRouteTable(ec2, hub.transitGatewayId);
    otherTableId = await createTransitGatewayRouteTable(ec2, hub.transitGatewayId);
  });

  async function associatedAttachmentIds(routeTableId: string): Promise<string[]> {
    const { Associations } = await ec2.send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: routeTableId }),
    );
    return (Associations ?? []).map((a) => a.TransitGatewayAttachmentId!);
  }

  async function reportedAssociation() {
    const { TransitGatewayAttachments } = await ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
    );
    return TransitGatewayAttachments![0].Association;
  }

  const disassociate = (routeTableId: string) =>
    ec2.send(
      new DisassociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: routeTableId,
        TransitGatewayAttachmentId: attachmentId,
      }),
    );
  const associate = (routeTableId: string) =>
    ec2.send(
      new AssociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: routeTableId,
        TransitGatewayAttachmentId: attachmentId,
      }),
    );

  it("GIVEN an attachment associated with no route table WHEN it is disassociated THEN AWS answers InvalidAssociation.NotFound (a client error, not a server error)", async () => {
    await expect(disassociate(hubTableId)).rejects.toMatchObject({
      name: "InvalidAssociation.NotFound",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("GIVEN an attachment associated with one route table WHEN it is associated with another THEN AWS answers Resource.AlreadyAssociated and the first association stands", async () => {
    await associate(hubTableId);

    await expect(associate(otherTableId)).rejects.toMatchObject({ name: "Resource.AlreadyAssociated" });

    expect(await associatedAttachmentIds(hubTableId)).toEqual([attachmentId]);
    expect(await associatedAttachmentIds(otherTableId)).toEqual([]);
    expect(await reportedAssociation()).toEqual({ TransitGatewayRouteTableId: hubTableId, State: "associated" });
  });

  it("GIVEN an associated attachment WHEN it is disassociated from another table THEN AWS answers InvalidAssociation.NotFound and the association stands", async () => {
    await expect(disassociate(otherTableId)).rejects.toMatchObject({ name: "InvalidAssociation.NotFound" });

    expect(await associatedAttachmentIds(hubTableId)).toEqual([attachmentId]);
  });

  it("GIVEN an associated attachment WHEN it is disassociated from its table THEN it is associated nowhere and can be associated with another table", async () => {
    const { Association } = await disassociate(hubTableId);

    expect(Association).toMatchObject({
      TransitGatewayRouteTableId: hubTableId,
      TransitGatewayAttachmentId: attachmentId,
      State: "disassociating",
    });
    expect(await associatedAttachmentIds(hubTableId)).toEqual([]);
    expect(await reportedAssociation()).toBeUndefined();
    await expect(disassociate(hubTableId)).rejects.toMatchObject({ name: "InvalidAssociation.NotFound" });

    await associate(otherTableId);
    expect(await associatedAttachmentIds(otherTableId)).toEqual([attachmentId]);
  });

  it("GIVEN a route table id that does not exist WHEN an attachment is associated with or disassociated from it THEN AWS answers InvalidRouteTableID.NotFound", async () => {
    const missing = "tgw-rtb-0123456789abcdef0";

    await expect(associate(missing)).rejects.toMatchObject({ name: "InvalidRouteTableID.NotFound" });
    await expect(disassociate(missing)).rejects.toMatchObject({ name: "InvalidRouteTableID.NotFound" });
  });
});
