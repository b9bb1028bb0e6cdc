/**
 * An instance's platform as the commands report and record it: EC2's PlatformDetails (e.g.
 * `Windows`, `Red Hat Enterprise Linux`), or, when an endpoint leaves it out, `Windows` for
 * Platform=windows and `Linux/UNIX` otherwise (EC2 sets Platform only for Windows).
 */
import { Instance } from "@aws-sdk/client-ec2";

export function instancePlatform(instance: Pick<Instance, "PlatformDetails" | "Platform">): string {
  if (instance.PlatformDetails) return instance.PlatformDetails;
  return String(instance.Platform ?? "").toLowerCase() === "windows" ? "Windows" : "Linux/UNIX";
}
