import { App } from "cdktf";
import { REGION_ROLES, RegionRole, Topology } from "../config/topology";
import { DeploymentTarget } from "../config/target";
import { NetworkStack } from "./network-stack";
import { PeeringStack } from "./peering-stack";
import { RoutingStack } from "./routing-stack";
import { STACK_NAMES } from "./stack-names";

export interface RegionPairStacks {
  readonly network: Readonly<Record<RegionRole, NetworkStack>>;
  readonly peering: PeeringStack;
  readonly routing: Readonly<Record<RegionRole, RoutingStack>>;
}

function perRole<T>(make: (role: RegionRole) => T): Record<RegionRole, T> {
  return Object.fromEntries(REGION_ROLES.map((role) => [role, make(role)])) as Record<RegionRole, T>;
}

/**
 * Every stack of the topology. Dependencies only order `cdktf deploy '*'`; no stack reads
 * another's state, so deploying one routing stack alone needs
 * `--ignore-missing-stack-dependencies`.
 */
export function buildRegionPair(app: App, topology: Topology, target: DeploymentTarget): RegionPairStacks {
  const network = perRole((role) => new NetworkStack(app, STACK_NAMES.network(role), { topology, role, target }));
  const peering = new PeeringStack(app, STACK_NAMES.peering, { topology, target });
  REGION_ROLES.forEach((role) => peering.addDependency(network[role]));
  const routing = perRole((role) => {
    const stack = new RoutingStack(app, STACK_NAMES.routing(role), { topology, role, target });
    stack.addDependency(peering);
    return stack;
  });
  return { network, peering, routing };
}
