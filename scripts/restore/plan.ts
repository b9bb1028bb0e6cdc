/**
 * The pure part of `restore`: from what was read in the DR region (and, only when it matters,
 * the source region's routing), which copy each selected instance comes back from, into which
 * subnet, with which addresses, type, security groups, profile, tags and client token; which are
 * already back from an earlier run; and every refusal, decided before anything is launched.
 */
import { Tag } from "@aws-sdk/client-ec2";
import { RegionRole, Topology, otherRole, roleOfRegion } from "../../config/topology-model";
import { transitRoutes } from "../../config/transit-routes";
import type { PostRestorePlatform } from "../../constructs/naming";
import { UsageError } from "../lib/cli";
import type { TagSelector } from "../ami/select-instances";
import { CopyFacts, DrFacts, LaunchedInstance, isLive } from "./facts";
import { addressProblem, isMirrorProblem, mirroredSubnet } from "./mirror";
import { launchTags, restoreClientToken } from "./naming";
import { RegionRouting, RoutingAssessment, assessRouting } from "./routing-state";

export type RestoreSelection =
  | { readonly kind: "instance-ids"; readonly instanceIds: readonly string[] }
  | { readonly kind: "tags"; readonly tags: readonly TagSelector[] }
  | { readonly kind: "all" };

export interface RestoreRequest {
  readonly topology: Topology;
  /** The region to restore into; the other region of the pair is the source. */
  readonly drRegion: string;
  readonly selection: RestoreSelection;
  /** --type: instead of the recorded type. */
  readonly instanceType?: string;
  /** Set for a drill: launch into the fenced passive copy. */
  readonly drillId?: string;
  /** --force: restore into the routed copy even while the source region still routes its own. */
  readonly force: boolean;
}

export interface InterfacePlan {
  readonly deviceIndex: number;
  readonly subnetId: string;
  readonly primaryIp: string;
  readonly secondaryIps: readonly string[];
}

export interface LaunchPlan {
  readonly sourceInstanceId: string;
  readonly name?: string;
  readonly copyImageId: string;
  readonly capturedAt: Date;
  readonly platform: PostRestorePlatform;
  readonly instanceType: string;
  readonly availabilityZone: string;
  readonly zoneIndex: number;
  readonly interfaces: readonly InterfacePlan[];
  readonly securityGroupIds: readonly string[];
  readonly securityGroupNames: readonly string[];
  readonly instanceProfileArn?: string;
  readonly tags: readonly Tag[];
  /** The first attempt's token; see `restoreClientToken`. */
  readonly clientToken: string;
}

/** An instance a rerun finds already back: nothing is launched for it. */
export interface AlreadyLaunched {
  readonly sourceInstanceId: string;
  readonly name?: string;
  readonly instanceId: string;
  readonly state: string;
  readonly copyImageId?: string;
  readonly platform: PostRestorePlatform;
  /** Its copy records an instance profile, so it can be online in Systems Manager. */
  readonly hasInstanceProfile: boolean;
  /** A newer copy than the one it was launched from, if there is one. */
  readonly newerCopyImageId?: string;
}

export type RefusalCode =
  | "NoCopy"
  | "CopyNotAvailable"
  | "NoWorkloadVpc"
  | "NoAddress"
  | "NoMirroredSubnet"
  | "ZoneMismatch"
  | "NotAWorkloadAddress"
  | "AddressNotInSubnet"
  | "InterfacesInTwoZones"
  | "AddressInUse"
  | "UnknownInstanceType"
  | "InstanceTypeNotOffered"
  | "EnaRequired"
  | "SecurityGroupMissing"
  | "BothCopiesLive"
  | "NotFenced";

export interface Refusal {
  readonly code: RefusalCode;
  /** The source instance it is about; absent for the whole request (routing). */
  readonly sourceInstanceId?: string;
  readonly name?: string;
  readonly problem: string;
  readonly fix: string;
}

export interface RoutingReport {
  readonly dr: RoutingAssessment;
  /** Only asked when the DR copy is routed and this is not a drill. */
  readonly source?: RoutingAssessment & { readonly asked: "answered" | "unreachable" | "not-found" };
}

export interface RestorePlan {
  readonly drRegion: string;
  readonly sourceRegion: string;
  readonly drRole: RegionRole;
  readonly drillId?: string;
  readonly launches: readonly LaunchPlan[];
  readonly alreadyLaunched: readonly AlreadyLaunched[];
  readonly refusals: readonly Refusal[];
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
  readonly routing: RoutingReport;
}

export interface RegionRoles {
  readonly dr: RegionRole;
  readonly source: RegionRole;
}

/** The DR region's role in the pair and the source's; a region outside the pair is a usage error. */
export function regionRoles(topology: Topology, drRegion: string): RegionRoles {
  const dr = roleOfRegion(topology, drRegion);
  if (!dr) {
    throw new UsageError(`--region ${drRegion} is not a region of the pair in ${topology.source} (${topology.primary.region}, ${topology.secondary.region})`);
  }
  return { dr, source: otherRole(dr) };
}

/** The DR region's routing, as the design of its role reads it. */
export function assessDrRouting(request: RestoreRequest, routing: RegionRouting): RoutingAssessment {
  const roles = regionRoles(request.topology, request.drRegion);
  return assessRouting(transitRoutes(request.topology, roles.dr), routing);
}

/**
 * Whether the source region must be asked before launching: only when restoring (not drilling)
 * into a DR copy that is routed, where both copies could end up live with the same addresses.
 */
export function needsSourceRouting(request: RestoreRequest, dr: RoutingAssessment): boolean {
  return request.drillId === undefined && dr.mode === "active";
}

/** The copy's recorded tags match every selector (the same key twice matches either value). */
export function matchesTags(copy: CopyFacts, selectors: readonly TagSelector[]): boolean {
  const tags = new Map((copy.inventory.tags ?? []).map((t) => [t.Key!, t.Value ?? ""]));
  if (!tags.has("Name") && copy.inventory.name) tags.set("Name", copy.inventory.name);
  const byKey = new Map<string, string[]>();
  for (const { key, value } of selectors) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  return [...byKey].every(([key, values]) => tags.has(key) && values.includes(tags.get(key)!));
}

function newest(copies: readonly CopyFacts[]): CopyFacts | undefined {
  return [...copies].sort((a, b) => b.capturedAt.getTime() - a.capturedAt.getTime())[0];
}

function describeSelection(selection: RestoreSelection): string {
  if (selection.kind === "tags") return selection.tags.map((t) => `--tag ${t.key}=${t.value}`).join(" ");
  return selection.kind === "all" ? "--all" : selection.instanceIds.join(", ");
}

/** Source instance id → its copies from the source region, newest available first. */
function copiesBySource(facts: DrFacts, sourceRegion: string): Map<string, CopyFacts[]> {
  const bySource = new Map<string, CopyFacts[]>();
  for (const copy of facts.copies) {
    if (copy.sourceRegion !== undefined && copy.sourceRegion !== sourceRegion) continue;
    const id = copy.inventory.instanceId;
    bySource.set(id, [...(bySource.get(id) ?? []), copy]);
  }
  return bySource;
}

function routingRefusals(request: RestoreRequest, dr: RoutingAssessment, sourceRouting: RegionRouting | undefined, roles: RegionRoles, workloadDhcp: DrFacts["workloadDhcp"]): {
  refusals: Refusal[];
  warnings: string[];
  notes: string[];
  source?: RoutingReport["source"];
} {
  const { topology } = request;
  const drRegion = request.drRegion;
  const sourceRegion = topology[roles.source].region;
  const refusals: Refusal[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  if (request.drillId !== undefined) {
    if (dr.mode !== "passive" || !dr.fenced) {
      refusals.push({
        code: "NotFenced",
        problem: `a drill needs ${drRegion} passive with its workload route table all blackholes (the fence); it is ${dr.mode}${dr.fenced ? "" : ", not fenced"}: ${dr.reason}`,
        fix: `drill only in the passive region (fail over with 'npm run failover -- --to ${sourceRegion}' first, or drill in ${sourceRegion}), and check ${drRegion}'s routing stack is applied`,
      });
    } else if (workloadDhcp !== "fenced") {
      refusals.push({
        code: "NotFenced",
        problem: `${drRegion}'s workload VPC uses ${workloadDhcp === "directory" ? "the directory's DHCP options" : workloadDhcp === "other" ? "DHCP options regionpair did not make" : "DHCP options that could not be read"}, not the fenced ones: a drill instance could locate the domain`,
        fix: `apply the routing stack of ${drRegion} (while passive it gives the workload VPC the fenced DHCP options)`,
      });
    }
    return { refusals, warnings, notes };
  }
  if (dr.mode === "passive") {
    notes.push(`${drRegion} is passive: the restored instances are fenced (no route out, Amazon DNS instead of the directory) until a failover to ${drRegion} routes them`);
    return { refusals, warnings, notes };
  }
  if (dr.mode !== "active") {
    warnings.push(`${drRegion}'s routing is ${dr.mode} (${dr.reason}); restoring anyway`);
    return { refusals, warnings, notes };
  }
  if (!sourceRouting) return { refusals, warnings, notes };
  const sourceDesign = transitRoutes(topology, roles.source);
  const assessed = assessRouting(sourceDesign, sourceRouting);
  const asked = sourceRouting.status === "read" ? "answered" : sourceRouting.status;
  const source = { ...assessed, asked } as const;
  if (sourceRouting.status === "unreachable") {
    warnings.push(`could not ask ${sourceRegion} whether it still routes its copy (${sourceRouting.reason}); going on, as a DR restore must`);
  } else if (assessed.mode === "active" || assessed.mode === "mixed") {
    if (request.force) {
      warnings.push(`--force: ${sourceRegion} still routes its copy (${assessed.reason}) and ${drRegion} routes this one: both are live with the same addresses`);
    } else {
      refusals.push({
        code: "BothCopiesLive",
        problem: `${drRegion} routes its copy of the workload CIDRs and ${sourceRegion} still routes its own (${assessed.reason}): restored instances would be live twice with the same addresses`,
        fix: `fail over first ('npm run failover -- --to ${drRegion}' makes ${sourceRegion} passive), or pass --force if ${sourceRegion}'s instances are really gone`,
      });
    }
  }
  return { refusals, warnings, notes, source };
}

/** Everything about one selected instance: a launch, an earlier launch found again, or refusals. */
function planInstance(
  request: RestoreRequest,
  facts: DrFacts,
  roles: RegionRoles,
  copy: CopyFacts,
  newestAny: CopyFacts,
): { launch?: LaunchPlan; already?: AlreadyLaunched; refusals: Refusal[] } {
  const { topology } = request;
  const inventory = copy.inventory;
  const sourceId = inventory.instanceId;
  const name = inventory.name;
  const refusals: Refusal[] = [];
  const refuse = (code: RefusalCode, problem: string, fix: string) => refusals.push({ code, sourceInstanceId: sourceId, name, problem, fix });
  const drill = request.drillId !== undefined;
  const kind = drill ? "drill" : "restore";

  // A restore that is still there is the answer to a rerun: nothing is launched twice.
  const earlier = facts.launched.filter((l) => l.sourceInstanceId === sourceId && isLive(l));
  const earlierRestore = earlier.find((l) => l.kind === "restore");
  if (!drill && earlierRestore) {
    return {
      already: {
        sourceInstanceId: sourceId,
        name,
        instanceId: earlierRestore.instanceId,
        state: earlierRestore.state,
        copyImageId: earlierRestore.copyImageId,
        platform: copy.platform,
        hasInstanceProfile: !!inventory.instanceProfileArn,
        newerCopyImageId: earlierRestore.copyImageId !== copy.imageId ? copy.imageId : undefined,
      },
      refusals,
    };
  }

  if (copy.state !== "available") {
    refuse("CopyNotAvailable", `its newest copy ${newestAny.imageId} is ${newestAny.state}, and no copy is available`, "wait for 'regionpair ami copy' to finish (it waits for pending copies), or run it again");
    return { refusals };
  }
  if (!facts.workloadVpcId) {
    refuse("NoWorkloadVpc", `${facts.region} has no regionpair workload VPC`, `deploy the network stack of ${facts.region}`);
    return { refusals };
  }
  if (inventory.privateIps.length === 0) {
    refuse("NoAddress", `copy ${copy.imageId} records no private IP`, "copy the instance again with 'regionpair ami copy'");
    return { refusals };
  }

  // Addresses by interface, as recorded; images made before that was recorded have one interface.
  const sizes = inventory.interfaceSizes ?? [inventory.privateIps.length];
  const interfaces: InterfacePlan[] = [];
  let zoneIndex = -1;
  let availabilityZone = "";
  let offset = 0;
  for (const [deviceIndex, count] of sizes.entries()) {
    const ips = inventory.privateIps.slice(offset, offset + count);
    offset += count;
    const [primaryIp, ...secondaryIps] = ips;
    const mirror = mirroredSubnet(topology, roles, { ip: primaryIp, availabilityZone: deviceIndex === 0 ? inventory.availabilityZone : undefined }, facts.subnets);
    if (isMirrorProblem(mirror)) {
      refuse(mirror.code, mirror.problem, mirror.fix);
      continue;
    }
    if (deviceIndex === 0) {
      zoneIndex = mirror.zoneIndex;
      availabilityZone = mirror.subnet.availabilityZone;
    } else if (mirror.zoneIndex !== zoneIndex) {
      refuse("InterfacesInTwoZones", `interface ${deviceIndex} (${primaryIp}) mirrors a subnet in another zone than interface 0`, "all of an instance's interfaces must be in one zone: check the recorded addresses");
      continue;
    }
    for (const ip of secondaryIps) {
      const problem = addressProblem(mirror.subnet.cidr, ip);
      if (problem) refuse("AddressNotInSubnet", `secondary address of interface ${deviceIndex}: ${problem}`, "check the recorded addresses (regionpair:private-ips) on the copy");
    }
    interfaces.push({ deviceIndex, subnetId: mirror.subnet.subnetId, primaryIp, secondaryIps });
  }

  for (const ip of inventory.privateIps) {
    const holder = facts.addressesInUse.find((a) => a.ip === ip);
    if (!holder) continue;
    const launched = holder.instanceId ? facts.launched.find((l) => l.instanceId === holder.instanceId) : undefined;
    refuse("AddressInUse", `${ip} is in use in ${facts.region} by ${holderText(holder.networkInterfaceId, holder.instanceId, launched)}`, fixForHolder(holder.instanceId, launched, facts.region, drill));
  }

  const instanceType = request.instanceType ?? inventory.instanceType;
  const typeFacts = facts.instanceTypes.find((t) => t.instanceType === instanceType);
  if (!typeFacts || !typeFacts.exists) {
    refuse("UnknownInstanceType", `instance type ${instanceType} does not exist in ${facts.region}`, "choose another type with --type");
  } else {
    if (availabilityZone && !typeFacts.zones.includes(availabilityZone)) {
      refuse("InstanceTypeNotOffered", `${instanceType} is not offered in ${availabilityZone}, the zone that mirrors the source's`, "choose a type offered there with --type");
    }
    if (typeFacts.enaSupport === "required" && !copy.enaSupport) {
      refuse(
        "EnaRequired",
        `${instanceType} requires ENA and copy ${copy.imageId} is not enabled for ENA, so it would not boot`,
        `choose a type without ENA with --type (e.g. the recorded ${inventory.instanceType} if it is one), or enable ENA on the source ('regionpair ena enable') and copy it again`,
      );
    }
  }

  const groupNames = inventory.securityGroupNames ?? [];
  const groupIds: string[] = [];
  for (const groupName of groupNames) {
    const group = facts.securityGroups.find((g) => g.groupName === groupName);
    if (group) groupIds.push(group.groupId);
    else refuse("SecurityGroupMissing", `security group '${groupName}' is not in the DR workload VPC ${facts.workloadVpcId}`, `create '${groupName}' in ${facts.workloadVpcId} in ${facts.region} with the same rules as in the source region`);
  }

  if (refusals.length > 0) return { refusals };
  return {
    launch: {
      sourceInstanceId: sourceId,
      name,
      copyImageId: copy.imageId,
      capturedAt: copy.capturedAt,
      platform: copy.platform,
      instanceType,
      availabilityZone,
      zoneIndex,
      interfaces,
      securityGroupIds: groupIds,
      securityGroupNames: groupNames,
      instanceProfileArn: inventory.instanceProfileArn,
      tags: launchTags(inventory.tags?.length ? inventory.tags : name ? [{ Key: "Name", Value: name }] : [], {
        kind,
        topology: topology.name,
        sourceInstanceId: sourceId,
        copyImageId: copy.imageId,
        drillId: request.drillId,
      }),
      clientToken: restoreClientToken(sourceId, copy.imageId, request.drillId),
    },
    refusals,
  };
}

function holderText(networkInterfaceId: string, instanceId: string | undefined, launched: LaunchedInstance | undefined): string {
  if (!instanceId) return `network interface ${networkInterfaceId} (attached to no instance)`;
  if (!launched) return `${instanceId} (${networkInterfaceId})`;
  return launched.kind === "drill" ? `${instanceId}, launched by drill ${launched.drillId}` : `${instanceId}, an earlier restore of ${launched.sourceInstanceId} from ${launched.copyImageId}`;
}

function fixForHolder(instanceId: string | undefined, launched: LaunchedInstance | undefined, region: string, drill: boolean): string {
  if (launched?.kind === "drill" && launched.drillId) return `end that drill first: regionpair restore --region ${region} --drill --cleanup ${launched.drillId}`;
  if (launched?.kind === "restore" && drill) {
    return `the instance is restored in ${region} as ${instanceId}: no drill of it can run there while that restore holds its addresses`;
  }
  if (instanceId) return `terminate ${instanceId} in ${region} if it is not needed, or restore this instance later`;
  return "delete that network interface if it is not needed, or restore this instance later";
}

/**
 * Plans the whole request. A selection that matches no copy is a usage error; everything else
 * that stops a launch is a refusal, and the command launches nothing while any is left.
 */
export function planRestore(request: RestoreRequest, facts: DrFacts, sourceRouting?: RegionRouting): RestorePlan {
  const { topology } = request;
  const roles = regionRoles(topology, request.drRegion);
  const sourceRegion = topology[roles.source].region;
  const dr = assessDrRouting(request, facts.routing);
  const routing = routingRefusals(request, dr, sourceRouting, roles, facts.workloadDhcp);
  const refusals: Refusal[] = [...routing.refusals];
  const warnings = [...routing.warnings];
  const notes = [...routing.notes];

  const bySource = copiesBySource(facts, sourceRegion);
  const selected: Array<{ id: string; copies: CopyFacts[] }> = [];
  if (request.selection.kind === "instance-ids") {
    for (const id of request.selection.instanceIds) {
      const copies = bySource.get(id);
      if (copies) selected.push({ id, copies });
      else refusals.push({ code: "NoCopy", sourceInstanceId: id, problem: `no regionpair copy of ${id} from ${sourceRegion} in ${facts.region}`, fix: `copy it first: regionpair ami copy --region ${sourceRegion} --target-region ${facts.region} --instance-id ${id}` });
    }
  } else {
    const tags = request.selection.kind === "tags" ? request.selection.tags : undefined;
    for (const [id, copies] of [...bySource].sort(([a], [b]) => a.localeCompare(b))) {
      const current = newest(copies.filter((c) => c.state === "available")) ?? newest(copies)!;
      if (!tags || matchesTags(current, tags)) selected.push({ id, copies });
    }
    if (selected.length === 0) {
      throw new UsageError(`no regionpair copy from ${sourceRegion} in ${facts.region} matches ${describeSelection(request.selection)}`);
    }
  }

  const launches: LaunchPlan[] = [];
  const alreadyLaunched: AlreadyLaunched[] = [];
  for (const { copies } of selected) {
    const available = newest(copies.filter((c) => c.state === "available"));
    const newestAny = newest(copies)!;
    const outcome = planInstance(request, facts, roles, available ?? newestAny, newestAny);
    if (outcome.launch) launches.push(outcome.launch);
    if (outcome.already) alreadyLaunched.push(outcome.already);
    refusals.push(...outcome.refusals);
  }
  for (const already of alreadyLaunched) {
    if (already.newerCopyImageId) {
      warnings.push(`${already.sourceInstanceId} is already restored as ${already.instanceId} from ${already.copyImageId}; a newer copy ${already.newerCopyImageId} exists: terminate ${already.instanceId} to restore from it`);
    }
    if (request.instanceType) warnings.push(`${already.sourceInstanceId} is already restored as ${already.instanceId}; --type ${request.instanceType} does not change it`);
  }
  for (const launch of launches) {
    if (launch.securityGroupNames.length === 0) warnings.push(`${launch.sourceInstanceId}: its copy records no security groups; the workload VPC's default group applies`);
    if (!launch.instanceProfileArn) warnings.push(`${launch.sourceInstanceId}: its copy records no instance profile, so it cannot register with Systems Manager (no fix-ups)`);
  }
  for (const platform of ["windows", "linux"] as const) {
    const needed = [...launches, ...alreadyLaunched].some((l) => l.platform === platform);
    if (needed && !facts.documents[platform]) warnings.push(`the ${platform} post-restore document is not in ${facts.region}: deploy its network stack; fix-ups are skipped`);
  }

  return {
    drRegion: request.drRegion,
    sourceRegion,
    drRole: roles.dr,
    drillId: request.drillId,
    launches,
    alreadyLaunched,
    refusals,
    warnings,
    notes,
    routing: { dr, source: routing.source },
  };
}

/** One line per refusal, naming the instance and the fix. */
export function formatRefusal(refusal: Refusal): string {
  const who = refusal.sourceInstanceId ? `${refusal.sourceInstanceId}${refusal.name ? ` (${refusal.name})` : ""}: ` : "";
  return `${who}${refusal.problem}. Fix: ${refusal.fix}`;
}
