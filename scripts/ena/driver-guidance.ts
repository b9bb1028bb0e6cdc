/**
 * What the operating system needs before ENA and a Nitro type, said in one place: the reminder
 * printed before any change (and kept in docs/ena-enable.md).
 */
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
