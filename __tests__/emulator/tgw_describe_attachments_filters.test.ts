/**
 * AWS: DescribeTransitGatewayAttachments applies its documented filters and the tag filters of
 * every EC2 Describe call (tag:<key>, tag-key); filters are ANDed. This is how Terraform's
 * aws_ec2_transit_gateway_vpn_attachment data source finds an attachment by its Name tag.
 * (EC2 API Reference: DescribeTransitGatewayAttachments, Filter.)
 */
import {
  AssociateTransitGatewayRouteTableCommand,
  CreateTagsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  EC2Client,
  Filter,
} from "@aws-sdk/client-ec2";
import { attachVpc, createCustomerGateway, createHub, createNetwork, createVpnConnection } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "ap-southeast-2";

describe("DescribeTransitGatewayAttachments filters", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let transitGatewayId: string;
  let routeTableId: string;
  let vpcAttachmentId: string;
  let otherVpcAttachmentId: string;
  let vpnAttachmentId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    const hub = await createHub(ec2, { cidr: "10.60.0.0/16", subnetCidr: "10.60.1.0/24", withRouteTable: true });
    transitGatewayId = hub.transitGatewayId;
    routeTableId = hub.routeTableId;
    vpcAttachmentId = hub.attachmentId;
    otherVpcAttachmentId = await attachVpc(ec2, transitGatewayId, await createNetwork(ec2, "10.61.0.0/16", "10.61.1.0/24"));
    const customerGateway = await createCustomerGateway(ec2);
    vpnAttachmentId = (await createVpnConnection(ec2, { customerGatewayId: customerGateway.CustomerGatewayId!, transitGatewayId })).attachmentId;
    // Tagged after creation, as a VPN attachment can only be tagged (aws_ec2_tag in Terraform).
    await ec2.send(new CreateTagsCommand({ Resources: [vpnAttachmentId], Tags: [{ Key: "Name", Value: "site-a" }, { Key: "regionpair:topology", Value: "drill" }] }));
    await ec2.send(new CreateTagsCommand({ Resources: [vpcAttachmentId], Tags: [{ Key: "Name", Value: "workload" }, { Key: "regionpair:topology", Value: "drill" }] }));
    await ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: routeTableId, TransitGatewayAttachmentId: vpnAttachmentId }));
  });

  const matching = async (filters: Filter[]): Promise<string[]> => {
    const { TransitGatewayAttachments } = await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: filters }));
    return (TransitGatewayAttachments ?? []).map((a) => a.TransitGatewayAttachmentId!).sort();
  };

  it("GIVEN attachments with different Name tags WHEN they are filtered by tag:Name THEN only the attachment with that tag value is returned", async () => {
    expect(await matching([{ Name: "tag:Name", Values: ["site-a"] }])).toEqual([vpnAttachmentId]);
    expect(await matching([{ Name: "tag:Name", Values: ["site-a", "workload"] }])).toEqual([vpcAttachmentId, vpnAttachmentId].sort());
    expect(await matching([{ Name: "tag:Name", Values: ["nowhere"] }])).toEqual([]);
  });

  it("GIVEN a tag filter and a resource-type filter WHEN both are given THEN they are ANDed (the Terraform data source's lookup)", async () => {
    expect(await matching([{ Name: "resource-type", Values: ["vpn"] }, { Name: "tag:regionpair:topology", Values: ["drill"] }])).toEqual([vpnAttachmentId]);
    expect(await matching([{ Name: "resource-type", Values: ["vpc"] }, { Name: "tag:Name", Values: ["site-a"] }])).toEqual([]);
  });

  it("GIVEN one attachment without tags WHEN the attachments are filtered by tag-key THEN only tagged attachments are returned", async () => {
    expect(await matching([{ Name: "tag-key", Values: ["Name"] }])).toEqual([vpcAttachmentId, vpnAttachmentId].sort());
  });

  it("GIVEN attachments of one gateway WHEN they are filtered by id, state, owner or association THEN each filter selects as documented", async () => {
    expect(await matching([{ Name: "transit-gateway-attachment-id", Values: [otherVpcAttachmentId] }])).toEqual([otherVpcAttachmentId]);
    expect(await matching([{ Name: "state", Values: ["available"] }])).toEqual([vpcAttachmentId, otherVpcAttachmentId, vpnAttachmentId].sort());
    expect(await matching([{ Name: "state", Values: ["deleted"] }])).toEqual([]);
    expect(await matching([{ Name: "resource-owner-id", Values: ["000000000000"] }])).toEqual([]);
    expect(await matching([{ Name: "association.transit-gateway-route-table-id", Values: [routeTableId] }])).toEqual([vpnAttachmentId]);
    expect(await matching([{ Name: "association.state", Values: ["associated"] }])).toEqual([vpnAttachmentId]);
  });
});
