/** Reads what was deployed back from the (emulated) AWS APIs, by the tags the stacks set. */
import {
  DescribeVpcsCommand,
  EC2Client,
  Filter,
  Vpc,
} from "@aws-sdk/client-ec2";
import { TAG_TOPOLOGY } from "../../constructs/naming";

export function tagFilters(topologyName: string, name?: string): Filter[] {
  return [
    { Name: `tag:${TAG_TOPOLOGY}`, Values: [topologyName] },
    ...(name ? [{ Name: "tag:Name", Values: [name] }] : []),
  ];
}

export async function findVpc(ec2: EC2Client, topologyName: string, name: string): Promise<Vpc | undefined> {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: tagFilters(topologyName, name) }));
  return Vpcs?.[0];
}

/** Tags as a plain object. */
export function tagMap(tags: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}
