/**
 * What the preflight checks run against, found by the tags the stacks set: a region's TGW route
 * tables and the attachments its routes point at.
 */
import { DescribeTransitGatewayAttachmentsCommand, DescribeTransitGatewayRouteTablesCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology";
import { TransitRouteTable, TransitTarget } from "../../config/transit-routes";
import { NAME_SUFFIX, Naming, TAG_ROUTE_TABLE, TAG_TOPOLOGY } from "../../constructs/naming";

export interface RegionIds {
  /** Route table id by table. */
  readonly routeTables: Partial<Record<TransitRouteTable, string>>;
  /** Attachment id by the Name tag the stacks gave it. */
  readonly attachmentsByName: Readonly<Record<string, string>>;
}

export async function describeRouteTables(ec2: EC2Client, topology: Topology) {
  return ec2.send(
    new DescribeTransitGatewayRouteTablesCommand({ Filters: [{ Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] }, { Name: "state", Values: ["available"] }] }),
  );
}

export async function describeAttachments(ec2: EC2Client, topology: Topology) {
  return ec2.send(
    new DescribeTransitGatewayAttachmentsCommand({
      Filters: [
        { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
        { Name: "state", Values: ["available", "pending", "pendingAcceptance", "modifying"] },
      ],
    }),
  );
}

export function regionIds(
  tables: Awaited<ReturnType<typeof describeRouteTables>> | undefined,
  attachments: Awaited<ReturnType<typeof describeAttachments>> | undefined,
): RegionIds {
  const routeTables: Partial<Record<TransitRouteTable, string>> = {};
  for (const table of tables?.TransitGatewayRouteTables ?? []) {
    const kind = table.Tags?.find((t) => t.Key === TAG_ROUTE_TABLE)?.Value as TransitRouteTable | undefined;
    if (kind && table.TransitGatewayRouteTableId) routeTables[kind] = table.TransitGatewayRouteTableId;
  }
  const attachmentsByName: Record<string, string> = {};
  for (const attachment of attachments?.TransitGatewayAttachments ?? []) {
    const name = attachment.Tags?.find((t) => t.Key === "Name")?.Value;
    if (name && attachment.TransitGatewayAttachmentId) attachmentsByName[name] = attachment.TransitGatewayAttachmentId;
  }
  return { routeTables, attachmentsByName };
}

/** The attachment a target points at (undefined for a blackhole, or when it is not found). */
export function attachmentOf(topology: Topology, role: RegionRole, target: TransitTarget, ids: RegionIds): { id?: string; name: string } {
  const naming = new Naming(topology.name, role);
  switch (target.kind) {
    case "blackhole":
      return { name: "blackhole" };
    case "management-vpc":
    case "workload-vpc": {
      const name = naming.name(NAME_SUFFIX.vpcAttachment(target.kind === "management-vpc" ? "management" : "workload"));
      return { id: ids.attachmentsByName[name], name };
    }
    case "peering": {
      const name = new Naming(topology.name).name(NAME_SUFFIX.peeringAttachment);
      return { id: ids.attachmentsByName[name], name };
    }
    case "connection": {
      const connection = topology[role].connections.find((c) => c.name === target.name);
      if (connection?.kind === "attachment") return { id: connection.attachmentId, name: connection.name };
      const name = naming.name(NAME_SUFFIX.vpnAttachment(target.name));
      return { id: ids.attachmentsByName[name], name };
    }
  }
}
