/**
 * The roles regionpair's pipelines and operators assume, and the one list of calls each makes:
 * the commands' declared calls (calls/*.ts) and terraform's calls for the stacks it runs (from the
 * synthesized stacks' types). `iam policy`, the iam stack, the preflight, the emulator users and
 * docs/permissions.md all come from here.
 */
import { REGION_ROLES, RegionRole, Topology } from "../../config/topology";
import { STACK_NAMES } from "../../stacks/stack-names";
import { AwsCall, IamAction, call } from "./aws-call";
import { AMI_COPY_CALLS } from "./calls/ami-copy";
import { ENA_ENABLE_CALLS } from "./calls/ena-enable";
import { FAILOVER_CALLS } from "./calls/failover";
import { REACH_CALLS } from "./calls/reach";
import { RESTORE_CALLS } from "./calls/restore";
import { STATUS_CALLS } from "./calls/status";
import { Grant, PolicyDocument, policyDocument } from "./policy-document";
import { ScopeContext, grantsFor } from "./resource-scopes";
import { StateAccess, stateCalls, stateGrants } from "./state-grants";
import { synthesizedStackTypes, typesOf } from "./stack-types";
import { terraformActions } from "./terraform-actions";
import { ROLE_NAMES, ROLE_SUMMARIES, RoleName, iamRoleName, isRoleName } from "./role-names";

export { ROLE_NAMES, ROLE_SUMMARIES, iamRoleName, isRoleName };
export type { RoleName };

export interface RoleOptions {
  /** Only this region of the pair. @default both */
  readonly region?: string;
  /** Account in ARNs. @default "*" */
  readonly account?: string;
}

export interface RoleCall extends AwsCall {
  /** Where the need comes from: a command, or `terraform <stack>`. */
  readonly source: string;
}

function regionRoles(topology: Topology, options: RoleOptions): RegionRole[] {
  return REGION_ROLES.filter((role) => options.region === undefined || topology[role].region === options.region);
}

function terraformCalls(topology: Topology, stacks: readonly string[], mode: "read" | "read-write"): RoleCall[] {
  const types = typesOf(synthesizedStackTypes(topology), stacks);
  return terraformActions(types, mode).map((action) => ({ action, purpose: `terraform ${mode === "read" ? "plan" : "apply"}`, source: `terraform ${stacks.join(", ")}` }));
}

function fromCommand(calls: { command: string; calls: readonly AwsCall[] }): RoleCall[] {
  return calls.calls.map((c) => ({ ...c, source: calls.command }));
}

function stateAccess(stacks: ReadonlyArray<{ stack: string; role: RegionRole }>, write: boolean): StateAccess {
  return { stacks, write };
}

interface RoleParts {
  readonly calls: RoleCall[];
  readonly state?: StateAccess;
}

function roleParts(role: RoleName, topology: Topology, options: RoleOptions): RoleParts {
  // KMS calls only for customer managed keys the topology names: the default EBS key needs no
  // grant of the role (its key policy admits EBS callers of the account).
  const withKeys = (calls: RoleCall[]) => calls.filter((c) => !c.action.startsWith("kms:") || (topology.iam?.kmsKeyArns.length ?? 0) > 0);
  const roles = regionRoles(topology, options);
  const regional = roles.flatMap((r) => [STACK_NAMES.network(r), STACK_NAMES.routing(r)]);
  const allStacks = options.region === undefined ? [...regional.filter((s) => s.startsWith("network")), STACK_NAMES.peering, ...regional.filter((s) => s.startsWith("routing"))] : regional;
  const stateOf = (stacks: readonly string[]) =>
    stacks.map((stack) => ({ stack, role: stack === STACK_NAMES.peering ? ("primary" as RegionRole) : (stack.endsWith("secondary") ? "secondary" : "primary") as RegionRole }));
  const identity: RoleCall = { ...call("sts:GetCallerIdentity", "terraform: check the credentials' account"), source: "terraform" };
  // The iam stack (global, state with the primary): the pipelines plan and refresh it, so an
  // unchanged one is a no-op; changing it (roles, policies, trust) is an administrator's apply.
  const iamStack = topology.iam && options.region === undefined ? [STACK_NAMES.iam] : [];
  switch (role) {
    case "deploy":
      return {
        calls: [
          ...terraformCalls(topology, allStacks, "read-write"),
          ...terraformCalls(topology, iamStack, "read"),
          identity,
          // failover.yml runs the failover command as the deploy role (workflow-roles.ts).
          ...fromCommand(FAILOVER_CALLS),
        ],
        state: stateAccess(stateOf([...allStacks, ...iamStack]), true),
      };
    case "plan":
      return {
        calls: [...terraformCalls(topology, [...allStacks, ...iamStack], "read"), identity, ...fromCommand(STATUS_CALLS), ...fromCommand(REACH_CALLS)],
        state: stateAccess(stateOf([...allStacks, ...iamStack]), false),
      };
    case "failover": {
      const routing = roles.map((r) => STACK_NAMES.routing(r));
      return {
        calls: [...fromCommand(FAILOVER_CALLS), ...terraformCalls(topology, routing, "read-write"), identity, ...fromCommand(STATUS_CALLS), ...fromCommand(REACH_CALLS)],
        state: stateAccess(stateOf(routing), true),
      };
    }
    case "ami-copy":
      return { calls: withKeys(fromCommand(AMI_COPY_CALLS)) };
    case "ena-enable":
      return { calls: withKeys(fromCommand(ENA_ENABLE_CALLS)) };
    case "restore":
      return { calls: withKeys(fromCommand(RESTORE_CALLS)) };
  }
}

/** Every call of the role with where it comes from; an action may appear more than once. */
export function roleCalls(role: RoleName, topology: Topology, options: RoleOptions = {}): RoleCall[] {
  const parts = roleParts(role, topology, options);
  const state = parts.state ? stateCalls(topology, parts.state).map((c) => ({ ...c, source: "terraform state" })) : [];
  return [...parts.calls, ...state];
}

/** The distinct actions of the role, sorted. */
export function roleActions(role: RoleName, topology: Topology, options: RoleOptions = {}): IamAction[] {
  return [...new Set(roleCalls(role, topology, options).map((c) => c.action))].sort();
}

export function scopeContext(topology: Topology, options: RoleOptions = {}): ScopeContext {
  return {
    topology,
    regions: regionRoles(topology, options).map((r) => topology[r].region),
    account: options.account ?? "*",
    kmsKeyArns: topology.iam?.kmsKeyArns ?? [],
  };
}

/**
 * The role's policy: each action as narrow as AWS allows, state keys of its stacks only.
 * `without` leaves actions out (to prove each one is needed).
 */
export function rolePolicy(role: RoleName, topology: Topology, options: RoleOptions & { readonly without?: readonly IamAction[] } = {}): PolicyDocument {
  const context = scopeContext(topology, options);
  const parts = roleParts(role, topology, options);
  const skip = new Set(options.without ?? []);
  const actions = [...new Set(parts.calls.map((c) => c.action))].filter((a) => !skip.has(a)).sort();
  const grants: Grant[] = actions.flatMap((action) => grantsFor(action, context, role));
  const state = parts.state ? stateGrants(topology, parts.state).map((g) => ({ ...g, actions: g.actions.filter((a) => !skip.has(a)) })).filter((g) => g.actions.length) : [];
  return policyDocument([...grants, ...state]);
}
