/**
 * What the operating system needs before ENA and a Nitro type, said in one place: the reminder
 * printed before any change (and kept in docs/ena-enable.md), and what to do when the instance
 * comes up without them.
 */
import { ExternalError } from "../lib/cli";
import { InstanceTypeFacts } from "./instance-facts";

/** The reminder printed before any change: drivers first, then the switch. */
export function driverReminder(target: InstanceTypeFacts, platform: string): string {
  const windows = platform.toLowerCase().startsWith("windows");
  const ena = windows ? "the AWS ENA driver" : "the ena kernel module";
  const nvme = windows ? "the AWS NVMe driver" : "the nvme driver in the initramfs";
  const lines = [
    `Before this change the operating system must have ${ena}. Without it the instance starts with no network: it is unreachable and fails its reachability status check.`,
  ];
  if (target.nvmeSupport === "required") {
    lines.push(
      `${target.instanceType} presents EBS volumes, the boot volume included, as NVMe devices: without ${nvme} the instance does not boot.`,
    );
  }
  lines.push("An image taken just before (regionpair ami copy) is the way back if it goes wrong.");
  return lines.join(" ");
}

export interface ImpairedInstance {
  readonly instanceId: string;
  readonly region: string;
  /** ENA support was turned on by this change (else it was on already). */
  readonly enaEnabled: boolean;
  /** The type before the change, when the change moved it to `newType`. */
  readonly previousType?: string;
  readonly newType?: string;
  /** The new type presents EBS volumes as NVMe: without that driver the instance does not boot. */
  readonly newTypeNeedsNvme: boolean;
  /** DescribeInstanceStatus: `system` and `instance` status, and the failed checks. */
  readonly checks: { readonly system: string; readonly instance: string; readonly failed: readonly string[] };
}

/**
 * The error for an instance that started after the change but fails a status check. A failed
 * instance (reachability) check after enabling ENA is the sign of a missing ENA driver: the
 * operating system came up without a network. A failed system check is AWS's host.
 */
export function statusCheckFailure(impaired: ImpairedInstance): ExternalError {
  const { instanceId: id, region, checks } = impaired;
  const failed = checks.failed.length > 0 ? checks.failed.join(", ") : `system ${checks.system}, instance ${checks.instance}`;
  if (checks.instance === "impaired") {
    const goBack = [
      ...(impaired.enaEnabled ? [`aws ec2 modify-instance-attribute --instance-id ${id} --region ${region} --no-ena-support`] : []),
      ...(impaired.previousType ? [`aws ec2 modify-instance-attribute --instance-id ${id} --region ${region} --instance-type ${impaired.previousType}`] : []),
    ];
    const drivers = [impaired.enaEnabled ? "the ENA driver (no network)" : undefined, impaired.newTypeNeedsNvme && impaired.newType ? `the NVMe driver ${impaired.newType} needs for its volumes (no boot)` : undefined]
      .filter(Boolean)
      .join(" or ");
    const cause = drivers ? `most likely because the operating system lacks ${drivers}` : "its operating system does not answer";
    return new ExternalError(
      `${id} started after the change but fails its instance status check (${failed}): ${cause}`,
      "InstanceStatusImpaired",
      `stop it ('aws ec2 stop-instances --instance-ids ${id} --region ${region}'), then either go back to how it was ('${goBack.join("', then '")}') and start it, ` +
        "or fix the drivers from the image taken before the change (regionpair ami copy): install them there and run ena enable again",
    );
  }
  return new ExternalError(
    `${id} started after the change but fails its system status check (${failed}): a problem on AWS's side (the host, its network or power)`,
    "SystemStatusImpaired",
    `stop and start it ('aws ec2 stop-instances', then 'aws ec2 start-instances --instance-ids ${id} --region ${region}') to move it to another host; check the AWS Health Dashboard if it persists`,
  );
}
