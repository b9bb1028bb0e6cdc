import { resourcesOfType, synthPair } from "../support/synth";
import { topologyWith } from "../support/topologies";

/** The two branches of `cond ? a : b` in a synthesized attachment id, and the region it tests. */
function parseTarget(expression: string) {
  const match = /^\$\{\(var\.active_region == "([a-z0-9-]+)"\) \? (\S+) : (\S+)\}$/.exec(expression);
  if (!match) throw new Error(`not an active-region conditional: ${expression}`);
  const kind = (reference: string) =>
    reference.startsWith("data.aws_ec2_transit_gateway_vpc_attachment.") ? "local VPC attachment"
    : reference.startsWith("data.aws_ec2_transit_gateway_peering_attachment.") ? "peering" : reference;
  return { comparedRegion: match[1], whenActive: kind(match[2]), whenPassive: kind(match[3]) };
}

describe("routing stacks", () => {
  const pair = synthPair();

  test.each(["primary", "secondary"] as const)(
    "GIVEN the %s routing stack WHEN synthesized THEN each workload CIDR goes to the local attachment if this region is active, else over the peering",
    (role) => {
      const json = pair.json(pair.stacks.routing[role]);
      const region = role === "primary" ? "eu-west-1" : "eu-central-1";
      const workloadRoutes = resourcesOfType(json, "aws_ec2_transit_gateway_route").filter((r) => r.destination_cidr_block.startsWith("10.6"));
      expect(workloadRoutes.map((r) => r.destination_cidr_block).sort()).toEqual(["10.60.0.0/20", "10.61.0.0/22"]);
      for (const route of workloadRoutes) {
        expect(parseTarget(route.transit_gateway_attachment_id)).toEqual({ comparedRegion: region, whenActive: "local VPC attachment", whenPassive: "peering" });
      }
    },
  );

  test("GIVEN the primary routing stack WHEN synthesized THEN management CIDRs route statically: own to the VPC, the other's over the peering", () => {
    const routes = resourcesOfType(pair.json(pair.stacks.routing.primary), "aws_ec2_transit_gateway_route");
    const byCidr = Object.fromEntries(routes.map((r) => [r.destination_cidr_block, r.transit_gateway_attachment_id]));
    expect(byCidr["10.30.0.0/16"]).toMatch(/^\$\{data\.aws_ec2_transit_gateway_vpc_attachment\./);
    expect(byCidr["10.40.0.0/16"]).toMatch(/^\$\{data\.aws_ec2_transit_gateway_peering_attachment\./);
  });

  test("GIVEN the secondary routing stack WHEN synthesized THEN every VPC route table sends the primary management CIDR to the TGW", () => {
    const routes = resourcesOfType(pair.json(pair.stacks.routing.secondary), "aws_route");
    expect(routes).toHaveLength(2);
    for (const route of routes) {
      expect(route.destination_cidr_block).toBe("10.30.0.0/16");
      expect(route.transit_gateway_id).toMatch(/data\.aws_ec2_transit_gateway\./);
    }
  });

  test("GIVEN a routing stack WHEN synthesized THEN it reads nothing from the other region: one provider, no remote state, lookups by tag", () => {
    for (const role of ["primary", "secondary"] as const) {
      const json = pair.json(pair.stacks.routing[role]);
      expect(json.provider.aws).toHaveLength(1);
      expect(json.data.terraform_remote_state).toBeUndefined();
      expect(json.provider.aws[0].region).toBe(role === "primary" ? "eu-west-1" : "eu-central-1");
      expect(json.provider.aws[0].alias).toBeUndefined();
      for (const dataSources of Object.values(json.data) as any[]) {
        for (const source of Object.values(dataSources) as any[]) {
          expect(source.provider ?? "aws").toBe("aws"); // the stack's one, unaliased provider
          expect(source.filter.map((f: any) => f.name)).toContain("tag:regionpair:topology");
        }
      }
    }
  });

  test("GIVEN the peering lookup WHEN synthesized THEN only an available (accepted) peering attachment is used for routes", () => {
    const lookup = Object.values(pair.json(pair.stacks.routing.primary).data.aws_ec2_transit_gateway_peering_attachment)[0] as any;
    expect(lookup.filter).toContainEqual({ name: "state", values: ["available"] });
  });

  test("GIVEN the active_region variable WHEN synthesized THEN it defaults to the topology's active region and validates against the pair", () => {
    const custom = synthPair(topologyWith((t) => (t.activeRegion = "eu-central-1")));
    const variable = custom.json(custom.stacks.routing.primary).variable.active_region;
    expect(variable.default).toBe("eu-central-1");
    expect(variable.type).toBe("string");
    expect(variable.validation).toEqual([
      {
        condition: '${contains(["eu-west-1","eu-central-1"], var.active_region)}',
        error_message: 'active_region must be one of the pair\'s regions: "eu-west-1" or "eu-central-1".',
      },
    ]);
  });

  test("GIVEN every stack WHEN synthesized THEN each declares the same active_region, so `cdktf deploy '*' --var active_region=…` works", () => {
    const stacks = [pair.stacks.network.primary, pair.stacks.network.secondary, pair.stacks.peering, pair.stacks.routing.primary, pair.stacks.routing.secondary];
    const validations = stacks.map((stack) => pair.json(stack).variable?.active_region?.validation);
    for (const validation of validations) expect(validation).toEqual(validations[4]);
    expect(validations[0]).toBeDefined();
  });

  test("GIVEN the stacks WHEN built THEN routing depends on peering, which depends on both networks", () => {
    const names = (deps: { node: { id: string } }[]) => deps.map((d) => d.node.id).sort();
    expect(names(pair.stacks.routing.primary.dependencies)).toEqual(["peering"]);
    expect(names(pair.stacks.peering.dependencies)).toEqual(["network-primary", "network-secondary"]);
  });
});
