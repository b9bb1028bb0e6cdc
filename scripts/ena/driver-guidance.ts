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
  /** What the instance was before the change, to go back to. */
  readonly previousType: string;
  readonly previousEnaSupport: boolean;
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
      `aws ec2 modify-instance-attribute --instance-id ${id} --region ${region} ${impaired.previousEnaSupport ? "--ena-support" : "--no-ena-support"}`,
      `aws ec2 modify-instance-attribute --instance-id ${id} --region ${region} --instance-type ${impaired.previousType}`,
    ];
    return new ExternalError(
      `${id} started after the change but fails its instance status check (${failed}): its operating system has no network, most likely because the ENA driver is missing`,
      "InstanceStatusImpaired",
      `stop it ('aws ec2 stop-instances --instance-ids ${id} --region ${region}'), then either go back to how it was ('${goBack.join("', then '")}') and start it, ` +
        "or fix the driver from the image taken before the change (regionpair ami copy): install the ENA driver there and run ena enable again",
    );
  }
  return new ExternalError(
    `${id} started after the change but fails its system status check (${failed}): a problem on AWS's side (the host, its network or power)`,
    "SystemStatusImpaired",
    `stop and start it ('aws ec2 stop-instances', then 'aws ec2 start-instances --instance-ids ${id} --region ${region}') to move it to another host; check the AWS Health Dashboard if it persists`,
  );
}
