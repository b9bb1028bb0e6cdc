/**
 * Restore readiness of the DR region, per protected instance: its newest DR copy is younger than
 * the RPO, encrypted, bootable with the intended type (ENA), and its mirrored subnet is there; and
 * for the region, the DHCP options the workload VPC gets while the region is active (the
 * directory's set) list the DR region's domain controllers first: a restored instance must find
 * its own region's directory before the other's. While passive the workload VPC uses the fenced
 * set (Amazon DNS), which the check reports but does not hold against it. The assessment is pure
 * (`assessReadiness`); `checkRestoreReadiness` reads the DR region only.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology-model";
import { CopyFacts, InstanceTypeFacts, SubnetFacts } from "./facts";
import { isMirrorProblem, mirroredSubnet } from "./mirror";
import { regionRoles } from "./plan";
import { WorkloadDhcp, findWorkloadVpc, readCopies, readInstanceTypes, readSubnets, readWorkloadDhcp } from "./read-dr";

export type CheckStatus = "ok" | "failed";

export interface ReadinessCheck {
  readonly status: CheckStatus;
  readonly detail: string;
}

export interface InstanceReadiness {
  readonly instanceId: string;
  readonly name?: string;
  /** The newest available copy, if any. */
  readonly copyImageId?: string;
  readonly copyAgeMinutes?: number;
  readonly checks: {
    readonly copyAge: ReadinessCheck;
    readonly encrypted: ReadinessCheck;
    readonly ena: ReadinessCheck;
    readonly mirroredSubnet: ReadinessCheck;
  };
  readonly ready: boolean;
}

export interface ReadinessReport {
  readonly drRegion: string;
  readonly rpoMinutes: number;
  readonly dhcp: ReadinessCheck;
  readonly instances: readonly InstanceReadiness[];
  /** Every check of every instance and the DHCP check passed (and there is at least one instance). */
  readonly ready: boolean;
}

export interface ReadinessInput {
  readonly topology: Topology;
  readonly drRegion: string;
  readonly rpoMinutes: number;
  readonly now: Date;
  readonly copies: readonly CopyFacts[];
  readonly subnets: readonly SubnetFacts[];
  readonly instanceTypes: readonly InstanceTypeFacts[];
  /** The DR region's DHCP option sets, as `readWorkloadDhcp` reads them; undefined without a workload VPC. */
  readonly dhcp?: WorkloadDhcp;
  /**
   * Instances that must have a copy (e.g. those tagged for DR in the source region, when it answers).
   * @default every instance with a copy in the DR region
   */
  readonly protectedInstanceIds?: readonly string[];
  /** The type each instance would be restored as (e.g. after a move to Nitro). @default the recorded type */
  readonly intendedTypes?: Readonly<Record<string, string>>;
}

const ok = (detail: string): ReadinessCheck => ({ status: "ok", detail });
const failed = (detail: string): ReadinessCheck => ({ status: "failed", detail });

function dhcpCheck(input: ReadinessInput, role: RegionRole): ReadinessCheck {
  const expected = input.topology[role].domainControllerIps;
  if (!input.dhcp) return failed(`${input.drRegion} has no regionpair workload VPC: deploy its network stack`);
  const { directory, current } = input.dhcp;
  if (!directory) return failed(`${input.drRegion} has no directory DHCP options (tag regionpair:dhcp-options=directory): deploy its network stack`);
  const now = !current
    ? ""
    : current.kind === "other"
      ? `; the workload VPC uses ${current.dhcpOptionsId}, which is neither regionpair set: apply the routing stack of ${input.drRegion}`
      : `; the workload VPC uses the ${current.kind} set now`;
  const servers = directory.domainNameServers;
  const first = servers.slice(0, expected.length);
  if (first.length === expected.length && first.every((ip, i) => ip === expected[i]) && current?.kind !== "other") {
    return ok(`${directory.dhcpOptionsId} (the workload VPC's while active) lists ${input.drRegion}'s domain controllers first: ${servers.join(", ")}${now}`);
  }
  if (current?.kind === "other") return failed(`${directory.dhcpOptionsId} lists ${servers.join(", ")}${now}`);
  return failed(`${directory.dhcpOptionsId} lists ${servers.join(", ") || "no DNS servers"}; ${input.drRegion}'s domain controllers ${expected.join(", ")} must come first: deploy the network stack of ${input.drRegion}`);
}

function newest(copies: readonly CopyFacts[]): CopyFacts | undefined {
  return [...copies].sort((a, b) => b.capturedAt.getTime() - a.capturedAt.getTime())[0];
}

export function assessReadiness(input: ReadinessInput): ReadinessReport {
  const roles = regionRoles(input.topology, input.drRegion);
  const sourceRegion = input.topology[roles.source].region;
  const fromSource = input.copies.filter((c) => c.sourceRegion === undefined || c.sourceRegion === sourceRegion);
  const ids = input.protectedInstanceIds ?? [...new Set(fromSource.map((c) => c.inventory.instanceId))].sort();
  const dhcp = dhcpCheck(input, roles.dr);

  const instances = ids.map((instanceId): InstanceReadiness => {
    const copies = fromSource.filter((c) => c.inventory.instanceId === instanceId);
    const copy = newest(copies.filter((c) => c.state === "available"));
    if (!copy) {
      const pending = newest(copies);
      const why = pending ? `no available copy in ${input.drRegion} (the newest, ${pending.imageId}, is ${pending.state})` : `no copy in ${input.drRegion}: run 'regionpair ami copy'`;
      const none = failed(why);
      return { instanceId, name: pending?.inventory.name, checks: { copyAge: none, encrypted: none, ena: none, mirroredSubnet: none }, ready: false };
    }
    const ageMinutes = Math.max(0, Math.round((input.now.getTime() - copy.capturedAt.getTime()) / 60_000));
    const copyAge =
      ageMinutes <= input.rpoMinutes
        ? ok(`${copy.imageId} captured ${ageMinutes} min ago, within the ${input.rpoMinutes} min RPO`)
        : failed(`${copy.imageId} captured ${ageMinutes} min ago, older than the ${input.rpoMinutes} min RPO: run 'regionpair ami copy' more often`);
    const encrypted = copy.encrypted ? ok(`every volume of ${copy.imageId} is encrypted`) : failed(`${copy.imageId} has unencrypted volumes: copy again with 'regionpair ami copy' (it copies encrypted)`);

    const type = input.intendedTypes?.[instanceId] ?? copy.inventory.instanceType;
    const facts = input.instanceTypes.find((t) => t.instanceType === type);
    const ena = !facts || !facts.exists
      ? failed(`${type} is not an instance type in ${input.drRegion}`)
      : facts.enaSupport === "required" && !copy.enaSupport
        ? failed(`${type} requires ENA and ${copy.imageId} is not enabled for ENA: 'regionpair ena enable' on the source, then copy again`)
        : ok(`${type} ${facts.enaSupport === "required" ? "requires ENA and the copy has it" : `ENA ${facts.enaSupport}, copy ENA ${copy.enaSupport ? "on" : "off"}`}`);

    const ip = copy.inventory.privateIps[0];
    const mirror = ip ? mirroredSubnet(input.topology, roles, { ip, availabilityZone: copy.inventory.availabilityZone }, input.subnets) : undefined;
    const mirroredCheck = !mirror
      ? failed(`${copy.imageId} records no private IP`)
      : isMirrorProblem(mirror)
        ? failed(`${mirror.problem}: ${mirror.fix}`)
        : ok(`${ip} → ${mirror.subnet.subnetId} (${mirror.subnet.cidr}, ${mirror.subnet.availabilityZone})`);

    const checks = { copyAge, encrypted, ena, mirroredSubnet: mirroredCheck };
    return {
      instanceId,
      name: copy.inventory.name,
      copyImageId: copy.imageId,
      copyAgeMinutes: ageMinutes,
      checks,
      ready: Object.values(checks).every((c) => c.status === "ok"),
    };
  });
  return { drRegion: input.drRegion, rpoMinutes: input.rpoMinutes, dhcp, instances, ready: dhcp.status === "ok" && instances.length > 0 && instances.every((i) => i.ready) };
}

export interface ReadinessOptions {
  readonly drRegion: string;
  readonly rpoMinutes: number;
  readonly protectedInstanceIds?: readonly string[];
  readonly intendedTypes?: Readonly<Record<string, string>>;
  /** @default now */
  readonly now?: Date;
}

/** Reads the DR region (copies, workload subnets, instance types, DHCP options) and assesses it. */
export async function checkRestoreReadiness(ec2: EC2Client, topology: Topology, options: ReadinessOptions): Promise<ReadinessReport> {
  const roles = regionRoles(topology, options.drRegion);
  const region = options.drRegion;
  const [copies, vpc] = await Promise.all([readCopies(ec2, region, options.protectedInstanceIds), findWorkloadVpc(ec2, topology, roles.dr)]);
  const types = [...new Set([...copies.map((c) => c.inventory.instanceType), ...Object.values(options.intendedTypes ?? {})])].sort();
  const [subnets, instanceTypes, dhcp] = await Promise.all([
    vpc ? readSubnets(ec2, region, vpc.vpcId) : [],
    readInstanceTypes(ec2, region, types),
    vpc ? readWorkloadDhcp(ec2, topology, roles.dr, vpc.dhcpOptionsId) : undefined,
  ]);
  return assessReadiness({ topology, drRegion: region, rpoMinutes: options.rpoMinutes, now: options.now ?? new Date(), copies, subnets, instanceTypes, dhcp, protectedInstanceIds: options.protectedInstanceIds, intendedTypes: options.intendedTypes });
}
