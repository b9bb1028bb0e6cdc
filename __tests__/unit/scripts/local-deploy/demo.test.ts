import type { RegionResult } from "../../../../scripts/failover";
import { DemoResult, demoJson, demoSucceeded } from "../../../../scripts/local-deploy/demo";
import { reachReport } from "../../../../scripts/reach/reach-report";
import { reachRun } from "../../../../scripts/reach/reach-run";
import { PRIMARY, SECONDARY, buildPair, clients, workloads } from "../reach/network-builders";

const spec = { clients: clients(), workloads: workloads(1) };
const reads = [
  { region: PRIMARY, role: "primary" as const, outcome: "read" as const, seconds: 0.3 },
  { region: SECONDARY, role: "secondary" as const, outcome: "read" as const, seconds: 0.3 },
];
const step = (activeRegion: string, routedTo: string) => ({ activeRegion, reach: reachRun("t", reads, reachReport(buildPair({ activeRegion: routedTo }), { ...spec, activeRegion })) });
const converged: RegionResult[] = [
  { role: "secondary", region: SECONDARY, outcome: "converged", detail: "", seconds: 1 },
  { role: "primary", region: PRIMARY, outcome: "converged", detail: "", seconds: 1 },
];
const demo = (after = step(SECONDARY, SECONDARY), failover = converged): DemoResult => ({
  topology: "t",
  outputs: { "network-primary": { vpc_id: "vpc-1" } },
  demo: { before: step(PRIMARY, PRIMARY), failover, after },
});

describe("npm start: did the demonstration succeed", () => {
  test("GIVEN every client reached the active copy before and after a converged failover WHEN judged THEN it succeeded", () => {
    expect(demoSucceeded(demo())).toBe(true);
  });

  test("GIVEN the routes still pointed at the primary after the failover WHEN judged THEN it failed", () => {
    expect(demoSucceeded(demo(step(SECONDARY, PRIMARY)))).toBe(false);
  });

  test("GIVEN the target region did not converge WHEN judged THEN it failed", () => {
    expect(demoSucceeded(demo(undefined, [{ ...converged[0], outcome: "failed" }, converged[1]]))).toBe(false);
  });
});

describe("npm start -- --json", () => {
  test("GIVEN the whole demonstration WHEN as JSON THEN reach.before and reach.after list client, destination, verdict and region, and the exit code is 0", () => {
    const json = demoJson(demo());

    expect(json.reach?.before).toEqual(clients().map((c) => ({ client: c.name, destination: "app", verdict: "delivered", region: PRIMARY })));
    expect(json.reach?.after.every((row) => row.region === SECONDARY && row.verdict === "delivered")).toBe(true);
    expect(json.fence?.after.every((row) => row.copy === PRIMARY && row.verdict === "fenced")).toBe(true);
    expect([json.activeRegion, json.exitCode, json.outputs]).toEqual([{ before: PRIMARY, after: SECONDARY }, 0, { "network-primary": { vpc_id: "vpc-1" } }]);
  });

  test("GIVEN only some stacks deployed WHEN as JSON THEN the outputs are there and the reach parts are null", () => {
    const json = demoJson({ topology: "t", outputs: { "network-primary": {} } });

    expect([json.reach, json.fence, json.failover, json.activeRegion, json.exitCode]).toEqual([null, null, null, null, 0]);
  });
});
