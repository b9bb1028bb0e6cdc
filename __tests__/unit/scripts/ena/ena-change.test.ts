import { InstanceFacts, InstanceTypeFacts } from "../../../../scripts/ena/instance-facts";
import { decideEnaChange } from "../../../../scripts/ena/ena-change";

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

describe("deciding the ENA change", () => {
  test("GIVEN a running m4 and m5 asked for with --allow-stop WHEN deciding THEN it stops, enables ENA, changes the type and starts", () => {
    expect(decideEnaChange(m4, m5, { allowStop: true, dryRun: false })).toEqual({
      noop: false,
      stop: true,
      waitUntilStopped: false,
      enableEna: true,
      newType: "m5.large",
      start: true,
      notes: [],
    });
  });

  test("GIVEN ENA on and the type as asked WHEN deciding, running and without --allow-stop THEN there is nothing to do", () => {
    expect(decideEnaChange({ ...m4, instanceType: "m5.large", enaSupport: true }, m5, { allowStop: false, dryRun: false }).noop).toBe(true);
  });

  test("GIVEN a running instance WHEN deciding without --allow-stop THEN it is a usage error that says how to proceed", () => {
    expect(() => decideEnaChange(m4, m5, { allowStop: false, dryRun: false })).toThrow(
      "i-1 is running: ENA support and the instance type can only change while it is stopped; add --allow-stop",
    );
  });

  test("GIVEN a running instance WHEN deciding a dry run without --allow-stop THEN the stop is included and noted", () => {
    const change = decideEnaChange(m4, m5, { allowStop: false, dryRun: true });
    expect(change.stop).toBe(true);
    expect(change.notes).toEqual(["i-1 is running: the change needs --allow-stop"]);
  });

  test("GIVEN a stopped instance WHEN deciding THEN it is changed and not started", () => {
    const change = decideEnaChange({ ...m4, state: "stopped" }, m5, { allowStop: false, dryRun: false });
    expect(change).toMatchObject({ stop: false, start: false, enableEna: true, newType: "m5.large" });
  });

  test("GIVEN a stopping instance WHEN deciding THEN it is waited for, not stopped again and not started", () => {
    expect(decideEnaChange({ ...m4, state: "stopping" }, m5, { allowStop: false, dryRun: false })).toMatchObject({ stop: false, waitUntilStopped: true, start: false });
  });

  test("GIVEN a type of another architecture WHEN deciding THEN it is refused", () => {
    expect(() => decideEnaChange(m4, { ...m5, instanceType: "m6g.large", architectures: ["arm64"] }, { allowStop: true, dryRun: false })).toThrow(
      "--type m6g.large runs arm64 but i-1 is x86_64",
    );
  });

  test.each(["terminated", "shutting-down"])("GIVEN a %s instance WHEN deciding THEN it is refused", (state) => {
    expect(() => decideEnaChange({ ...m4, state }, m5, { allowStop: true, dryRun: false })).toThrow(`i-1 is ${state}`);
  });

  test("GIVEN a type that does not use ENA WHEN deciding THEN enabling ENA is allowed with a note", () => {
    const change = decideEnaChange({ ...m4, state: "stopped" }, m4Type, { allowStop: false, dryRun: false });
    expect(change.newType).toBeUndefined();
    expect(change.notes).toEqual(["m4.large does not use ENA; the attribute takes effect once the instance runs on a type that supports ENA"]);
  });
});
