import { describeSnapshot } from "../../../../scripts/ena/instance-snapshot";

describe("describing an instance for ena enable", () => {
  test.each([
    [{ instanceType: "m5.large", enaSupport: true, state: "running" }, "m5.large, ENA support on, running"],
    [{ instanceType: "m4.large", enaSupport: false, state: "stopped" }, "m4.large, ENA support off, stopped"],
  ])("GIVEN %j WHEN described THEN it reads %s", (snapshot, text) => {
    expect(describeSnapshot(snapshot)).toBe(text);
  });
});
