/**
 * `preflight --role failover`: in each region, every read the failover makes (terraform's for the
 * routing stack included) is made, and every route call it would send is sent with DryRun on the
 * real route tables and attachments: each route that moves, to where it goes when `toRegion`
 * becomes active. Nothing changes.
 */
import {
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
import { movesOnFailover, targetWhen, transitRoutes } from "../../config/transit-routes";
import { TAG_TOPOLOGY } from "../../constructs/naming";
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

/** The read calls of the role made for real, in one region, with what the writes need. */
async function reads(topology: Topology, region: string, ec2: EC2Client, actions: readonly IamAction[]) {
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
  await add("ec2:DescribeVpcs", () => ec2.send(new DescribeVpcsCommand({ Filters: byTopology(topology) })));
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
  return { checks, ids };
}

const ROUTE_WRITES = ["ec2:ReplaceTransitGatewayRoute", "ec2:CreateTransitGatewayRoute", "ec2:DeleteTransitGatewayRoute"] as const;

async function regionChecks(options: PreflightFailoverOptions, role: RegionRole, toRegion: string): Promise<PreflightCheck[]> {
  const { topology } = options;
  const region = topology[role].region;
  const ec2 = options.ec2(region);
  const actions = roleActions("failover", topology, { region });
  const { checks, ids } = await reads(topology, region, ec2, actions);
  const active = region === toRegion;
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
