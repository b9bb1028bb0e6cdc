import { InstanceFacts, InstanceTypeFacts } from "../../../../scripts/ena/instance-facts";
import { driverReminder, planEnaEnable } from "../../../../scripts/ena/plan";

const m4: InstanceFacts = {
  instanceId: "i-1",
  state: "running",
  instanceType: "m4.large",
  enaSupport: false,
  architecture: "x86_64",
  availabilityZone: "us-east-1a",
  platform: "Windows",
};
const m5: InstanceTypeFacts = { instanceType: "m5.large", enaSupport: "required", nvmeSupport: "required", architectures: ["x86_64"] };
const m4Type: InstanceTypeFacts = { instanceType: "m4.large", enaSupport: "unsupported", nvmeSupport: "unsupported", architectures: ["x86_64"] };

describe("planning ena enable", () => {
  test("a running m4 to m5 with --allow-stop: stop, enable, change type, start", () => {
    expect(planEnaEnable(m4, m5, { allowStop: true, dryRun: false })).toEqual({
      noop: false,
      stop: true,
      waitUntilStopped: false,
      enableEna: true,
      newType: "m5.large",
      start: true,
      notes: [],
    });
  });

  test("ENA on and the type as asked: nothing to do, even running without --allow-stop", () => {
    expect(planEnaEnable({ ...m4, instanceType: "m5.large", enaSupport: true }, m5, { allowStop: false, dryRun: false }).noop).toBe(true);
  });

  test("a running instance without --allow-stop is a usage error that says how to proceed", () => {
    expect(() => planEnaEnable(m4, m5, { allowStop: false, dryRun: false })).toThrow(
      "i-1 is running: ENA support and the instance type can only change while it is stopped; add --allow-stop",
    );
  });

  test("a dry run plans the stop without --allow-stop and notes it", () => {
    const plan = planEnaEnable(m4, m5, { allowStop: false, dryRun: true });
    expect(plan.stop).toBe(true);
    expect(plan.notes).toEqual(["i-1 is running: the change needs --allow-stop"]);
  });

  test("a stopped instance is changed and not started", () => {
    const plan = planEnaEnable({ ...m4, state: "stopped" }, m5, { allowStop: false, dryRun: false });
    expect(plan).toMatchObject({ stop: false, start: false, enableEna: true, newType: "m5.large" });
  });

  test("a stopping instance is waited for, not stopped again, and not started", () => {
    expect(planEnaEnable({ ...m4, state: "stopping" }, m5, { allowStop: false, dryRun: false })).toMatchObject({ stop: false, waitUntilStopped: true, start: false });
  });

  test("a type of another architecture is refused", () => {
    expect(() => planEnaEnable(m4, { ...m5, instanceType: "m6g.large", architectures: ["arm64"] }, { allowStop: true, dryRun: false })).toThrow(
      "--type m6g.large runs arm64 but i-1 is x86_64",
    );
  });

  test.each(["terminated", "shutting-down"])("a %s instance is refused", (state) => {
    expect(() => planEnaEnable({ ...m4, state }, m5, { allowStop: true, dryRun: false })).toThrow(`i-1 is ${state}`);
  });

  test("enabling ENA on a type without ENA is allowed with a note", () => {
    const plan = planEnaEnable({ ...m4, state: "stopped" }, m4Type, { allowStop: false, dryRun: false });
    expect(plan.newType).toBeUndefined();
    expect(plan.notes).toEqual(["m4.large does not use ENA; the attribute takes effect once the instance runs on a type that supports ENA"]);
  });
});

describe("the driver reminder", () => {
  test("names the Windows ENA and NVMe drivers for a Nitro type, and what happens without them", () => {
    const text = driverReminder(m5, "Windows");
    expect(text).toMatch(/AWS ENA driver.*no network: it is unreachable and fails its reachability status check/);
    expect(text).toMatch(/NVMe devices: without the AWS NVMe driver the instance does not boot/);
  });

  test("leaves NVMe out for a type without NVMe, and names the Linux module", () => {
    const text = driverReminder(m4Type, "Linux/UNIX");
    expect(text).toMatch(/ena kernel module/);
    expect(text).not.toMatch(/NVMe/);
  });
});
