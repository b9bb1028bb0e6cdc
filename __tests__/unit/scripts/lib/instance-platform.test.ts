import { Instance } from "@aws-sdk/client-ec2";
import { instancePlatform } from "../../../../scripts/lib/instance-platform";

describe("an instance's platform", () => {
  test.each([
    [{ PlatformDetails: "Red Hat Enterprise Linux", Platform: undefined }, "Red Hat Enterprise Linux"],
    [{ PlatformDetails: "Windows with SQL Server Standard", Platform: "windows" }, "Windows with SQL Server Standard"],
    [{ PlatformDetails: undefined, Platform: "windows" }, "Windows"],
    [{ PlatformDetails: undefined, Platform: undefined }, "Linux/UNIX"],
  ])("GIVEN %j WHEN read THEN it is %s", (instance, platform) => {
    // DescribeInstances answers Platform "windows" in lower case, whatever the SDK's type says.
    expect(instancePlatform(instance as Pick<Instance, "PlatformDetails" | "Platform">)).toBe(platform);
  });
});
