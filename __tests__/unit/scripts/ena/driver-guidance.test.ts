import { InstanceTypeFacts } from "../../../../scripts/ena/instance-facts";
import { driverReminder, ImpairedInstance, statusCheckFailure } from "../../../../scripts/ena/driver-guidance";

const m5: InstanceTypeFacts = { instanceType: "m5.large", enaSupport: "required", nvmeSupport: "required", architectures: ["x86_64"] };
const m4Type: InstanceTypeFacts = { instanceType: "m4.large", enaSupport: "unsupported", nvmeSupport: "unsupported", architectures: ["x86_64"] };

describe("the driver reminder", () => {
  test("GIVEN Windows and a Nitro type WHEN reminding THEN it names the ENA and NVMe drivers and what happens without them", () => {
    const text = driverReminder(m5, "Windows");
    expect(text).toMatch(/AWS ENA driver.*no network: it is unreachable and fails its reachability status check/);
    expect(text).toMatch(/NVMe devices: without the AWS NVMe driver the instance does not boot/);
  });

  test("GIVEN Linux and a type without NVMe WHEN reminding THEN it names the ena module and leaves NVMe out", () => {
    const text = driverReminder(m4Type, "Linux/UNIX");
    expect(text).toMatch(/ena kernel module/);
    expect(text).not.toMatch(/NVMe/);
  });
});

describe("an instance that fails its status checks after the change", () => {
  const impaired = (fields: Partial<ImpairedInstance>): ImpairedInstance => ({
    instanceId: "i-1",
    region: "eu-west-1",
    enaEnabled: true,
    previousType: "m4.large",
    newType: "m5.large",
    newTypeNeedsNvme: true,
    checks: { system: "ok", instance: "impaired", failed: ["instance reachability"] },
    ...fields,
  });

  test("GIVEN ENA turned on and m4 → m5 WHEN the instance check fails THEN both drivers are named and going back undoes both changes", () => {
    const error = statusCheckFailure(impaired({}));
    expect(error).toMatchObject({ code: "InstanceStatusImpaired", message: expect.stringContaining("lacks the ENA driver (no network) or the NVMe driver m5.large needs for its volumes (no boot)") });
    expect(error.hint).toContain("'aws ec2 modify-instance-attribute --instance-id i-1 --region eu-west-1 --no-ena-support', then 'aws ec2 modify-instance-attribute --instance-id i-1 --region eu-west-1 --instance-type m4.large'");
  });

  test("GIVEN only ENA turned on, the type kept WHEN the instance check fails THEN only the ENA driver is named and only ENA is undone", () => {
    const error = statusCheckFailure(impaired({ previousType: undefined, newType: undefined }));
    expect(error.message).toMatch(/lacks the ENA driver \(no network\)$/);
    expect(error.hint).toContain("--no-ena-support");
    expect(error.hint).not.toContain("--instance-type");
  });

  test("GIVEN ENA on already and only the type changed WHEN the instance check fails THEN the NVMe driver is named and only the type is undone", () => {
    const error = statusCheckFailure(impaired({ enaEnabled: false }));
    expect(error.message).toMatch(/lacks the NVMe driver m5\.large needs for its volumes \(no boot\)$/);
    expect(error.hint).not.toContain("--no-ena-support");
    expect(error.hint).toContain("--instance-type m4.large");
  });

  test("GIVEN the system check impaired WHEN reported THEN it is AWS's host, and the fix is a stop and start", () => {
    const error = statusCheckFailure(impaired({ checks: { system: "impaired", instance: "ok", failed: ["system reachability"] } }));
    expect(error).toMatchObject({ code: "SystemStatusImpaired", hint: expect.stringMatching(/^stop and start it/) });
  });
});
