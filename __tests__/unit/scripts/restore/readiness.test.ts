import { ReadinessInput, assessReadiness } from "../../../../scripts/restore/readiness";
import { DR, SUBNETS, TOPOLOGY, TYPES, copy } from "./restore-builders";

const NOW = new Date("2024-06-01T03:00:00Z");
const DR_DCS = TOPOLOGY.secondary.domainControllerIps;
const SOURCE_DCS = TOPOLOGY.primary.domainControllerIps;

function input(change: Partial<ReadinessInput> = {}): ReadinessInput {
  return {
    topology: TOPOLOGY,
    drRegion: DR,
    rpoMinutes: 120,
    now: NOW,
    copies: [copy({ capturedAt: "2024-06-01T02:00:00Z" })],
    subnets: Object.values(SUBNETS),
    instanceTypes: TYPES,
    dhcp: { current: { dhcpOptionsId: "dopt-fenced", kind: "fenced" }, directory: { dhcpOptionsId: "dopt-1", domainNameServers: [...DR_DCS, ...SOURCE_DCS] } },
    ...change,
  };
}

describe("restore readiness", () => {
  test("GIVEN a fresh encrypted ENA copy, its mirrored subnet and the DR DCs first in DHCP WHEN assessed THEN the region is ready", () => {
    const report = assessReadiness(input());
    expect(report.ready).toBe(true);
    expect(report.dhcp.status).toBe("ok");
    expect(report.instances).toEqual([
      expect.objectContaining({ instanceId: "i-0aaaaaaaaaaaaaaa1", copyImageId: "ami-0copy0000000001", copyAgeMinutes: 60, ready: true }),
    ]);
    expect(report.instances[0].checks.mirroredSubnet.detail).toBe("10.60.0.10 → subnet-app-a (10.60.0.0/22, eu-central-1a)");
  });

  test("GIVEN a copy older than the RPO WHEN assessed THEN the age check fails, saying by how much", () => {
    const { instances } = assessReadiness(input({ rpoMinutes: 30 }));
    expect(instances[0].checks.copyAge).toEqual({ status: "failed", detail: expect.stringContaining("captured 60 min ago, older than the 30 min RPO") });
    expect(instances[0].ready).toBe(false);
  });

  test("GIVEN an unencrypted copy WHEN assessed THEN the encryption check fails", () => {
    expect(assessReadiness(input({ copies: [{ ...copy(), encrypted: false }] })).instances[0].checks.encrypted.status).toBe("failed");
  });

  test("GIVEN an intended ENA-only type and a copy without ENA WHEN assessed THEN the ENA check fails; with a type without ENA it passes", () => {
    const copies = [copy({ enaSupport: false, instanceType: "m4.large" })];
    expect(assessReadiness(input({ copies })).instances[0].checks.ena.status).toBe("ok");
    expect(assessReadiness(input({ copies, intendedTypes: { "i-0aaaaaaaaaaaaaaa1": "m5.large" } })).instances[0].checks.ena).toEqual({ status: "failed", detail: expect.stringContaining("m5.large requires ENA") });
  });

  test("GIVEN the mirrored subnet missing WHEN assessed THEN that check fails with the fix", () => {
    const { instances } = assessReadiness(input({ subnets: [SUBNETS.appB] }));
    expect(instances[0].checks.mirroredSubnet).toEqual({ status: "failed", detail: expect.stringContaining("deploy the network stack of eu-central-1") });
  });

  test("GIVEN the passive region's workload VPC on the fenced set WHEN assessed THEN the check is on the directory set it gets when active, and says which it uses now", () => {
    expect(assessReadiness(input()).dhcp).toEqual({ status: "ok", detail: expect.stringMatching(/^dopt-1 \(the workload VPC's while active\) lists eu-central-1's domain controllers first: .*; the workload VPC uses the fenced set now$/) });
  });

  test("GIVEN the directory set listing the other region's DCs first WHEN assessed THEN the DHCP check fails and the region is not ready", () => {
    const report = assessReadiness(input({ dhcp: { directory: { dhcpOptionsId: "dopt-1", domainNameServers: [...SOURCE_DCS, ...DR_DCS] } } }));
    expect(report.dhcp).toEqual({ status: "failed", detail: expect.stringContaining(`domain controllers ${DR_DCS.join(", ")} must come first`) });
    expect(report.ready).toBe(false);
  });

  test.each([
    [{ current: { dhcpOptionsId: "dopt-default", kind: "other" as const }, directory: { dhcpOptionsId: "dopt-1", domainNameServers: [...DR_DCS] } }, "neither regionpair set"],
    [{ current: { dhcpOptionsId: "dopt-fenced", kind: "fenced" as const } }, "no directory DHCP options"],
  ])("GIVEN DHCP sets %j WHEN assessed THEN the DHCP check fails (%s)", (dhcp, problem) => {
    expect(assessReadiness(input({ dhcp })).dhcp).toEqual({ status: "failed", detail: expect.stringContaining(problem) });
  });

  test("GIVEN a protected instance without any copy, and one with only a pending copy WHEN assessed THEN both fail every check, saying why", () => {
    const report = assessReadiness(input({ protectedInstanceIds: ["i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"], copies: [copy({ state: "pending" })] }));
    expect(report.instances.map((i) => [i.instanceId, i.checks.copyAge.detail])).toEqual([
      ["i-0aaaaaaaaaaaaaaa1", expect.stringContaining("the newest, ami-0copy0000000001, is pending")],
      ["i-0bbbbbbbbbbbbbbb2", expect.stringContaining("no copy in eu-central-1: run 'regionpair ami copy'")],
    ]);
    expect(report.ready).toBe(false);
  });

  test("GIVEN no copies at all WHEN assessed THEN the region is not ready", () => {
    expect(assessReadiness(input({ copies: [] })).ready).toBe(false);
  });
});
