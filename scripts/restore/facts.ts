/**
 * What `restore` reads from the DR region before deciding anything, as plain data: the DR copies
 * and their inventories, the workload VPC's subnets, security groups and the addresses its network
 * interfaces hold, what regionpair launched there before, the instance types asked for, the
 * routing of both regions and the post-restore documents. `read-dr.ts` fills it from the EC2 and
 * SSM APIs; the planning is pure over it, so tests build it by hand.
 */
import type { InstanceInventory } from "../ami/inventory-tags";
import type { SupportLevel } from "../ena/instance-facts";
import type { PostRestorePlatform } from "../../constructs/naming";
import type { RegionRouting } from "./routing-state";

/** A regionpair copy (role `copy`) in the DR region. */
export interface CopyFacts {
  readonly imageId: string;
  /** `available`, `pending`, `failed`, ... */
  readonly state: string;
  readonly capturedAt: Date;
  readonly sourceRegion?: string;
  readonly inventory: InstanceInventory;
  /** The image's own enaSupport attribute: what decides whether an ENA-only type boots from it. */
  readonly enaSupport: boolean;
  /** Every EBS volume of the image is encrypted. */
  readonly encrypted: boolean;
  readonly platform: PostRestorePlatform;
}

export interface SubnetFacts {
  readonly subnetId: string;
  readonly cidr: string;
  readonly availabilityZone: string;
}

/** A private address held by a network interface of the DR workload VPC. */
export interface AddressUse {
  readonly ip: string;
  readonly networkInterfaceId: string;
  readonly subnetId: string;
  /** The instance the interface is attached to, if any. */
  readonly instanceId?: string;
}

/** Why regionpair launched an instance: a restore, or a drill. */
export type LaunchKind = "restore" | "drill";

/** An instance regionpair launched in the DR region earlier (found by its tags). */
export interface LaunchedInstance {
  readonly instanceId: string;
  /** `pending`, `running`, `stopped`, `terminated`, ... */
  readonly state: string;
  readonly kind: LaunchKind;
  readonly sourceInstanceId: string;
  readonly copyImageId?: string;
  readonly drillId?: string;
  readonly clientToken?: string;
  readonly instanceType?: string;
  /** Every private address, primary first. */
  readonly privateIps: readonly string[];
  readonly subnetIds: readonly string[];
  readonly availabilityZone?: string;
}

export interface InstanceTypeFacts {
  readonly instanceType: string;
  /** False when DescribeInstanceTypes does not know it in the DR region. */
  readonly exists: boolean;
  /** NetworkInfo.EnaSupport. */
  readonly enaSupport: SupportLevel;
  /** The DR zones it is offered in. */
  readonly zones: readonly string[];
}

export interface SecurityGroupFacts {
  readonly groupId: string;
  readonly groupName: string;
}

/** Which of regionpair's DHCP option sets the workload VPC uses: the directory's, the fenced one, or neither. */
export type WorkloadDhcpKind = "directory" | "fenced" | "other";

export interface DrFacts {
  readonly region: string;
  /** The DR workload VPC (tag `regionpair:vpc=workload`), if the network stack made one. */
  readonly workloadVpcId?: string;
  readonly copies: readonly CopyFacts[];
  readonly subnets: readonly SubnetFacts[];
  readonly addressesInUse: readonly AddressUse[];
  readonly launched: readonly LaunchedInstance[];
  readonly securityGroups: readonly SecurityGroupFacts[];
  readonly instanceTypes: readonly InstanceTypeFacts[];
  readonly routing: RegionRouting;
  /**
   * The workload VPC's DHCP options now: the fence's second layer is the `fenced` set (Amazon DNS,
   * no directory), which the routing stack associates while the region is passive.
   * @default unknown
   */
  readonly workloadDhcp?: WorkloadDhcpKind;
  /** The post-restore documents found in the DR region, by platform. */
  readonly documents: Readonly<Partial<Record<PostRestorePlatform, string>>>;
}

/** Instance states in which an instance still exists and holds its addresses. */
export const LIVE_INSTANCE_STATES: readonly string[] = ["pending", "running", "stopping", "stopped"];

export function isLive(instance: { readonly state: string }): boolean {
  return LIVE_INSTANCE_STATES.includes(instance.state);
}
