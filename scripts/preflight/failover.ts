/**
 * `preflight --role failover`: in each region, every read the failover makes (terraform's for the
 * routing stack included) is made, and every write it would send is sent with DryRun on the real
 * resources: each route that moves, on its route table to where it goes when `toRegion` becomes
 * active, and the workload VPC's DHCP option set for that state. Nothing changes.
 */
import {
  AssociateDhcpOptionsCommand,
  DescribeDhcpOptionsCommand,
  DescribeVpcAttributeCommand,
  DescribeAvailabilityZonesCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  CreateTransitGatewayRouteCommand,
  DeleteTransitGatewayRouteCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { REGION_ROLES, RegionRole, Topology } from "../../config/topology";
import { movesOnFailover, targetWhen, transitRoutes, workloadDhcpWhen } from "../../config/transit-routes";
import { NAME_SUFFIX, Naming, TAG_DHCP_OPTIONS, TAG_TOPOLOGY } from "../../constructs/naming";
import { IamAction } from "../iam/aws-call";
import { roleActions } from "../iam/roles";
import { PreflightCheck, PreflightReport, dryRunCheck, readCheck, report, unverified } from "./checks";
import { attachmentOf, describeAttachments, describeRouteTables, regionIds } from "./lookups";

export interface PreflightFailoverOptions {
  readonly topology: Topology;
  /** The region to become active. @default the topology's active region */
  readonly toRegion?: string;
  /** Only these regions. @default both */
  readonly regions?: readonly string[];
  /** The EC2 client of a region (the failover's own clients, or the preflight's). */
  readonly ec2: (region: string) => EC2Client;
}

const byTopology = (topology: Topology) => [{ Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] }];

/** The workload VPC (by its Name) and the option sets by kind (directory / fenced), from the reads' answers. */
interface WorkloadDhcpIds {
  readonly vpcId?: string;
  readonly optionSets: Readonly<Record<string, string>>;
}

function workloadDhcpIds(
  topology: Topology,
  role: RegionRole,
  vpcs: { Vpcs?: Array<{ VpcId?: string; Tags?: Array<{ Key?: string; Value?: string }> }> } | undefined,
  dhcp: { DhcpOptions?: Array<{ DhcpOptionsId?: string; Tags?: Array<{ Key?: string; Value?: string }> }> } | undefined,
): WorkloadDhcpIds {
  const workloadVpc = new Naming(topology.name, role).name(NAME_SUFFIX.vpc("workload"));
  const vpcId = vpcs?.Vpcs?.find((v) => v.Tags?.some((t) => t.Key === "Name" && t.Value === workloadVpc))?.VpcId;
  const optionSets: Record<string, string> = {};
  for (const set of dhcp?.DhcpOptions ?? []) {
    const kind = set.Tags?.find((t) => t.Key === TAG_DHCP_OPTIONS)?.Value;
    if (kind && set.DhcpOptionsId) optionSets[kind] = set.DhcpOptionsId;
  }
  return { vpcId, optionSets };
}

/** The read calls of the role made for real, in one region, with what the writes need. */
async function reads(topology: Topology, role: RegionRole, ec2: EC2Client, actions: readonly IamAction[]) {
  const region = topology[role].region;
  const checks: PreflightCheck[] = [];
  const add = async <T>(action: IamAction, send: () => Promise<T>) => {
    if (!actions.includes(action)) return undefined;
    const { check, answer } = await readCheck(action, region, undefined, send);
    checks.push(check);
    return answer;
  };
  const tables = await add("ec2:DescribeTransitGatewayRouteTables", () => describeRouteTables(ec2, topology));
  const attachments = await add("ec2:DescribeTransitGatewayAttachments", () => describeAttachments(ec2, topology));
  const ids = regionIds(tables, attachments);
  const anyTable = Object.values(ids.routeTables)[0];
  await add("ec2:DescribeAvailabilityZones", () => ec2.send(new DescribeAvailabilityZonesCommand({})));
  await add("ec2:DescribeTransitGateways", () => ec2.send(new DescribeTransitGatewaysCommand({ Filters: byTopology(topology) })));
  await add("ec2:DescribeTransitGatewayVpcAttachments", () => ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ Filters: byTopology(topology) })));
  await add("ec2:DescribeTransitGatewayPeeringAttachments", () => ec2.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ Filters: byTopology(topology) })));
  const vpcs = await add("ec2:DescribeVpcs", () => ec2.send(new DescribeVpcsCommand({ Filters: byTopology(topology) })));
  const dhcp = await add("ec2:DescribeDhcpOptions", () => ec2.send(new DescribeDhcpOptionsCommand({ Filters: byTopology(topology) })));
  const workloadDhcp = workloadDhcpIds(topology, role, vpcs, dhcp);
  if (actions.includes("ec2:DescribeVpcAttribute")) {
    const vpcId = workloadDhcp.vpcId ?? vpcs?.Vpcs?.[0]?.VpcId;
    if (vpcId) await add("ec2:DescribeVpcAttribute", () => ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsSupport" })));
    else checks.push(unverified("ec2:DescribeVpcAttribute", region, "no VPC of the topology found to try it on"));
  }
  await add("ec2:DescribeSubnets", () => ec2.send(new DescribeSubnetsCommand({ Filters: byTopology(topology) })));
  await add("ec2:DescribeRouteTables", () => ec2.send(new DescribeRouteTablesCommand({ Filters: byTopology(topology) })));
  await add("ec2:DescribeVpnConnections", () => ec2.send(new DescribeVpnConnectionsCommand({ Filters: byTopology(topology) })));
  for (const action of ["ec2:SearchTransitGatewayRoutes", "ec2:GetTransitGatewayRouteTableAssociations"] as const) {
    if (!actions.includes(action)) continue;
    if (!anyTable) {
      checks.push(unverified(action, region, "no route table of the topology found to try it on"));
      continue;
    }
    await add(action, () =>
      action === "ec2:SearchTransitGatewayRoutes"
        ? ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: anyTable, Filters: [{ Name: "state", Values: ["active", "blackhole"] }] }))
        : ec2.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: anyTable })),
    );
  }
  return { checks, ids, workloadDhcp };
}

/** The workload VPC's option set for the state the failover leaves the region in, with DryRun. */
async function dhcpAssociationCheck(region: string, ec2: EC2Client, active: boolean, ids: WorkloadDhcpIds): Promise<PreflightCheck> {
  const action = "ec2:AssociateDhcpOptions";
  const kind = workloadDhcpWhen(active);
  const optionsId = ids.optionSets[kind];
  const resource = `${ids.vpcId ?? "workload VPC"} ${optionsId ?? `${kind} DHCP options`}`;
  if (!ids.vpcId || !optionsId) return unverified(action, region, `the ${ids.vpcId ? `${kind} DHCP option set` : "workload VPC"} was not found by its tags`, resource);
  return dryRunCheck(action, region, resource, (DryRun) => ec2.send(new AssociateDhcpOptionsCommand({ DryRun, VpcId: ids.vpcId, DhcpOptionsId: optionsId })));
}

const ROUTE_WRITES = ["ec2:ReplaceTransitGatewayRoute", "ec2:CreateTransitGatewayRoute", "ec2:DeleteTransitGatewayRoute"] as const;

async function regionChecks(options: PreflightFailoverOptions, role: RegionRole, toRegion: string): Promise<PreflightCheck[]> {
  const { topology } = options;
  const region = topology[role].region;
  const ec2 = options.ec2(region);
  const actions = roleActions("failover", topology, { region });
  const { checks, ids, workloadDhcp } = await reads(topology, role, ec2, actions);
  const active = region === toRegion;
  // Only a topology with workloads has the association in its routing stack (and so the action).
  if (actions.includes("ec2:AssociateDhcpOptions")) checks.push(await dhcpAssociationCheck(region, ec2, active, workloadDhcp));
  const seen = new Set<string>();
  for (const route of transitRoutes(topology, role).filter(movesOnFailover)) {
    const routeTableId = ids.routeTables[route.table];
    const target = attachmentOf(topology, role, targetWhen(route, active), ids);
    for (const action of ROUTE_WRITES) {
      const blackhole = target.name === "blackhole";
      // Delete names no target; the others name the attachment, or a blackhole.
      const attachment = action === "ec2:DeleteTransitGatewayRoute" || blackhole ? undefined : target.id;
      const resource = `${routeTableId ?? route.table} ${action === "ec2:DeleteTransitGatewayRoute" ? "" : blackhole ? "blackhole" : (attachment ?? target.name)}`.trim();
      const key = `${action} ${resource}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!routeTableId || (!blackhole && action !== "ec2:DeleteTransitGatewayRoute" && !attachment)) {
        checks.push(unverified(action, region, `the ${routeTableId ? target.name : `${route.table} route table`} was not found by its tags`, resource));
        continue;
      }
      const input = { TransitGatewayRouteTableId: routeTableId, DestinationCidrBlock: route.cidr };
      const targetInput = attachment ? { TransitGatewayAttachmentId: attachment } : { Blackhole: true };
      checks.push(
        await dryRunCheck(action, region, resource, (DryRun) =>
          action === "ec2:ReplaceTransitGatewayRoute"
            ? ec2.send(new ReplaceTransitGatewayRouteCommand({ DryRun, ...input, ...targetInput }))
            : action === "ec2:CreateTransitGatewayRoute"
              ? ec2.send(new CreateTransitGatewayRouteCommand({ DryRun, ...input, ...targetInput }))
              : ec2.send(new DeleteTransitGatewayRouteCommand({ DryRun, ...input })),
        ),
      );
    }
  }
  return checks;
}

/** Every permission a failover to `toRegion` needs, asked of the current credentials; changes nothing. */
export async function preflightFailover(options: PreflightFailoverOptions): Promise<PreflightReport> {
  const { topology } = options;
  const toRegion = options.toRegion ?? topology.activeRegion;
  const roles = REGION_ROLES.filter((role) => !options.regions || options.regions.includes(topology[role].region));
  // Target first, as the failover itself goes.
  roles.sort((a, b) => Number(topology[b].region === toRegion) - Number(topology[a].region === toRegion));
  const checks: PreflightCheck[] = [];
  for (const role of roles) checks.push(...(await regionChecks(options, role, toRegion)));
  return report("failover", roles.map((r) => topology[r].region), checks);
}
