/**
 * AWS: DescribeTransitGatewayVpcAttachments lists VPC attachments only and
 * DescribeTransitGatewayPeeringAttachments peering attachments only; DescribeTransitGatewayAttachments
 * lists every kind. (EC2 API Reference: those three actions.)
 */
import {
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayPeeringAttachmentCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
} from "@aws-sdk/client-ec2";
import { EMULATOR_ACCOUNT_ID } from "../../scripts/lib/emulator";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";
const PEER_REGION = "eu-central-1";

describe("describing transit gateway attachments by type", () => {
  const emulator = useEmulator();

  it("GIVEN a VPC attachment and a peering attachment THEN each type-specific Describe lists only its own type", async () => {
    const ec2 = emulator.ec2(REGION);
    const peer = emulator.ec2(PEER_REGION);
    const { TransitGateway } = await ec2.send(new CreateTransitGatewayCommand({}));
    const { TransitGateway: peerTgw } = await peer.send(new CreateTransitGatewayCommand({}));
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.70.0.0/16" }));
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: "10.70.1.0/24" }));
    const { TransitGatewayVpcAttachment } = await ec2.send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: TransitGateway!.TransitGatewayId,
        VpcId: Vpc!.VpcId,
        SubnetIds: [Subnet!.SubnetId!],
      }),
    );
    const { TransitGatewayPeeringAttachment } = await ec2.send(
      new CreateTransitGatewayPeeringAttachmentCommand({
        TransitGatewayId: TransitGateway!.TransitGatewayId,
        PeerTransitGatewayId: peerTgw!.TransitGatewayId,
        PeerAccountId: EMULATOR_ACCOUNT_ID,
        PeerRegion: PEER_REGION,
      }),
    );
    const vpcAttachmentId = TransitGatewayVpcAttachment!.TransitGatewayAttachmentId;
    const peeringId = TransitGatewayPeeringAttachment!.TransitGatewayAttachmentId;

    const { TransitGatewayVpcAttachments } = await ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({}));
    const { TransitGatewayPeeringAttachments } = await ec2.send(new DescribeTransitGatewayPeeringAttachmentsCommand({}));
    const { TransitGatewayAttachments } = await ec2.send(new DescribeTransitGatewayAttachmentsCommand({}));

    expect(TransitGatewayVpcAttachments!.map((a) => a.TransitGatewayAttachmentId)).toEqual([vpcAttachmentId]);
    expect(TransitGatewayPeeringAttachments!.map((a) => a.TransitGatewayAttachmentId)).toEqual([peeringId]);
    expect(TransitGatewayAttachments!.map((a) => a.TransitGatewayAttachmentId).sort()).toEqual([vpcAttachmentId, peeringId].sort());
  });
});
