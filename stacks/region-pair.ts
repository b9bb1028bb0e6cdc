import { App } from "cdktf";
import { REGION_ROLES, RegionRole, Topology } from "../config/topology";
import { DeploymentTarget } from "../config/target";
import type { PolicyDocument } from "../scripts/iam/policy-document";
import type { RoleName } from "../scripts/iam/role-names";
import { IamStack, RolePolicySource } from "./iam-stack";
import { NetworkStack } from "./network-stack";
import { PeeringStack } from "./peering-stack";
import { RoutingStack } from "./routing-stack";
import { STACK_NAMES } from "./stack-names";

export interface RegionPairStacks {
  readonly network: Readonly<Record<RegionRole, NetworkStack>>;
  readonly peering: PeeringStack;
  readonly routing: Readonly<Record<RegionRole, RoutingStack>>;
  /** Only when the topology has `iam`. */
  readonly iam?: IamStack;
}

export interface RegionPairOptions {
  /**
   * The iam stack's role policies.
   * @default the generated ones (`regionpair iam policy <role>`)
   */
  readonly rolePolicy?: RolePolicySource;
}

/**
 * The generated policy. Loaded when first called, not imported: scripts/iam builds this app
 * itself to learn the other stacks' resource types, so a static import would be circular.
 */
function generatedPolicy(role: RoleName, topology: Topology, account: string): PolicyDocument {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { rolePolicy } = require("../scripts/iam/roles") as typeof import("../scripts/iam/roles");
  return rolePolicy(role, topology, { account });
}

function perRole<T>(make: (role: RegionRole) => T): Record<RegionRole, T> {
  return Object.fromEntries(REGION_ROLES.map((role) => [role, make(role)])) as Record<RegionRole, T>;
}

/**
 * Every stack of the topology. Dependencies only order `cdktf deploy '*'`; no stack reads
 * another's state, so deploying one routing stack alone needs
 * `--ignore-missing-stack-dependencies`. The iam stack depends on nothing and nothing on it.
 */
export function buildRegionPair(app: App, topology: Topology, target: DeploymentTarget, options: RegionPairOptions = {}): RegionPairStacks {
  const network = perRole((role) => new NetworkStack(app, STACK_NAMES.network(role), { topology, role, target }));
  const peering = new PeeringStack(app, STACK_NAMES.peering, { topology, target });
  REGION_ROLES.forEach((role) => peering.addDependency(network[role]));
  const routing = perRole((role) => {
    const stack = new RoutingStack(app, STACK_NAMES.routing(role), { topology, role, target });
    stack.addDependency(peering);
    return stack;
  });
  const { iam: iamConfig } = topology;
  const iam = iamConfig
    ? new IamStack(app, STACK_NAMES.iam, {
        topology: { ...topology, iam: iamConfig },
        target,
        rolePolicy: options.rolePolicy ?? ((role, account) => generatedPolicy(role, topology, account)),
      })
    : undefined;
  return { network, peering, routing, ...(iam ? { iam } : {}) };
}
