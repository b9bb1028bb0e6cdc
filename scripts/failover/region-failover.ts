/**
 * One region's part of a failover, phase by phase:
 *
 * 1. probe: the region's EC2 API answers within the probe time limit (else `unreachable`, and
 *    nothing is changed there);
 * 2. replace routes: read the route tables and attachments by tag, then move every route that
 *    `movesOnFailover` in place with ReplaceTransitGatewayRoute (create the missing ones), all
 *    at once: the workload CIDRs are never without a route;
 * 3. init, plan: terraform plans the routing stack with the new `active_region`; its refresh reads
 *    the routes where they now point, so the saved plan must hold no change to a moved route
 *    (counted from `terraform show -json`);
 * 4. apply: the saved plan, so terraform's state and outputs agree with AWS;
 * 5. verify: both regions read back and every client of this region traced hop by hop to every
 *    workload (scripts/reach): delivered to the new active copy and answered; the copy being
 *    left must be fenced.
 *
 * A dry run stops before changing anything: it reads the routes, checks with DryRun that the
 * calls would be allowed, and plans.
 */
import * as path from "node:path";
import { DescribeAvailabilityZonesCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology";
import { movesOnFailover, transitRoutes } from "../../config/transit-routes";
import { STACK_NAMES } from "../../stacks/stack-names";
import { ACTIVE_REGION_VARIABLE } from "../../stacks/active-region";
import { isThrottlingError, isUnreachableError, withOperation } from "../lib/aws-errors";
import { PermissionCheck, checkPermission } from "../lib/dry-run";
import { Progress, StackPhase } from "../lib/progress";
import { findRegionTransit } from "../lib/route-inspection";
import { MachineOutput, RunOptions } from "../lib/terraform";
import { retryUntil } from "../lib/retry";
import { PlanJson, ResourceChange, resourceChanges } from "../plan/plan-json";
import { countChanges } from "../plan/summary";
import { flipRoutes, createRoute, replaceRoute } from "./flip-routes";
import { RegionProblem, classifyRegionError } from "./region-errors";
import { MovePlan, RouteMove, planRouteMoves } from "./route-moves";
import { readDesignRoutes } from "./verify-routes";
import { TraceVerification, verifyByTrace } from "./verify-reach";

export type RegionOutcome = "converged" | "unreachable" | "failed" | "planned" | "skipped";

export interface TerraformCounts {
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
}

export interface RegionResult {
  readonly role: RegionRole;
  readonly region: string;
  readonly outcome: RegionOutcome;
  /** One line for people, then details. */
  readonly detail: string;
  readonly seconds: number;
  /** Routes moved (replaced or created), or that a dry run would move. */
  readonly routeChanges?: number;
  readonly routesReplaced?: number;
  readonly routesCreated?: number;
  /** The phase the region ended in. */
  readonly phase?: StackPhase;
  /** Resource changes in the routing stack's saved plan (terraform show -json). */
  readonly terraform?: TerraformCounts;
  /** Changes the plan still held for moved routes: always 0 after a converged failover. */
  readonly movedRoutesInPlan?: number;
  readonly verification?: TraceVerification;
  /** Dry run: whether the role may move the routes (EC2 DryRun). */
  readonly permissions?: readonly PermissionCheck[];
  readonly error?: RegionProblem;
}

/** What the region flow needs from terraform (TerraformWorkspace has it). */
export interface RoutingTerraform {
  stackDir(stack: string): string;
  ensureInit(stack: string, options?: RunOptions): Promise<void>;
  planToFile(stack: string, out: string, options?: RunOptions & { vars?: Record<string, string> }): Promise<{ machine: MachineOutput }>;
  applyPlanFile(stack: string, planFile: string, options?: RunOptions): Promise<{ machine: MachineOutput }>;
  importResource(stack: string, address: string, id: string, options?: RunOptions & { vars?: Record<string, string> }): Promise<unknown>;
  showJson(stack: string, planFile?: string, options?: RunOptions): Promise<unknown>;
}

export interface RegionFailoverOptions {
  readonly topology: Topology;
  readonly role: RegionRole;
  readonly toRegion: string;
  readonly dryRun: boolean;
  /** EC2 clients of both regions: the changes go to this region only, the trace reads both. */
  readonly clients: { forRegion(region: string): EC2Client };
  readonly terraform: RoutingTerraform;
  readonly progress: Progress;
  /** Terraform address of each route of this region's routing stack, by design route id. */
  readonly routeAddresses: Readonly<Record<string, string>>;
  /** Bound on each terraform run, and on the AWS calls of the region (throttling retried until then). */
  readonly timeoutMs: number;
  /** After a terraform time-out, how long it may take to stop cleanly. */
  readonly gracePeriodMs?: number;
  /** @default 15 s */
  readonly probeTimeoutMs?: number;
  /** Ctrl-C. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

export const PROBE_TIMEOUT_MS = 15_000;

/** A time limit and the caller's abort, as one signal. */
function limit(ms: number, signal?: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms);
}

class RegionStop extends Error {
  constructor(
    readonly outcome: RegionOutcome,
    readonly problem: RegionProblem,
  ) {
    super(problem.message);
  }
}

/** Moving routes whose plan entry is not a no-op: after the in-place move there must be none. */
export function movedRouteChanges(plan: PlanJson, addresses: ReadonlySet<string>): ResourceChange[] {
  return resourceChanges(plan).filter((change) => addresses.has(change.address));
}

export async function failoverRegion(options: RegionFailoverOptions): Promise<RegionResult> {
  const { topology, role, toRegion, terraform, progress } = options;
  const now = options.now ?? Date.now;
  const region = topology[role].region;
  const ec2 = options.clients.forRegion(region);
  const stack = STACK_NAMES.routing(role);
  const item = `${region} ${stack}`;
  const active = region === toRegion;
  const started = now();
  const deadline = started + options.timeoutMs;
  const run: RunOptions = { timeoutMs: options.timeoutMs, gracePeriodMs: options.gracePeriodMs };
  const vars = { [ACTIVE_REGION_VARIABLE]: toRegion };
  const design = transitRoutes(topology, role);
  const moving = design.filter(movesOnFailover);
  let phase: StackPhase = "probe";
  const state: { plan?: MovePlan; replaced: number; created: number; counts?: TerraformCounts; inPlan?: number; verification?: TraceVerification; permissions?: PermissionCheck[] } = { replaced: 0, created: 0 };

  const enter = (next: StackPhase, detail: string) => {
    phase = next;
    progress.item(item, next, `${next}: ${detail}`);
  };
  const aws = <T>(work: (signal: AbortSignal) => Promise<T>) =>
    retryUntil(() => work(limit(Math.max(1_000, deadline - now()), options.signal)), { deadline, intervalMs: 1_000, signal: options.signal, isRetryable: isThrottlingError });
  const result = (outcome: RegionOutcome, detail: string, error?: RegionProblem): RegionResult => ({
    role,
    region,
    outcome,
    detail,
    seconds: Math.round((now() - started) / 100) / 10,
    routeChanges: state.replaced + state.created || (options.dryRun ? state.plan?.moves.filter((m) => m.action !== "none").length : 0) || 0,
    routesReplaced: state.replaced,
    routesCreated: state.created,
    phase,
    ...(state.counts ? { terraform: state.counts } : {}),
    ...(state.inPlan !== undefined ? { movedRoutesInPlan: state.inPlan } : {}),
    ...(state.verification ? { verification: state.verification } : {}),
    ...(state.permissions ? { permissions: state.permissions } : {}),
    ...(error ? { error } : {}),
  });

  try {
    enter("probe", "checking that the EC2 API answers");
    try {
      await withOperation("DescribeAvailabilityZones", ec2.send(new DescribeAvailabilityZonesCommand({}), { abortSignal: limit(options.probeTimeoutMs ?? PROBE_TIMEOUT_MS, options.signal) }));
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const problem = classifyRegionError(error, region);
      if (problem.outcome === "unreachable" || !isThrottlingError(error)) throw new RegionStop(problem.outcome, problem);
      // Throttled: the API answers; the reads below retry within the budget.
    }

    enter("replace-routes", "reading route tables and attachments by tag");
    const transit = await aws((signal) => findRegionTransit(ec2, topology, role, signal));
    const current = await aws((signal) => readDesignRoutes(ec2, transit, moving, signal));
    const plan = planRouteMoves(design, transit, current, active, (what) => `${what} tagged for ${topology.name}/${role} was not found in ${region}: apply ${STACK_NAMES.network(role)} and ${STACK_NAMES.peering} first`);
    state.plan = plan;
    if (plan.problems.length) {
      throw new RegionStop("failed", { outcome: "failed", code: "RouteTargetNotFound", message: plan.problems.join("\n"), check: `that ${STACK_NAMES.network(role)} and ${STACK_NAMES.peering} are applied in ${region}` });
    }
    const toMove = plan.moves.filter((m) => m.action !== "none");
    if (options.dryRun) {
      state.permissions = await aws(() => dryRunChecks(ec2, region, toMove));
      const denied = state.permissions.filter((check) => check.verdict === "missing");
      if (denied.length) {
        const permissions = denied.map((check) => check.permission).join(", ");
        throw new RegionStop("failed", {
          outcome: "failed",
          code: denied[0].code ?? "UnauthorizedOperation",
          operation: denied[0].permission.replace(/^ec2:/, ""),
          permission: permissions,
          message: `dry run: the role may not call ${permissions} in ${region}`,
          check: `grant ${permissions} in ${region} to the failover role ('npx regionpair iam policy failover' prints every permission a failover needs)`,
        });
      }
      progress.item(item, "replace-routes", `replace-routes: ${toMove.length} of ${plan.moves.length} moving route(s) would move (dry run)`);
    } else {
      progress.item(item, "replace-routes", `replace-routes: moving ${toMove.length} of ${plan.moves.length} route(s) in place`);
      const moved = await flipRoutes(ec2, toMove, { deadline, signal: options.signal });
      state.replaced = moved.replaced;
      state.created = moved.created;
    }

    enter("init", `terraform init ${stack}`);
    await terraform.ensureInit(stack, run);

    enter("plan", `terraform plan ${stack} with ${ACTIVE_REGION_VARIABLE}=${toRegion}`);
    const planFile = path.join(terraform.stackDir(stack), "failover.tfplan");
    const addresses = new Set(moving.map((route) => options.routeAddresses[route.id]).filter(Boolean));
    let saved = await planAndRead(terraform, stack, planFile, vars, run);
    if (!options.dryRun) {
      // Routes this run created (or that AWS has but the state lost) are adopted, not created twice.
      const adopt = movedRouteChanges(saved, addresses).filter((c) => c.kind === "add");
      if (adopt.length) {
        for (const change of adopt) {
          const route = moving.find((r) => options.routeAddresses[r.id] === change.address)!;
          await terraform.importResource(stack, change.address, `${transit.routeTableIds[route.table]}_${route.cidr}`, { ...run, vars });
        }
        saved = await planAndRead(terraform, stack, planFile, vars, run);
      }
    }
    const changes = resourceChanges(saved);
    state.counts = countChanges(changes);
    const inPlan = movedRouteChanges(saved, addresses);
    state.inPlan = options.dryRun ? undefined : inPlan.length;
    if (options.dryRun) {
      const others = changes.filter((c) => !addresses.has(c.address)).length;
      const allowed = (state.permissions ?? []).map((check) => `${check.permission} ${check.verdict}`);
      return result(
        toMove.length || others ? "planned" : "converged",
        (toMove.length || others
          ? `${toMove.length} route(s) would move in place; terraform would then have ${others ? `${others} other change(s)` : "nothing else to change"}`
          : "already routed this way") + (allowed.length ? ` (DryRun: ${allowed.join(", ")})` : ""),
      );
    }
    if (inPlan.length) {
      // Applying would delete and re-create routes that already point where they should.
      throw new RegionStop("failed", {
        outcome: "failed",
        code: "MovedRoutesInPlan",
        message: `the plan still changes ${inPlan.length} moved route(s): ${inPlan.map((c) => `${c.kind} ${c.address}`).join(", ")}; not applied`,
        check: `the routes in ${region} were moved; compare them with 'terraform -chdir=${terraform.stackDir(stack)} show ${planFile}'`,
      });
    }

    enter("apply", `terraform apply ${stack} (saved plan: ${changes.length} change(s))`);
    await terraform.applyPlanFile(stack, planFile, run);

    enter("verify", "tracing every client of the region to every workload");
    const verification = await verifyByTrace({ topology, clients: options.clients, role, toRegion, timeoutMs: options.probeTimeoutMs ?? PROBE_TIMEOUT_MS, signal: options.signal });
    state.verification = verification;
    if (verification.failures.length) {
      const own = verification.regions.find((r) => r.region === region);
      throw new RegionStop(own?.outcome === "unreachable" ? "unreachable" : "failed", {
        outcome: own?.outcome === "unreachable" ? "unreachable" : "failed",
        code: own?.error?.code ?? (own?.outcome === "unreachable" ? "Unreachable" : "ReachMismatch"),
        ...(own?.error?.operation ? { operation: own.error.operation } : {}),
        message: `${verification.failures.length} of ${verification.checked || "the"} traced path(s) are not as they must be with ${toRegion} active: ${verification.failures.join("; ")}`,
        check: own?.error?.hint ?? `'npx regionpair reach --active ${toRegion}' shows every hop; rerun the failover to converge`,
      });
    }
    progress.item(item, "done", `converged: ${state.replaced + state.created} route(s) moved, ${verification.checked} path(s) traced`);
    return result(
      "converged",
      `${state.replaced} route(s) replaced, ${state.created} created in place; terraform ${changes.length ? `applied ${changes.length} other change(s)` : "had nothing to change"}; ${verification.checked} path(s) traced as expected`,
    );
  } catch (error) {
    let stop: RegionStop;
    if (error instanceof RegionStop) stop = error;
    else if (options.signal?.aborted) stop = new RegionStop("failed", { outcome: "failed", code: "Interrupted", message: `stopped by a signal in phase ${phase}`, check: `rerun the same failover: it continues where this one stopped` });
    else {
      const problem = classifyRegionError(error, region);
      stop = new RegionStop(problem.outcome, problem);
      // terraform failing or timing out may be the region going away: ask the API.
      if (problem.outcome === "failed" && (problem.code === "TerraformFailed" || problem.code === "TerraformTimeout") && !(await answers(ec2, options.probeTimeoutMs))) {
        stop = new RegionStop("unreachable", { ...problem, outcome: "unreachable", check: `the EC2 API of ${region} stopped answering during terraform; ${problem.check}` });
      }
    }
    const moved = state.replaced + state.created;
    const prefix = moved ? `${moved} route(s) were moved before this; ` : "";
    progress.item(item, stop.outcome === "unreachable" ? "unreachable" : "failed", `${stop.outcome} in ${phase}: ${stop.problem.code}`);
    return result(stop.outcome, `${prefix}${stop.problem.code} in ${phase}: ${stop.problem.message}\ncheck: ${stop.problem.check}`, stop.problem);
  }
}

async function planAndRead(terraform: RoutingTerraform, stack: string, planFile: string, vars: Record<string, string>, run: RunOptions): Promise<PlanJson> {
  await terraform.planToFile(stack, planFile, { ...run, vars });
  return (await terraform.showJson(stack, planFile, run)) as PlanJson;
}

async function answers(ec2: EC2Client, probeTimeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    await ec2.send(new DescribeAvailabilityZonesCommand({}), { abortSignal: AbortSignal.timeout(probeTimeoutMs) });
    return true;
  } catch (error) {
    return !isUnreachableError(error);
  }
}

/** DryRun the calls the moves would make, one per kind: the role may or may not make them. */
async function dryRunChecks(ec2: EC2Client, region: string, moves: readonly RouteMove[]): Promise<PermissionCheck[]> {
  const checks: PermissionCheck[] = [];
  const replace = moves.find((m) => m.action === "replace");
  const create = moves.find((m) => m.action === "create");
  if (replace) checks.push(await checkPermission(() => replaceRoute(ec2, replace, undefined, true), { operation: "ReplaceTransitGatewayRoute", region, target: replace.routeTableId }));
  if (create) checks.push(await checkPermission(() => createRoute(ec2, create, undefined, true), { operation: "CreateTransitGatewayRoute", region, target: create.routeTableId }));
  return checks;
}

