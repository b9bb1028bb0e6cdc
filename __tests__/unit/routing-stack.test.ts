import { transitRoutes, targetWhen } from "../../config/transit-routes";
import { resourcesOfType, synthPair } from "../support/synth";
import { topologyWith } from "../support/topologies";

/**
 * Evaluates a synthesized route argument for one value of `active_region`: a literal, or
 * `${(var.active_region == "r") ? a : b}` / `${!(var.active_region == "r")}` as the routing stack
 * writes them. Anything else is an error, so a new shape cannot slip through unchecked.
 */
function evaluate(value: unknown, activeRegion: string): unknown {
  if (typeof value !== "string") return value;
  const conditional = /^\$\{\(var\.active_region == "([a-z0-9-]+)"\) \? (\S+) : (\S+)\}$/.exec(value);
  if (conditional) return reference(conditional[1] === activeRegion ? conditional[2] : conditional[3]);
  const negation = /^\$\{!\(var\.active_region == "([a-z0-9-]+)"\)\}$/.exec(value);
  if (negation) return negation[1] !== activeRegion;
  if (/var\.active_region/.test(value)) throw new Error(`unexpected expression: ${value}`);
  return reference(value.replace(/^\$\{(.*)\}$/, "$1"));
}

/** What an attachment reference points at, in words. */
function reference(expression: string): string | null {
  if (expression === "null") return null;
  const kinds: Array<[RegExp, string]> = [
    [/^data\.aws_ec2_transit_gateway_vpc_attachment\.attachments_vpc-attachment/, "management-vpc"],
    [/^data\.aws_ec2_transit_gateway_vpc_attachment\.attachments_workload-attachment/, "workload-vpc"],
    [/^data\.aws_ec2_transit_gateway_peering_attachment\./, "peering"],
    [/^data\.aws_ec2_transit_gateway_vpn_attachment\.attachments_vpn-([a-z0-9-]+)_/, "connection $1"],
    [/^data\.aws_ec2_transit_gateway_route_table\.transit-gateway_route-table-([a-z]+)_/, "table $1"],
  ];
  for (const [pattern, kind] of kinds) {
    const match = pattern.exec(expression);
    if (match) return kind.replace("$1", match[1] ?? "");
  }
  return expression;
}

describe("routing stacks", () => {
  const topology = topologyWith();
  const pair = synthPair(topology);
  const regions = { primary: "eu-west-1", secondary: "eu-central-1" } as const;

  /** `table cidr → target` as terraform would apply the stack with `active_region`. */
  function applied(role: "primary" | "secondary", activeRegion: string): string[] {
    return resourcesOfType(pair.json(pair.stacks.routing[role]), "aws_ec2_transit_gateway_route")
      .map((route) => {
        const blackhole = evaluate(route.blackhole ?? false, activeRegion);
        const target = blackhole ? "blackhole" : evaluate(route.transit_gateway_attachment_id, activeRegion);
        return `${evaluate(route.transit_gateway_route_table_id, activeRegion)} ${route.destination_cidr_block} → ${target}`;
      })
      .sort();
  }

  /** The same, from the routing design. */
  function designed(role: "primary" | "secondary", activeRegion: string): string[] {
    return transitRoutes(topology, role)
      .map((route) => {
        const target = targetWhen(route, regions[role] === activeRegion);
        return `table ${route.table} ${route.cidr} → ${target.kind === "connection" ? `connection ${target.name}` : target.kind}`;
      })
      .sort();
  }

  test.each([
    ["primary", "eu-west-1"],
    ["primary", "eu-central-1"],
    ["secondary", "eu-west-1"],
    ["secondary", "eu-central-1"],
  ] as const)("GIVEN the %s routing stack and active_region=%s WHEN evaluated THEN every route points where the routing design says, and at nothing else", (role, activeRegion) => {
    const routes = applied(role, activeRegion);
    expect(routes).toEqual(designed(role, activeRegion));
    // A blackhole route never names an attachment, and every other route names one.
    for (const route of resourcesOfType(pair.json(pair.stacks.routing[role]), "aws_ec2_transit_gateway_route")) {
      const blackhole = evaluate(route.blackhole ?? false, activeRegion);
      expect(evaluate(route.transit_gateway_attachment_id, activeRegion) === null).toBe(blackhole === true);
    }
  });

  test("GIVEN the primary passive WHEN evaluated THEN its workload copy is fenced: unreachable from the peering, and its own table a blackhole for everything", () => {
    const routes = applied("primary", regions.secondary);
    expect(routes.filter((r) => r.startsWith("table workload"))).toEqual(["10.30.0.0/16", "10.40.0.0/16", "192.168.0.0/16"].map((c) => `table workload ${c} → blackhole`));
    expect(routes.filter((r) => r.startsWith("table peering") && /10\.6[01]\./.test(r))).toEqual(["table peering 10.60.0.0/20 → blackhole", "table peering 10.61.0.0/22 → blackhole"]);
    expect(routes.filter((r) => r.startsWith("table clients") && /10\.6[01]\./.test(r))).toEqual(["table clients 10.60.0.0/20 → peering", "table clients 10.61.0.0/22 → peering"]);
  });

  test("GIVEN the on-premises connection WHEN evaluated THEN the client CIDRs route back to it from every table while active", () => {
    for (const table of ["clients", "peering", "workload"]) {
      expect(applied("secondary", regions.secondary)).toContain(`table ${table} 192.168.0.0/16 → connection office`);
    }
  });

  test.each([
    ["eu-west-1", "directory"],
    ["eu-central-1", "fenced"],
  ])("GIVEN the primary routing stack and active_region=%s WHEN evaluated THEN the workload VPC uses the %s DHCP options", (activeRegion, kind) => {
    const json = pair.json(pair.stacks.routing.primary);
    const [association] = resourcesOfType(json, "aws_vpc_dhcp_options_association");
    const chosen = /^\$\{\(var\.active_region == "([a-z0-9-]+)"\) \? data\.aws_vpc_dhcp_options\.([^.]+)\.id : data\.aws_vpc_dhcp_options\.([^.]+)\.id\}$/.exec(association.dhcp_options_id)!;
    const lookupId = chosen[1] === activeRegion ? chosen[2] : chosen[3];
    const lookup = json.data.aws_vpc_dhcp_options[lookupId];
    expect(lookup.filter.find((f: any) => f.name === "tag:Name").values).toEqual([`test-dr-primary-${kind === "directory" ? "dhcp-options" : "fenced-dhcp-options"}`]);
    expect(association.vpc_id).toMatch(/^\$\{data\.aws_vpc\.workload-dhcp_workload-vpc/);
    expect(json.data.aws_vpc[association.vpc_id.match(/data\.aws_vpc\.([^.]+)\./)[1]].filter.find((f: any) => f.name === "tag:Name").values).toEqual(["test-dr-primary-workload-vpc"]);
  });

  test("GIVEN a routing stack WHEN synthesized THEN it reads nothing from the other region: one provider, no remote state, lookups by tag", () => {
    for (const role of ["primary", "secondary"] as const) {
      const json = pair.json(pair.stacks.routing[role]);
      expect(json.provider.aws).toHaveLength(1);
      expect(json.data.terraform_remote_state).toBeUndefined();
      expect(json.provider.aws[0].region).toBe(regions[role]);
      expect(json.provider.aws[0].alias).toBeUndefined();
      for (const dataSources of Object.values(json.data) as any[]) {
        for (const source of Object.values(dataSources) as any[]) {
          expect(source.provider ?? "aws").toBe("aws");
          expect(source.filter.map((f: any) => f.name)).toContain("tag:regionpair:topology");
        }
      }
    }
  });

  test("GIVEN the attachment lookups WHEN synthesized THEN a peering in any live state is found, not only an available one, and deleted ones are not", () => {
    const json = pair.json(pair.stacks.routing.primary);
    const lookup = Object.values(json.data.aws_ec2_transit_gateway_peering_attachment)[0] as any;
    const states = lookup.filter.find((f: any) => f.name === "state").values;
    expect(states).toEqual(expect.arrayContaining(["available", "pendingAcceptance", "modifying"]));
    expect(states).not.toContain("deleted");
    expect(states).not.toContain("deleting");
  });

  test("GIVEN an existing attachment as a connection WHEN synthesized THEN routes use its id directly, with no lookup", () => {
    const custom = synthPair(topologyWith((t) => (t.onPremises.connections[0] = { name: "dx", region: "eu-west-1", attachmentId: "tgw-attach-0123456789abcdef0" })));
    const json = custom.json(custom.stacks.routing.primary);
    expect(json.data.aws_ec2_transit_gateway_vpn_attachment).toBeUndefined();
    const clientRoute = resourcesOfType(json, "aws_ec2_transit_gateway_route").find((r) => r.destination_cidr_block === "192.168.0.0/16" && /clients/.test(r.transit_gateway_route_table_id));
    expect(clientRoute.transit_gateway_attachment_id).toBe("tgw-attach-0123456789abcdef0");
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
