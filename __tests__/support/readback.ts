/** Reads what was deployed back from the (emulated) AWS APIs, by the tags the stacks set. */
import {
  DescribeDhcpOptionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  Filter,
  Vpc,
} from "@aws-sdk/client-ec2";
import { NAME_SUFFIX, Naming, TAG_DHCP_OPTIONS, TAG_TOPOLOGY } from "../../constructs/naming";
import type { RegionRole, Topology } from "../../config/topology";

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

/** Which option set (`directory` / `fenced`, by its tag) a region's workload VPC uses now. */
export async function workloadDhcpKind(ec2: EC2Client, topology: Topology, role: RegionRole): Promise<string | undefined> {
  const vpc = await findVpc(ec2, topology.name, new Naming(topology.name, role).name(NAME_SUFFIX.vpc("workload")));
  const { DhcpOptions } = await ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [vpc!.DhcpOptionsId!] }));
  return DhcpOptions![0].Tags?.find((t) => t.Key === TAG_DHCP_OPTIONS)?.Value;
}
