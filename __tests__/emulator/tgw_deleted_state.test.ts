/**
 * AWS: deleted transit gateways and VPC attachments go through "deleting" to "deleted" and stay
 * describable with that state for a while; a transit gateway can't be deleted while it has
 * non-deleted attachments. (EC2 API Reference: DeleteTransitGateway,
 * DeleteTransitGatewayVpcAttachment; Transit Gateway Guide: "Delete a transit gateway".)
 */
import {
  AssociateTransitGatewayRouteTableCommand,
  DeleteSubnetCommand,
  DeleteTransitGatewayCommand,
  DeleteTransitGatewayRouteTableCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DeleteVpcCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
} from "@aws-sdk/client-ec2";
import { attachVpc, createNetwork, createTransitGateway, createTransitGatewayRouteTable } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("deleted transit gateways and attachments", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let transitGatewayId: string;
  let routeTableId: string;
  let vpcId: string;
  let subnetId: string;

  const attach = () => attachVpc(ec2, transitGatewayId, { vpcId, subnetId });

  const vpcAttachmentState = async (attachmentId: string) => {
    const { TransitGatewayVpcAttachments } = await ec2.send(
      new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
    );
    return (TransitGatewayVpcAttachments ?? []).map((a) => a.State);
  };

  const attachmentIdsInState = async (state: string) => {
    const { TransitGatewayAttachments } = await ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({
        Filters: [
          { Name: "transit-gateway-id", Values: [transitGatewayId] },
          { Name: "state", Values: [state] },
        ],
      }),
    );
    return (TransitGatewayAttachments ?? []).map((a) => a.TransitGatewayAttachmentId);
  };

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    // Default association off, so an attachment is associated only where a test associates it.
    const transitGateway = await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" });
    transitGatewayId = transitGateway.TransitGatewayId!;
    routeTableId = await createTransitGatewayRouteTable(ec2, transitGatewayId);
    // A VPC, not attached yet: each test attaches it as it needs.
    ({ vpcId, subnetId } = await createNetwork(ec2, "10.30.0.0/16", "10.30.1.0/24"));
  });

  it("GIVEN a transit gateway with a VPC attachment WHEN the gateway is deleted THEN AWS refuses with IncorrectState", async () => {
    const attachmentId = await attach();

    await expect(ec2.send(new DeleteTransitGatewayCommand({ TransitGatewayId: transitGatewayId }))).rejects.toMatchObject({
      name: "IncorrectState",
      message: expect.stringContaining("has non-deleted Transit Gateway Attachments"),
    });

    await ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attachmentId }));
  });

  it("GIVEN an associated VPC attachment WHEN it is deleted THEN it answers 'deleting', then stays describable as 'deleted' without its association", async () => {
    const attachmentId = await attach();
    await ec2.send(
      new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: attachmentId }),
    );

    const { TransitGatewayVpcAttachment } = await ec2.send(
      new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: attachmentId }),
    );

    expect(TransitGatewayVpcAttachment!.State).toBe("deleting");
    expect(await vpcAttachmentState(attachmentId)).toEqual(["deleted"]);
    expect(await attachmentIdsInState("deleted")).toContain(attachmentId);
    expect(await attachmentIdsInState("available")).not.toContain(attachmentId);
    const { Associations } = await ec2.send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: routeTableId }),
    );
    expect(Associations ?? []).toEqual([]);
  });

  it("GIVEN a deleted VPC attachment THEN the VPC can be attached again, and deleting the deleted one is InvalidTransitGatewayAttachmentID.NotFound", async () => {
    const [deletedId] = await attachmentIdsInState("deleted");

    const againId = await attach();

    expect(await vpcAttachmentState(againId)).toEqual(["available"]);
    await expect(
      ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: deletedId! })),
    ).rejects.toMatchObject({ name: "InvalidTransitGatewayAttachmentID.NotFound" });
    await ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: againId }));
  });

  it("GIVEN a transit gateway whose attachments are all deleted WHEN it is deleted THEN it answers 'deleting', then stays describable as 'deleted', is no longer available and takes no attachments", async () => {
    await ec2.send(new DeleteTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: routeTableId }));

    const { TransitGateway } = await ec2.send(new DeleteTransitGatewayCommand({ TransitGatewayId: transitGatewayId }));

    expect(TransitGateway!.State).toBe("deleting");
    const byId = await ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [transitGatewayId] }));
    expect(byId.TransitGateways!.map((t) => t.State)).toEqual(["deleted"]);
    const available = await ec2.send(
      new DescribeTransitGatewaysCommand({ Filters: [{ Name: "state", Values: ["available"] }] }),
    );
    expect((available.TransitGateways ?? []).map((t) => t.TransitGatewayId)).not.toContain(transitGatewayId);
    await expect(attach()).rejects.toMatchObject({ name: "InvalidTransitGatewayID.NotFound" });
    const { TransitGatewayRouteTables } = await ec2.send(
      new DescribeTransitGatewayRouteTablesCommand({ TransitGatewayRouteTableIds: [routeTableId] }),
    );
    expect(TransitGatewayRouteTables!.map((t) => t.State)).toEqual(["deleted"]);
  });

  it("GIVEN the deleted transit gateway and attachments THEN the VPC they served can be deleted", async () => {
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).resolves.toBeDefined();
  });
});
