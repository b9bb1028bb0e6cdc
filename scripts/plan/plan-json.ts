/**
 * What the summary needs from `terraform show -json <plan>`: the resource changes, the region of
 * the stack's provider, the planned variables, and which attachment ids are VPC or peering
 * attachments (from the data sources the routing stacks read at plan time).
 * Format: https://developer.hashicorp.com/terraform/internals/json-format
 */

export type ChangeKind = "add" | "change" | "replace" | "destroy";

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  /** Attributes whose value is known only after apply (`true` for each). */
  readonly afterUnknown: Record<string, unknown>;
}

export interface PlanJson {
  readonly format_version?: string;
  readonly resource_changes?: Array<{
    address: string;
    mode: "managed" | "data";
    type: string;
    change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null; after_unknown?: Record<string, unknown> };
  }>;
  readonly variables?: Record<string, { value: unknown }>;
  readonly prior_state?: { values?: { root_module?: ModuleValues } };
  readonly configuration?: { provider_config?: Record<string, { name: string; alias?: string; expressions?: Record<string, { constant_value?: unknown }> }> };
}

interface ModuleValues {
  resources?: Array<{ mode: string; type: string; values?: Record<string, unknown> }>;
  child_modules?: ModuleValues[];
}

/** Terraform's action lists mapped to what a reviewer calls them; no-op and read are not changes. */
export function changeKind(actions: readonly string[]): ChangeKind | undefined {
  const key = actions.join(",");
  switch (key) {
    case "create":
      return "add";
    case "update":
      return "change";
    case "delete":
      return "destroy";
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      return undefined;
  }
}

export function resourceChanges(plan: PlanJson): ResourceChange[] {
  return (plan.resource_changes ?? []).flatMap((change) => {
    if (change.mode !== "managed") return [];
    const kind = changeKind(change.change.actions);
    return kind ? [{ address: change.address, type: change.type, kind, before: change.change.before, after: change.change.after, afterUnknown: change.change.after_unknown ?? {} }] : [];
  });
}

/** The region of the stack's (first) AWS provider, when it is a constant. */
export function providerRegion(plan: PlanJson): string | undefined {
  const providers = Object.values(plan.configuration?.provider_config ?? {}).filter((p) => p.name === "aws" || p.name.endsWith("/aws"));
  const region = providers[0]?.expressions?.region?.constant_value;
  return typeof region === "string" ? region : undefined;
}

export function variableValue(plan: PlanJson, name: string): string | undefined {
  const value = plan.variables?.[name]?.value;
  return typeof value === "string" ? value : undefined;
}

export type AttachmentKind = "vpc" | "peering" | "vpn";

function visitResources(plan: PlanJson, visit: (resource: { type: string; values?: Record<string, unknown> }) => void): void {
  const walk = (module: ModuleValues | undefined) => {
    for (const resource of module?.resources ?? []) visit(resource);
    module?.child_modules?.forEach(walk);
  };
  walk(plan.prior_state?.values?.root_module);
}

/** Attachment id → kind, from the attachment data sources the stack read at plan time. */
export function attachmentKinds(plan: PlanJson): Map<string, AttachmentKind> {
  const kinds = new Map<string, AttachmentKind>();
  visitResources(plan, (resource) => {
    const id = resource.values?.id;
    if (typeof id !== "string") return;
    if (resource.type === "aws_ec2_transit_gateway_vpc_attachment") kinds.set(id, "vpc");
    if (resource.type === "aws_ec2_transit_gateway_vpn_attachment") kinds.set(id, "vpn");
    if (resource.type === "aws_ec2_transit_gateway_peering_attachment" || resource.type === "aws_ec2_transit_gateway_peering_attachment_accepter") {
      kinds.set(id, "peering");
    }
  });
  return kinds;
}

/**
 * Transit gateway route table id → which of the design's tables it is (`clients`, `peering`,
 * `workload`), from the `regionpair:tgw-route-table` tag the route table data sources read.
 */
export function routeTableNames(plan: PlanJson, tag: string): Map<string, string> {
  const names = new Map<string, string>();
  visitResources(plan, (resource) => {
    const id = resource.values?.id;
    const name = (resource.values?.tags as Record<string, unknown> | undefined)?.[tag];
    if (resource.type === "aws_ec2_transit_gateway_route_table" && typeof id === "string" && typeof name === "string") names.set(id, name);
  });
  return names;
}
