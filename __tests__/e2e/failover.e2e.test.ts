/**
 * The whole pair deployed with real terraform into the patched emulator, then failed over: by the
 * variable, by the failover command with both regions up, with the primary's API down, after it
 * returns, and back. Routes are read back with the SDK after every step.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  DescribeTransitGatewayPeeringAttachmentsCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
} from "@aws-sdk/client-ec2";
import { EmulatorDeployment } from "../../scripts/lib/emulator-deployment";
import { STACK_NAMES } from "../../stacks/stack-names";
import { REGION_ROLES, RegionRole } from "../../config/topology";
import { regionEndpointEnv } from "../../config/target";
import { readRouteTargets } from "../../scripts/lib/route-inspection";
import { closedPort, runCli } from "../support/cli";
import { tagMap } from "../support/readback";
import { topologyWith, validTopologyInput } from "../support/topologies";

jest.setTimeout(900_000);

const topology = topologyWith();
const regions = { primary: topology.primary.region, secondary: topology.secondary.region };
const workloadCidrs = topology.workloads.map((w) => w.cidr);
const routingStacks = REGION_ROLES.map((role) => STACK_NAMES.routing(role));
let deployment: EmulatorDeployment;
let ids: { vpcAttachment: Record<RegionRole, string>; routeTable: Record<RegionRole, string>; peering: string };
let cliEnv: NodeJS.ProcessEnv;
const timings: Record<string, number> = {};

beforeAll(async () => {
  deployment = await EmulatorDeployment.start({ topology });
  const started = Date.now();
  await deployment.apply();
  timings["deploy all stacks"] = (Date.now() - started) / 1000;
  const outputs = await deployment.outputs();
  const network = (role: RegionRole) => outputs[STACK_NAMES.network(role)] as Record<string, string>;
  ids = {
    vpcAttachment: { primary: network("primary").vpc_attachment_id, secondary: network("secondary").vpc_attachment_id },
    routeTable: { primary: network("primary").transit_gateway_route_table_id, secondary: network("secondary").transit_gateway_route_table_id },
    peering: outputs[STACK_NAMES.peering].peering_attachment_id as string,
  };
  const topologyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "regionpair-topology-")), "topology.json");
  writeFileSync(topologyFile, JSON.stringify(validTopologyInput()));
  cliEnv = { ...deployment.environment, REGIONPAIR_TOPOLOGY: topologyFile, CDKTF_OUTDIR: deployment.outdir };
});

afterAll(async () => {
  // Measured figures for the closing report.
  process.stdout.write(`failover timings (s): ${JSON.stringify(timings)}\n`);
  await deployment?.stop();
});

/** Where each workload CIDR goes in each region's transit gateway route table. */
async function workloadTargets() {
  const read = async (role: RegionRole) =>
    (await readRouteTargets(deployment.ec2(regions[role]), ids.routeTable[role], workloadCidrs)).map((t) => t.attachmentId);
  return { primary: await read("primary"), secondary: await read("secondary") };
}

function routedIn(active: RegionRole) {
  const passive = active === "primary" ? "secondary" : "primary";
  return {
    [active]: workloadCidrs.map(() => ids.vpcAttachment[active]),
    [passive]: workloadCidrs.map(() => ids.peering),
  };
}

describe("a deployed pair with the primary active", () => {
  test("GIVEN everything deployed WHEN reading TGW routes THEN workload CIDRs go to the local VPC in the primary and over the peering in the secondary", async () => {
    expect(await workloadTargets()).toEqual(routedIn("primary"));
  });

  test("GIVEN the peering WHEN read from each region THEN it is available with identical tags and associated with that region's table", async () => {
    const tagsByRegion: Record<string, string>[] = [];
    for (const role of REGION_ROLES) {
      const ec2 = deployment.ec2(regions[role]);
      const { TransitGatewayPeeringAttachments } = await ec2.send(
        new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [ids.peering] }),
      );
      expect(TransitGatewayPeeringAttachments?.[0].State).toBe("available");
      tagsByRegion.push(tagMap(TransitGatewayPeeringAttachments?.[0].Tags));
      const { Associations } = await ec2.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: ids.routeTable[role] }));
      expect(Associations?.map((a) => a.TransitGatewayAttachmentId).sort()).toEqual([ids.peering, ids.vpcAttachment[role]].sort());
    }
    expect(tagsByRegion[0]).toEqual(tagsByRegion[1]);
    expect(tagsByRegion[0].Name).toBe(`${topology.name}-tgw-peering`);
  });

  test("GIVEN management CIDRs WHEN reading TGW routes THEN each region routes its own to the VPC and the other's over the peering", async () => {
    for (const role of REGION_ROLES) {
      const other = role === "primary" ? "secondary" : "primary";
      const targets = await readRouteTargets(deployment.ec2(regions[role]), ids.routeTable[role], [topology[role].managementCidr, topology[other].managementCidr]);
      expect(targets.map((t) => t.attachmentId)).toEqual([ids.vpcAttachment[role], ids.peering]);
    }
  });

  test("GIVEN an active_region outside the pair WHEN planning THEN terraform refuses with the variable's message", async () => {
    const result = await deployment.workspace.run(STACK_NAMES.routing("primary"), ["plan", "-input=false", "-no-color", "-var=active_region=mars-east-1"]);
    expect(result.exitCode).toBe(1);
    // terraform wraps long messages: compare with whitespace collapsed.
    expect(result.stderr.replace(/\s+/g, " ")).toContain(`active_region must be one of the pair's regions: "${regions.primary}" or "${regions.secondary}".`);
  });
});

describe("failing over by changing the variable", () => {
  const vars = { active_region: regions.secondary };

  // Inside the deployment's work folder, which stop() removes.
  const flipPlans = () => path.join(deployment.workDir, "plans-flip");

  test("GIVEN active_region flipped WHEN running the plan command THEN the summary names exactly the flipped routes and nothing else", async () => {
    const outDir = flipPlans();
    const result = await runCli(["plan", "--var", `active_region=${regions.secondary}`, "--out-dir", outDir], { env: cliEnv, timeoutMs: 300_000 });
    expect({ code: result.code, stderr: result.code === 2 ? "" : result.stderr }).toEqual({ code: 2, stderr: "" });
    const summary = readFileSync(path.join(outDir, "summary.md"), "utf8");
    const routeLines = summary.slice(summary.indexOf("### Failover routes"), summary.indexOf("### Stacks")).split("\n").filter((l) => l.startsWith("- "));
    expect(routeLines.sort()).toEqual(
      [
        ...workloadCidrs.map((cidr) => `- ${regions.primary} · ${ids.routeTable.primary} · ${cidr}: VPC attachment ${ids.vpcAttachment.primary} → peering ${ids.peering}`),
        ...workloadCidrs.map((cidr) => `- ${regions.secondary} · ${ids.routeTable.secondary} · ${cidr}: peering ${ids.peering} → VPC attachment ${ids.vpcAttachment.secondary}`),
      ].sort(),
    );
    expect(summary).toContain("### Destructive changes\n\nNone.");
    for (const stack of ["network-primary", "network-secondary", "peering"]) expect(summary).toContain(`| ${stack} | 0 | 0 | 0 | 0 |`);
    for (const stack of routingStacks) {
      expect(summary).toContain(`| ${stack} | 0 | 0 | ${workloadCidrs.length} | 0 |`);
      expect(existsSync(path.join(outDir, `${stack}.tfplan`)) && existsSync(path.join(outDir, `${stack}.json`))).toBe(true);
    }
  });

  test("GIVEN the flip's saved plans WHEN reading every stack's resource changes THEN only the workload routes change", () => {
    // The plan command above saved each stack's `terraform show -json`.
    const changed: string[] = [];
    for (const stack of [...REGION_ROLES.map((r) => STACK_NAMES.network(r)), STACK_NAMES.peering, ...routingStacks]) {
      const plan = JSON.parse(readFileSync(path.join(flipPlans(), `${stack}.json`), "utf8")) as { resource_changes?: Array<{ address: string; type: string; change: { actions: string[] } }> };
      for (const change of (plan.resource_changes ?? []).filter((c) => !c.change.actions.includes("no-op") && !c.change.actions.includes("read"))) {
        changed.push(`${stack}: ${change.type} ${change.change.actions.join("+")} ${change.address.replace(/_[0-9A-F]{8}$/, "")}`);
      }
    }
    expect(changed.sort()).toEqual(
      routingStacks.flatMap((stack) => topology.workloads.map((w) => `${stack}: aws_ec2_transit_gateway_route delete+create aws_ec2_transit_gateway_route.routes_workload-${w.name}`)).sort(),
    );
  });

  test("GIVEN the flip applied WHEN reading routes THEN they are flipped, and the next plan is empty", async () => {
    const started = Date.now();
    await deployment.apply(routingStacks, { vars });
    timings["flip by variable (terraform, both regions)"] = (Date.now() - started) / 1000;
    expect(await workloadTargets()).toEqual(routedIn("secondary"));
    for (const stack of routingStacks) expect((await deployment.workspace.plan(stack, { vars })).changes).toBe(false);
  });
});

describe("the failover command", () => {
  test("GIVEN both regions up WHEN failing over to the primary THEN both converge, routes are verified, exit 0", async () => {
    const result = await runCli(["failover", "--to", regions.primary, "--json"], { env: cliEnv, timeoutMs: 300_000 });
    timings["failover command, both up"] = result.seconds;
    expect({ exitCode: result.code, stderr: result.code ? result.stderr : "" }).toEqual({ exitCode: 0, stderr: "" });
    const report = JSON.parse(result.stdout);
    expect(report.regions.map((r: any) => [r.region, r.outcome, r.routeChanges])).toEqual([
      [regions.primary, "converged", workloadCidrs.length],
      [regions.secondary, "converged", workloadCidrs.length],
    ]);
    expect(await workloadTargets()).toEqual(routedIn("primary"));
  });

  test("GIVEN the primary's API is down WHEN failing over to the secondary THEN the secondary converges, the primary is unreachable, exit 0, quickly", async () => {
    const downEnv = { ...cliEnv, [regionEndpointEnv(regions.primary)]: `http://127.0.0.1:${await closedPort()}` };
    const result = await runCli(["failover", "--to", regions.secondary], { env: downEnv, timeoutMs: 300_000 });
    timings["failover command, primary down"] = result.seconds;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${regions.secondary}\\s+converged`));
    expect(result.stdout).toMatch(new RegExp(`${regions.primary}\\s+unreachable`));
    expect(result.stdout).toContain(`npm run failover -- --to ${regions.secondary}`);
    expect(result.seconds).toBeLessThan(120);
    const targets = await workloadTargets();
    expect(targets.secondary).toEqual(routedIn("secondary").secondary);
    // The primary was not touched: it still routes the workloads to its own VPC.
    expect(targets.primary).toEqual(routedIn("primary").primary);
  });

  test("GIVEN the primary back WHEN rerunning the same failover THEN the primary converges and the secondary has nothing left to change", async () => {
    const result = await runCli(["failover", "--to", regions.secondary, "--json"], { env: cliEnv, timeoutMs: 300_000 });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.regions.map((r: any) => [r.region, r.outcome, r.routeChanges])).toEqual([
      [regions.secondary, "converged", 0],
      [regions.primary, "converged", workloadCidrs.length],
    ]);
    expect(await workloadTargets()).toEqual(routedIn("secondary"));
  });

  test("GIVEN both regions up WHEN failing back to the primary with --dry-run THEN changes are planned and nothing moves", async () => {
    const result = await runCli(["failover", "--to", regions.primary, "--dry-run", "--json"], { env: cliEnv, timeoutMs: 300_000 });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).regions.map((r: any) => r.outcome)).toEqual(["planned", "planned"]);
    expect(await workloadTargets()).toEqual(routedIn("secondary"));
  });

  test("GIVEN both regions up WHEN failing back to the primary THEN everything converges and the plan command finds nothing to do", async () => {
    const result = await runCli(["failover", "--to", regions.primary], { env: cliEnv, timeoutMs: 300_000 });
    expect(result.code).toBe(0);
    expect(await workloadTargets()).toEqual(routedIn("primary"));
    const plan = await runCli(["plan", "--out-dir", path.join(deployment.workDir, "plans-converged")], { env: cliEnv, timeoutMs: 300_000 });
    expect({ code: plan.code, stderr: plan.code === 0 ? "" : plan.stderr }).toEqual({ code: 0, stderr: "" });
    expect(plan.stdout).toContain("0 of 5 stacks change");
  });
});

describe("teardown", () => {
  test("GIVEN the pair WHEN destroyed THEN every stack destroys cleanly", async () => {
    deployment.synth();
    await deployment.destroy();
    for (const role of REGION_ROLES) {
      const { TransitGatewayPeeringAttachments } = await deployment.ec2(regions[role]).send(
        new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [ids.peering] }),
      );
      expect((TransitGatewayPeeringAttachments ?? []).filter((a) => a.State !== "deleted")).toEqual([]);
    }
  });
});
