/**
 * The roles' generated policies, enforced by the emulator, on a pair the host suite deployed as
 * the deploy role (primary active, IAM enforced): `preflight` answering with DryRun for each role
 * and changing nothing, `failover --dry-run` checking the writes (the failover itself runs as the
 * failover role in failover.e2e), and every action of the failover policy shown to be needed:
 * with any one of them left out, the preflight names it missing. Read-only, so it shares the
 * reach suite's deployment instead of making one of its own.
 */
import { DescribeSubnetsCommand, SearchTransitGatewayRoutesCommand } from "@aws-sdk/client-ec2";
import { EmulatorDeployment } from "../../scripts/lib/emulator-deployment";
import { emulatorKeysEnvironment } from "../../config/emulator-credentials";
import { createRoleUser } from "../../scripts/lib/emulator-iam";
import { roleActions } from "../../scripts/iam/roles";
import { preflightClients, runPreflight } from "../../scripts/preflight";
import { findTransitGatewayRouteTableId } from "../../scripts/lib/route-inspection";
import { REGION_ROLES, RegionRole } from "../../config/topology";
import { TRANSIT_ROUTE_TABLES } from "../../config/transit-routes";
import { launchInstances, registerAmi } from "./ec2-fixtures";
import { runCli } from "./cli";
import { workloadDhcpKind } from "./readback";

import type { Topology } from "../../config/topology";

export interface RolePolicyHost {
  readonly deployment: EmulatorDeployment;
  /** The topology file the CLI runs read (REGIONPAIR_TOPOLOGY). */
  readonly topologyFile: string;
}

/** Declares the role-policy tests on the host's deployment of `topology`, read when they start. */
export function describeRolePolicies(topology: Topology, host: () => RolePolicyHost): void {
  const regions = { primary: topology.primary.region, secondary: topology.secondary.region };
  let deployment: EmulatorDeployment;
  let topologyFile: string;

  describe("the roles' generated policies, enforced", () => {
    /** The CLI's environment acting as `role`: this deployment's emulator and topology, that role's keys. */
    const asRole = (role: Parameters<EmulatorDeployment["roleEnvironment"]>[0]) => ({ ...deployment.roleEnvironment(role), REGIONPAIR_TOPOLOGY: topologyFile, CDKTF_OUTDIR: deployment.outdir });

    /** Which option set (`directory` / `fenced`) the region's workload VPC uses, read as the root user. */
    const workloadDhcp = (role: RegionRole) => workloadDhcpKind(deployment.ec2(topology[role].region), topology, role);

    /**
     * Everything a failover changes, read as the emulator's root user: every TGW route of both
     * regions as `region table cidr → target`, and each workload VPC's DHCP option set.
     */
    async function routeSnapshot(): Promise<string[]> {
      const lines: string[] = [];
      for (const role of REGION_ROLES) {
        lines.push(`${topology[role].region} workload VPC DHCP options: ${await workloadDhcp(role)}`);
        const ec2 = deployment.ec2(topology[role].region);
        for (const table of TRANSIT_ROUTE_TABLES) {
          const id = await findTransitGatewayRouteTableId(ec2, topology, role, table);
          if (!id) continue;
          const { Routes } = await ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: id, Filters: [{ Name: "state", Values: ["active", "blackhole"] }] }));
          for (const r of Routes ?? []) lines.push(`${topology[role].region} ${table} ${r.DestinationCidrBlock} → ${r.State === "blackhole" ? "blackhole" : r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId}`);
        }
      }
      return lines.sort();
    }

    beforeAll(async () => {
      ({ deployment, topologyFile } = host());
      // An instance of the topology for the instance roles' checks.
      const ec2 = deployment.ec2(regions.primary);
      const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "tag:regionpair:topology", Values: [topology.name] }] }));
      await launchInstances(ec2, { imageId: await registerAmi(ec2, true), subnetId: Subnets![0].SubnetId!, instanceType: "m5.large", tags: [{ Key: "regionpair:topology", Value: topology.name }] });
    });

    // failover --dry-run synthesizes into the deployment's folder with the role's keys: put the
    // deploy role's synthesis back for the host's next terraform runs.
    afterAll(() => deployment.synth());

    test("GIVEN the pair applied by the deploy role under enforcement THEN IAM is enforced and the root user reads it back", async () => {
      expect(deployment.iamEnforced).toBe(true);
      expect((await routeSnapshot()).length).toBeGreaterThan(0);
    });

    test("GIVEN the failover role WHEN preflight --role failover runs THEN every check is allowed, route calls by DryRun on the real tables, and no route changes", async () => {
      const before = await routeSnapshot();

      const run = await runCli(["preflight", "--role", "failover", "--to", regions.secondary, "--json"], { env: asRole("failover"), timeoutMs: 120_000 });

      expect(run.stderr).not.toMatch(/internal error/);
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as { missing: string[]; checks: Array<{ action: string; region: string; verdict: string; method: string; resource?: string }> };
      expect(result.missing).toEqual([]);
      const replaced = result.checks.filter((c) => c.action === "ec2:ReplaceTransitGatewayRoute");
      expect(replaced.length).toBeGreaterThan(0);
      expect(replaced.every((c) => c.method === "dry-run" && c.verdict === "allowed" && /^tgw-rtb-/.test(c.resource ?? ""))).toBe(true);
      expect(new Set(replaced.map((c) => c.region))).toEqual(new Set([regions.primary, regions.secondary]));
      expect(await routeSnapshot()).toEqual(before);
    });

    test("GIVEN the plan role (read-only) WHEN it runs the failover preflight THEN exit 1 naming every route write and the DHCP association missing on the real resources, and nothing changed", async () => {
      const before = await routeSnapshot();

      const run = await runCli(["preflight", "--role", "failover", "--to", regions.secondary, "--json"], { env: asRole("plan"), timeoutMs: 120_000 });

      expect(run.code).toBe(1);
      const result = JSON.parse(run.stdout) as { checks: Array<{ action: string; region: string; verdict: string; method: string; code?: string; resource?: string }> };
      const writes = result.checks.filter((c) => c.method === "dry-run");
      expect(new Set(writes.map((c) => c.action))).toEqual(new Set(["ec2:ReplaceTransitGatewayRoute", "ec2:CreateTransitGatewayRoute", "ec2:DeleteTransitGatewayRoute", "ec2:AssociateDhcpOptions"]));
      expect(writes.filter((c) => c.verdict !== "missing" || c.code !== "UnauthorizedOperation")).toEqual([]);
      expect(writes.filter((c) => c.action === "ec2:AssociateDhcpOptions").map((c) => c.resource)).toEqual([expect.stringMatching(/^vpc-\S+ dopt-/), expect.stringMatching(/^vpc-\S+ dopt-/)]);
      // Reads fail only where the plan policy lacks the action.
      const planActions: readonly string[] = roleActions("plan", topology);
      expect(result.checks.filter((c) => c.method === "call" && c.verdict !== "allowed" && planActions.includes(c.action))).toEqual([]);
      expect(run.stderr).toMatch(/missing: .*ec2:ReplaceTransitGatewayRoute in .*ec2:AssociateDhcpOptions in/);
      expect(await routeSnapshot()).toEqual(before);
    });

    test("GIVEN the ena-enable role (no transit gateway reads) WHEN it runs the failover preflight THEN exit 1 naming the reads missing, and no write reported allowed", async () => {
      const run = await runCli(["preflight", "--role", "failover", "--to", regions.secondary], { env: asRole("ena-enable"), timeoutMs: 120_000 });

      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/ec2:DescribeTransitGatewayRouteTables\s+\S+\s+called\s+MISSING \(UnauthorizedOperation\)/);
      expect(run.stdout).toMatch(/ec2:ReplaceTransitGatewayRoute\s+\S+\s+-\s+not verified/);
      expect(run.stdout).not.toMatch(/DryRun\s+allowed/);
    });

    test("GIVEN the failover policy less any one of its actions THEN the preflight names that action missing", async () => {
      const needed = roleActions("failover", topology).filter((action) => action !== "sts:GetCallerIdentity");
      const unnoticed: string[] = [];
      for (const action of needed) {
        const keys = await createRoleUser(deployment.emulator.endpoint, topology, "failover", [action]);
        const clients = preflightClients(topology, { ...deployment.environment, ...emulatorKeysEnvironment(keys) });
        try {
          const result = await runPreflight("failover", topology, regions.secondary, clients);
          if (!result.missing.some((m) => m.startsWith(`${action} in`))) unnoticed.push(action);
        } finally {
          clients.destroy();
        }
      }
      expect(needed.length).toBeGreaterThan(10);
      expect(unnoticed).toEqual([]);
    });

    test("GIVEN failover --dry-run WHEN run as the failover role and as the read-only plan role THEN the first passes its preflight, the second exits 1 naming the writes it lacks, and nothing changed", async () => {
      const before = await routeSnapshot();
      const dryRun = (role: "failover" | "plan") => runCli(["failover", "--to", regions.secondary, "--dry-run", "--json"], { env: asRole(role), timeoutMs: 300_000 });

      const allowed = await dryRun("failover");
      expect({ code: allowed.code, stderr: allowed.code ? allowed.stderr : "" }).toEqual({ code: 0, stderr: "" });
      const passed = JSON.parse(allowed.stdout) as { preflight: { missing: string[]; checks: Array<{ method: string }> } };
      expect(passed.preflight.missing).toEqual([]);
      expect(passed.preflight.checks.filter((c) => c.method === "dry-run").length).toBeGreaterThan(0);

      // A plan needs reads only: without the preflight this role would pass the dry run.
      const denied = await dryRun("plan");
      expect(denied.code).toBe(1);
      const failed = JSON.parse(denied.stdout) as { preflight: { missing: string[] } };
      expect(failed.preflight.missing).toEqual(expect.arrayContaining([`ec2:ReplaceTransitGatewayRoute in ${regions.secondary}`, `ec2:AssociateDhcpOptions in ${regions.secondary}`]));
      expect(await routeSnapshot()).toEqual(before);
    });

    test("GIVEN the ena-enable and ami-copy roles WHEN each runs its preflight THEN nothing is missing", async () => {
      const ena = await runCli(["preflight", "--role", "ena-enable", "--to", regions.primary, "--json"], { env: asRole("ena-enable") });
      expect(ena.code).toBe(0);
      const enaChecks = (JSON.parse(ena.stdout) as { checks: Array<{ action: string; verdict: string }> }).checks;
      expect(enaChecks.filter((c) => ["ec2:StopInstances", "ec2:ModifyInstanceAttribute", "ec2:StartInstances"].includes(c.action)).map((c) => c.verdict)).toEqual(["allowed", "allowed", "allowed"]);

      const ami = await runCli(["preflight", "--role", "ami-copy", "--to", regions.secondary, "--json"], { env: asRole("ami-copy") });
      expect(ami.code).toBe(0);
      const amiChecks = (JSON.parse(ami.stdout) as { checks: Array<{ action: string; verdict: string }> }).checks;
      expect(amiChecks.find((c) => c.action === "ec2:CreateImage")?.verdict).toBe("allowed");
      expect(amiChecks.find((c) => c.action === "ec2:CopyImage")?.verdict).toBe("allowed");
    });

    test("GIVEN the ami-copy role (reads instances, never changes them) WHEN it runs the ena-enable preflight THEN the instance writes are missing on the topology's instance", async () => {
      const run = await runCli(["preflight", "--role", "ena-enable", "--to", regions.primary], { env: asRole("ami-copy") });

      expect(run.code).toBe(1);
      for (const action of ["ec2:StopInstances", "ec2:ModifyInstanceAttribute", "ec2:StartInstances"]) {
        expect(run.stdout).toMatch(new RegExp(`${action}\\s+${regions.primary}\\s+DryRun\\s+MISSING \\(UnauthorizedOperation\\)\\s+i-`));
      }
    });
  });
}
