/**
 * AWS: the transit gateway Describe calls accept the tag filters (`tag:<key>`, `tag-key`,
 * `tag-value`) as every EC2 Describe call does. (EC2 API Reference:
 * DescribeTransitGatewayRouteTables, DescribeTransitGatewayVpcAttachments.)
 */
import {
  CreateTagsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  EC2Client,
  Filter,
} from "@aws-sdk/client-ec2";
import { attachVpc, createNetwork, createTransitGateway, createTransitGatewayRouteTable } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("filtering transit gateway resources by tag", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  const tableIds: Record<string, string> = {};
  const attachmentIds: Record<string, string> = {};

  const tag = (id: string, name: string, kind: string) =>
    ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "Name", Value: name }, { Key: "kind", Value: kind }] }));

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    const transitGatewayId = (await createTransitGateway(ec2)).TransitGatewayId!;
    for (const kind of ["clients", "peering", "workload"]) {
      tableIds[kind] = await createTransitGatewayRouteTable(ec2, transitGatewayId);
      await tag(tableIds[kind], `rt-${kind}`, kind);
    }
    for (const [kind, cidr] of [["management", "10.70"], ["workload", "10.71"]]) {
      attachmentIds[kind] = await attachVpc(ec2, transitGatewayId, await createNetwork(ec2, `${cidr}.0.0/16`, `${cidr}.1.0/24`));
      await tag(attachmentIds[kind], `attachment-${kind}`, kind);
    }
  });

  const tables = async (filters: Filter[]) =>
    ((await ec2.send(new DescribeTransitGatewayRouteTablesCommand({ Filters: filters }))).TransitGatewayRouteTables ?? []).map((t) => t.TransitGatewayRouteTableId).sort();
  const vpcAttachments = async (filters: Filter[]) =>
    ((await ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ Filters: filters }))).TransitGatewayVpcAttachments ?? []).map((a) => a.TransitGatewayAttachmentId).sort();

  it("GIVEN three route tables with distinct Name tags WHEN filtered by tag:Name THEN only the named one is returned", async () => {
    expect(await tables([{ Name: "tag:Name", Values: ["rt-peering"] }])).toEqual([tableIds.peering]);
  });

  it("GIVEN the same route tables WHEN filtered by tag-value, by two values of a tag and by a wildcard THEN exactly the matching ones are returned", async () => {
    expect(await tables([{ Name: "tag-value", Values: ["workload"] }])).toEqual([tableIds.workload]);
    expect(await tables([{ Name: "tag:kind", Values: ["clients", "workload"] }])).toEqual([tableIds.clients, tableIds.workload].sort());
    expect(await tables([{ Name: "tag:Name", Values: ["rt-p*"] }])).toEqual([tableIds.peering]);
  });

  it("GIVEN two VPC attachments with distinct tags WHEN filtered by tag:Name or tag-value THEN only the matching one is returned", async () => {
    expect(await vpcAttachments([{ Name: "tag:Name", Values: ["attachment-workload"] }])).toEqual([attachmentIds.workload]);
    expect(await vpcAttachments([{ Name: "tag-value", Values: ["management"] }])).toEqual([attachmentIds.management]);
  });
});
