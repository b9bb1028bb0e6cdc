/**
 * AWS: CreateTransitGatewayVpcAttachment applies TagSpecifications of ResourceType
 * "transit-gateway-attachment" to the new attachment. (EC2 API Reference:
 * CreateTransitGatewayVpcAttachment, TagSpecification.)
 */
import {
  CreateTransitGatewayVpcAttachmentCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, createTransitGateway } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("tags on a new transit gateway VPC attachment", () => {
  const emulator = useEmulator();

  it("GIVEN TagSpecifications for a transit-gateway-attachment WHEN the VPC attachment is created THEN it carries those tags", async () => {
    const ec2 = emulator.ec2(REGION);
    const transitGateway = await createTransitGateway(ec2);
    const { vpcId, subnetId } = await createNetwork(ec2, "10.60.0.0/16", "10.60.1.0/24");
    const tags = [
      { Key: "Name", Value: "regionpair-primary-vpc-attachment" },
      { Key: "topology", Value: "regionpair" },
    ];

    const { TransitGatewayVpcAttachment } = await ec2.send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: transitGateway.TransitGatewayId,
        VpcId: vpcId,
        SubnetIds: [subnetId],
        TagSpecifications: [{ ResourceType: "transit-gateway-attachment", Tags: tags }],
      }),
    );

    const attachmentId = TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    expect(TransitGatewayVpcAttachment!.Tags).toEqual(expect.arrayContaining(tags));
    const { TransitGatewayVpcAttachments } = await ec2.send(
      new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
    );
    expect(TransitGatewayVpcAttachments![0].Tags).toEqual(expect.arrayContaining(tags));
    expect(TransitGatewayVpcAttachments![0].Tags).toHaveLength(2);
    const { TransitGatewayAttachments } = await ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
    );
    expect(TransitGatewayAttachments![0].Tags).toEqual(expect.arrayContaining(tags));
  });
});
