/**
 * Every transit gateway route a plan creates, deletes, replaces or points elsewhere: the routing
 * story of a pull request. Blackhole routes (the fence) read as `blackhole (fenced)`; a target
 * only known after apply says so.
 */
import { TAG_ROUTE_TABLE } from "../../constructs/naming";
import { AttachmentKind, ChangeKind, PlanJson, ResourceChange, attachmentKinds, providerRegion, resourceChanges, routeTableNames } from "./plan-json";

export interface TransitRouteChange {
  readonly stack: string;
  readonly region: string;
  readonly routeTableId: string;
  /** `clients`, `peering` or `workload`, when the plan shows the table's tag. */
  readonly table?: string;
  readonly cidr: string;
  /** add: a new route; destroy: deleted; replace: deleted, then created (a gap); change: in place. */
  readonly kind: ChangeKind;
  readonly from: string;
  readonly to: string;
}

const KIND_WORDS: Record<AttachmentKind, string> = { vpc: "VPC attachment", peering: "peering", vpn: "VPN attachment" };

export const NO_ROUTE = "(none)";
export const BLACKHOLE = "blackhole (fenced)";

function describeTarget(values: Record<string, unknown> | null, unknown: Record<string, unknown>, kinds: Map<string, AttachmentKind>): string {
  if (!values) return NO_ROUTE;
  if (values.blackhole === true) return BLACKHOLE;
  const id = values.transit_gateway_attachment_id;
  if (typeof id !== "string" || id === "") return unknown.transit_gateway_attachment_id ? "(known after apply)" : NO_ROUTE;
  const kind = kinds.get(id);
  return kind ? `${KIND_WORDS[kind]} ${id}` : `attachment ${id}`;
}

/** The transit gateway routes of one stack's plan that are created, deleted, replaced or retargeted. */
export function transitRouteChanges(stack: string, plan: PlanJson): TransitRouteChange[] {
  const kinds = attachmentKinds(plan);
  const tables = routeTableNames(plan, TAG_ROUTE_TABLE);
  const region = providerRegion(plan) ?? "?";
  return resourceChanges(plan)
    .filter((c) => c.type === "aws_ec2_transit_gateway_route")
    .map((c: ResourceChange) => {
      const from = describeTarget(c.before, {}, kinds);
      const to = c.kind === "destroy" ? NO_ROUTE : describeTarget(c.after, c.afterUnknown, kinds);
      const value = (name: string) => String(c.after?.[name] ?? c.before?.[name] ?? (c.afterUnknown[name] ? "(known after apply)" : "?"));
      const routeTableId = value("transit_gateway_route_table_id");
      return { stack, region, routeTableId, table: tables.get(routeTableId), cidr: value("destination_cidr_block"), kind: c.kind, from, to };
    })
    // An in-place update that leaves the target as it was does not change where traffic goes.
    .filter((c) => c.kind !== "change" || c.from !== c.to);
}
