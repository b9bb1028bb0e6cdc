/**
 * AWS: DescribeTransitGatewayVpcAttachments lists VPC attachments only and
 * DescribeTransitGatewayPeeringAttachments peering attachments only; DescribeTransitGatewayAttachments
 * lists every kind. (EC2 API Reference: those three actions.)
 */
import {
  CreateTransitGatewayPeeringAttachmentCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
} from "@aws-sdk/client-ec2";
import { EMULATOR_ACCOUNT_ID } from "../../scripts/lib/emulator";
import { attachVpc, createNetwork, createTransitGateway } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";
const PEER_REGION = "eu-central-1";

describe("describing transit gateway attachments by type", () => {
  const emulator = useEmulator();

  it("GIVEN a VPC attachment and a peering attachment THEN each type-specific Describe lists only its own type", async () => {
    const ec2 = emulator.ec2(REGION);
    const peer = emulator.ec2(PEER_REGION);
    const transitGateway = await createTransitGateway(ec2);
    const peerTgw = await createTransitGateway(peer);
    const vpcAttachmentId = await attachVpc(ec2, transitGateway.TransitGatewayId!, await createNetwork(ec2, "10.70.0.0/16", "10.70.1.0/24"));
    const { TransitGatewayPeeringAttachment } = await ec2.send(
      new CreateTransitGatewayPeeringAttachmentCommand({
        TransitGatewayId: transitGateway.TransitGatewayId,
        PeerTransitGatewayId: peerTgw.TransitGatewayId,
        PeerAccountId: EMULATOR_ACCOUNT_ID,
        PeerRegion: PEER_REGION,
      }),
    );
    const peeringId = TransitGatewayPeeringAttachment!.TransitGatewayAttachmentId;

    const { TransitGatewayVpcAttachments } = await ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({}));
    const { TransitGatewayPeeringAttachments } = await ec2.send(new DescribeTransitGatewayPeeringAttachmentsCommand({}));
    const { TransitGatewayAttachments } = await ec2.send(new DescribeTransitGatewayAttachmentsCommand({}));

    expect(TransitGatewayVpcAttachments!.map((a) => a.TransitGatewayAttachmentId)).toEqual([vpcAttachmentId]);
    expect(TransitGatewayPeeringAttachments!.map((a) => a.TransitGatewayAttachmentId)).toEqual([peeringId]);
    expect(TransitGatewayAttachments!.map((a) => a.TransitGatewayAttachmentId).sort()).toEqual([vpcAttachmentId, peeringId].sort());
  });
});
