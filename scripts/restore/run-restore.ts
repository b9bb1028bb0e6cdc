/**
 * The work of `restore` and `restore --drill`: read the DR region (and, only when the DR copy is
 * routed, ask the source region whether it still routes its own, tolerating no answer), plan,
 * refuse before launching anything, launch, then wait for every instance at once: running, status
 * checks, online in Systems Manager; run the post-restore document and read its summary; for a
 * drill, trace that the instances are fenced. See docs/restore.md.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { Ec2Clients, SsmClients } from "../lib/aws";
import { toExternalError } from "../lib/aws-errors";
import { WeightedSemaphore } from "../lib/concurrency";
import { ExternalError } from "../lib/cli";
import { Progress } from "../lib/progress";
import { InterruptedError } from "../lib/retry";
import type { NetworkModel } from "../reach/network-model";
import type { FailureReport } from "../ami/retention";
import { DrFacts } from "./facts";
import { FenceResult, checkFence, fenceDestinations } from "./fence";
import { FixupOutcome, FixupRequest, runFixups } from "./fixups";
import { Polled, StatusChecks, instanceStates, pollUntilSettled, ssmPingStatus, statusChecks, statusChecksSettled } from "./fleet-waits";
import { launchPlanned } from "./launch";
import { AlreadyLaunched, LaunchPlan, RestorePlan, RestoreRequest, assessDrRouting, needsSourceRouting, planRestore, regionRoles } from "./plan";
import { readDrFacts } from "./read-dr";
import { readRegionRouting } from "./read-routing";
import type { RegionRouting } from "./routing-state";

export interface RestoreTimeouts {
  /** Until every instance is running. */
  readonly runningMs: number;
  /** Until the status checks pass and the instances are online in Systems Manager. */
  readonly healthMs: number;
  /** Until the post-restore document has finished. */
  readonly fixupsMs: number;
  /** For asking the source region about its routing. */
  readonly sourceMs: number;
}

export const DEFAULT_TIMEOUTS: RestoreTimeouts = { runningMs: 10 * 60_000, healthMs: 20 * 60_000, fixupsMs: 20 * 60_000, sourceMs: 15_000 };

export interface RestoreOptions extends RestoreRequest {
  readonly timeouts: RestoreTimeouts;
  /** Instances launched at once. */
  readonly concurrency: number;
  readonly pollIntervalMs: { readonly min: number; readonly max: number };
}

export interface RestoreDependencies {
  readonly clients: Ec2Clients;
  readonly ssm: SsmClients;
  /** A client for the source region that gives up within seconds (it may be the region that is down). */
  readonly sourceEc2: () => EC2Client;
  readonly progress: Progress;
  readonly signal?: AbortSignal;
  /**
   * Reads the pair's network back for the drill's fence check.
   * @default none: the fence is not traced, and the result says so
   */
  readonly readNetwork?: () => Promise<NetworkModel>;
  readonly now?: () => number;
}

export type SsmState = "online" | "not-online" | "skipped";

export interface InstanceReport {
  readonly sourceInstanceId: string;
  readonly name?: string;
  /** `launched` now, `earlier` (a rerun found it), or `failed` to launch. */
  readonly launch: "launched" | "earlier" | "failed";
  readonly instanceId?: string;
  readonly copyImageId?: string;
  readonly instanceType?: string;
  readonly availabilityZone?: string;
  readonly subnetIds?: readonly string[];
  readonly privateIps?: readonly string[];
  readonly state?: string;
  readonly statusChecks?: StatusChecks;
  readonly ssm: SsmState;
  readonly ssmDetail?: string;
  readonly fixups?: FixupOutcome;
  readonly fence?: FenceResult;
  readonly error?: FailureReport;
}

export interface RestoreResult {
  readonly drRegion: string;
  readonly sourceRegion: string;
  readonly drillId?: string;
  readonly plan: RestorePlan;
  readonly instances: readonly InstanceReport[];
  readonly warnings: readonly string[];
  /** Whether the drill's fence was traced (false without a network reader). */
  readonly fenceChecked: boolean;
  readonly seconds: number;
}

/** Refusals stop everything before a launch; the result still lists them. */
export class RestoreRefusedError extends ExternalError {
  constructor(
    readonly result: RestoreResult,
    message: string,
  ) {
    super(message, "RestoreRefused", "each refusal above names the instance and the fix; nothing was launched");
    this.name = "RestoreRefusedError";
  }
}

/** The source region's routing, or why it could not be asked: it is DR, so no answer is an answer. */
async function askSource(request: RestoreRequest, deps: RestoreDependencies, timeoutMs: number): Promise<RegionRouting> {
  const roles = regionRoles(request.topology, request.drRegion);
  const region = request.topology[roles.source].region;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  try {
    return await readRegionRouting(deps.sourceEc2(), request.topology, roles.source, signal);
  } catch (error) {
    if (deps.signal?.aborted) throw new InterruptedError();
    if (timeout.aborted) return { status: "unreachable", reason: `no answer from ${region} within ${timeoutMs / 1000} s` };
    const external = toExternalError(error, { region });
    if (external instanceof ExternalError) return { status: "unreachable", reason: `${external.code ?? "error"}: ${external.message}` };
    throw error;
  }
}

export async function planFromRegion(options: RestoreOptions, deps: RestoreDependencies): Promise<{ plan: RestorePlan; facts: DrFacts; warnings: string[] }> {
  const roles = regionRoles(options.topology, options.drRegion);
  const ec2 = deps.clients.forRegion(options.drRegion);
  const ssm = deps.ssm.forRegion(options.drRegion);
  deps.progress.note(`reading ${options.drRegion}: copies, workload VPC, addresses in use, routing`);
  const { facts, warnings } = await readDrFacts(ec2, ssm, {
    topology: options.topology,
    role: roles.dr,
    sourceInstanceIds: options.selection.kind === "instance-ids" ? options.selection.instanceIds : undefined,
    extraInstanceTypes: options.instanceType ? [options.instanceType] : [],
    signal: deps.signal,
  });
  const dr = assessDrRouting(options, facts.routing);
  let sourceRouting: RegionRouting | undefined;
  if (needsSourceRouting(options, dr)) {
    deps.progress.note(`${options.drRegion} routes its copy: asking ${options.topology[roles.source].region} whether it still routes its own`);
    sourceRouting = await askSource(options, deps, options.timeouts.sourceMs);
  }
  const plan = planRestore(options, facts, sourceRouting);
  return { plan, facts, warnings: [...warnings, ...plan.warnings] };
}

function launchedReport(launch: LaunchPlan, instanceId: string, created: boolean): InstanceReport {
  return {
    sourceInstanceId: launch.sourceInstanceId,
    name: launch.name,
    launch: created ? "launched" : "earlier",
    instanceId,
    copyImageId: launch.copyImageId,
    instanceType: launch.instanceType,
    availabilityZone: launch.availabilityZone,
    subnetIds: launch.interfaces.map((i) => i.subnetId),
    privateIps: launch.interfaces.flatMap((i) => [i.primaryIp, ...i.secondaryIps]),
    ssm: "skipped",
  };
}

function earlierReport(already: AlreadyLaunched, facts: DrFacts): InstanceReport {
  const launched = facts.launched.find((l) => l.instanceId === already.instanceId);
  return {
    sourceInstanceId: already.sourceInstanceId,
    name: already.name,
    launch: "earlier",
    instanceId: already.instanceId,
    copyImageId: already.copyImageId,
    instanceType: launched?.instanceType,
    availabilityZone: launched?.availabilityZone,
    subnetIds: launched?.subnetIds,
    privateIps: launched?.privateIps,
    state: already.state,
    ssm: "skipped",
  };
}

function failure(error: unknown): FailureReport {
  const external = toExternalError(error);
  if (external instanceof ExternalError) return { code: external.code, message: external.message, hint: external.hint };
  throw error;
}

export async function runRestore(options: RestoreOptions, deps: RestoreDependencies): Promise<RestoreResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { progress, signal } = deps;
  const region = options.drRegion;
  const ec2 = deps.clients.forRegion(region);
  const ssm = deps.ssm.forRegion(region);
  const { plan, facts, warnings } = await planFromRegion(options, deps);
  for (const note of plan.notes) progress.note(note);
  for (const warning of warnings) progress.warn(warning);
  const result = (instances: InstanceReport[], fenceChecked = false): RestoreResult => ({
    drRegion: region,
    sourceRegion: plan.sourceRegion,
    drillId: plan.drillId,
    plan,
    instances,
    warnings,
    fenceChecked,
    seconds: Math.round((now() - started) / 100) / 10,
  });
  if (plan.refusals.length > 0) {
    throw new RestoreRefusedError(result([]), `${plan.refusals.length} refusal(s); nothing was launched`);
  }

  // Launch.
  const known = new Set(facts.launched.map((l) => l.instanceId));
  const slots = new WeightedSemaphore(options.concurrency);
  for (const launch of plan.launches) progress.item(launch.sourceInstanceId, "queued", "queued");
  const launched = await Promise.all(
    plan.launches.map((launch) =>
      slots.run(1, async (): Promise<InstanceReport> => {
        progress.item(launch.sourceInstanceId, "launching", `launching ${launch.instanceType} from ${launch.copyImageId} at ${launch.interfaces[0].primaryIp}`);
        try {
          const { instanceId, created } = await launchPlanned(ec2, region, launch, plan.drillId, known);
          progress.item(launch.sourceInstanceId, "waiting", `${instanceId} ${created ? "launched" : "(launched by an earlier run)"}`);
          return launchedReport(launch, instanceId, created);
        } catch (error) {
          if (signal?.aborted) throw new InterruptedError("stopped by a signal; instances already launched keep running: run the same command again");
          const report = failure(error);
          progress.item(launch.sourceInstanceId, "failed", `launch failed: ${report.code ?? ""} ${report.message}`);
          return { sourceInstanceId: launch.sourceInstanceId, name: launch.name, launch: "failed", copyImageId: launch.copyImageId, ssm: "skipped", error: report };
        }
      }),
    ),
  );
  let reports: InstanceReport[] = [...launched, ...plan.alreadyLaunched.map((a) => earlierReport(a, facts))];
  const byInstance = (id: string) => reports.find((r) => r.instanceId === id)!;
  const update = (id: string, change: Partial<InstanceReport>) => {
    reports = reports.map((r) => (r.instanceId === id ? { ...r, ...change } : r));
  };
  const poll = (ms: number) => ({ deadline: now() + ms, signal, minIntervalMs: options.pollIntervalMs.min, maxIntervalMs: options.pollIntervalMs.max, now });

  // Running.
  const live = reports.filter((r) => r.instanceId).map((r) => r.instanceId!);
  const states = await pollUntilSettled(live, instanceStates(ec2, region, signal), (s) => s !== "pending", poll(options.timeouts.runningMs), (values) => {
    for (const [id, state] of values) progress.item(byInstance(id).sourceInstanceId, "waiting", `${id} ${state}`);
  });
  for (const [id, polled] of states) update(id, { state: polled.value ?? "unknown" });
  const running = live.filter((id) => states.get(id)?.value === "running");

  // Status checks and Systems Manager, together.
  const launchOf = (id: string) => plan.launches.find((l) => l.sourceInstanceId === byInstance(id).sourceInstanceId);
  const profiled = running.filter((id) => !!launchOf(id)?.instanceProfileArn || !!plan.alreadyLaunched.find((a) => a.instanceId === id)?.hasInstanceProfile);
  const [checks, pings] = await Promise.all([
    pollUntilSettled(running, statusChecks(ec2, region, signal), statusChecksSettled, poll(options.timeouts.healthMs), (values) => {
      for (const [id, c] of values) progress.item(byInstance(id).sourceInstanceId, "waiting", `${id} status checks: instance ${c.instance}, system ${c.system}`);
    }),
    pollUntilSettled(profiled, ssmPingStatus(ssm, region, signal), (s) => s === "Online", poll(options.timeouts.healthMs), (values) => {
      for (const [id, s] of values) progress.item(byInstance(id).sourceInstanceId, "waiting", `${id} Systems Manager: ${s}`);
    }),
  ]);
  for (const [id, polled] of checks) if (polled.value) update(id, { statusChecks: polled.value });
  for (const id of running) {
    const ping: Polled<string> | undefined = pings.get(id);
    if (!ping) update(id, { ssm: "skipped", ssmDetail: "no instance profile recorded, so SSM Agent cannot register" });
    else if (ping.settled) update(id, { ssm: "online" });
    else update(id, { ssm: "not-online", ssmDetail: `${ping.value ?? "not registered"} after ${Math.round(options.timeouts.healthMs / 60_000)} min` });
  }

  // Fix-ups.
  const online = running.filter((id) => byInstance(id).ssm === "online");
  const platformOf = (id: string) => launchOf(id)?.platform ?? plan.alreadyLaunched.find((a) => a.instanceId === id)?.platform ?? "linux";
  const requests: FixupRequest[] = (["windows", "linux"] as const).flatMap((platform) => {
    const document = facts.documents[platform];
    const instanceIds = online.filter((id) => platformOf(id) === platform);
    return document && instanceIds.length > 0 ? [{ document, instanceIds }] : [];
  });
  for (const request of requests) for (const id of request.instanceIds) progress.item(byInstance(id).sourceInstanceId, "fixing-up", `${id} running ${request.document}`);
  const fixups = await runFixups(ssm, region, requests, {
    ...poll(options.timeouts.fixupsMs),
    comment: plan.drillId ? `regionpair restore drill ${plan.drillId}` : "regionpair restore",
    onProgress: (id, status) => progress.item(byInstance(id).sourceInstanceId, "fixing-up", `${id} post-restore document: ${status}`),
  });
  for (const outcome of fixups) update(outcome.instanceId, { fixups: outcome });

  // The drill's fence, traced over the network as it is now.
  let fenceChecked = false;
  if (plan.drillId && deps.readNetwork && running.length > 0) {
    const model = await deps.readNetwork();
    const destinations = fenceDestinations(options.topology);
    for (const id of running) {
      const ip = byInstance(id).privateIps?.[0];
      if (ip) update(id, { fence: checkFence(model, region, ip, destinations) });
    }
    fenceChecked = true;
  }

  for (const r of reports) {
    if (!r.instanceId) continue;
    const healthy = r.state === "running" && (r.statusChecks ? statusChecksSettled(r.statusChecks) && r.statusChecks.instance === "ok" : false);
    const fixed = r.fixups?.summary?.ok === true;
    progress.item(r.sourceInstanceId, healthy && (fixed || r.ssm === "skipped") ? "done" : "failed", `${r.instanceId} ${r.state}${r.ssm === "online" ? ", online in Systems Manager" : ""}${r.fixups ? `, fix-ups ${r.fixups.summary ? (fixed ? "ok" : "with problems") : r.fixups.status}` : ""}`);
  }
  return result(reports, fenceChecked);
}
