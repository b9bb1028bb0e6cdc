import { pollUntilSettled, statusChecksSettled } from "../../../../scripts/restore/fleet-waits";

/** A clock that moves only when the poller sleeps, so deadlines are exact. */
function fakeTime() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("waiting on many instances at once", () => {
  test("GIVEN instances settling at different rounds WHEN polled THEN each round asks only for those still waiting, and all settle", async () => {
    const asked: string[][] = [];
    const rounds: Record<string, string[]> = { a: ["pending", "running"], b: ["pending", "pending", "running"] };
    const seen: Record<string, number> = { a: 0, b: 0 };
    const result = await pollUntilSettled(
      ["a", "b"],
      async (pending) => {
        asked.push([...pending]);
        return new Map(pending.map((id) => [id, rounds[id][Math.min(seen[id]++, rounds[id].length - 1)]]));
      },
      (state) => state !== "pending",
      { deadline: Date.now() + 10_000, minIntervalMs: 1, maxIntervalMs: 2 },
    );
    expect(asked).toEqual([["a", "b"], ["a", "b"], ["b"]]);
    expect([...result]).toEqual([
      ["a", { value: "running", settled: true }],
      ["b", { value: "running", settled: true }],
    ]);
  });

  test("GIVEN an instance that never settles WHEN the deadline passes THEN the wait ends with its last value, unsettled", async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await pollUntilSettled(
      ["a"],
      async () => {
        calls += 1;
        time.advance(1_000);
        return new Map([["a", "ConnectionLost"]]);
      },
      (s) => s === "Online",
      { deadline: 3_500, minIntervalMs: 1, maxIntervalMs: 1, now: time.now },
    );
    expect(result.get("a")).toEqual({ value: "ConnectionLost", settled: false });
    expect(calls).toBe(4);
  });

  test("GIVEN an abort WHEN waiting between rounds THEN the wait stops as interrupted", async () => {
    const controller = new AbortController();
    const waiting = pollUntilSettled(["a"], async () => new Map([["a", "pending"]]), () => false, { deadline: Date.now() + 60_000, minIntervalMs: 10_000, maxIntervalMs: 10_000, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "Interrupted" });
  });

  test.each([
    [{ instance: "ok", system: "ok" }, true],
    [{ instance: "initializing", system: "ok" }, false],
    [{ instance: "impaired", system: "ok" }, true],
    [{ instance: "ok", system: "insufficient-data" }, false],
  ])("GIVEN status checks %j WHEN judged THEN settled is %s", (checks, settled) => {
    expect(statusChecksSettled(checks)).toBe(settled);
  });
});
