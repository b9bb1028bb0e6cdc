/**
 * EC2 clients for the two regions of the pair, for the commands that must cope with a region
 * that is down (failover, status): two attempts, each ending at a short time limit, against the
 * deployment target's endpoints (the emulator's, with its fake credentials, or AWS's).
 */
import type { Topology } from "../../config/topology";
import { REGION_ROLES } from "../../config/topology";
import type { DeploymentTarget } from "../../config/target";
import { Ec2Clients } from "./aws";
import { EMULATOR_CREDENTIALS } from "./emulator";

/**
 * Per attempt: 3 s to connect, 6 s for an answer. Two attempts end within 15 s, the time a region
 * gets to answer a probe, so an endpoint that accepts and never answers ends as a TimeoutError.
 */
export const PAIR_TIMEOUTS = { connectMs: 3_000, requestMs: 6_000 } as const;

export function pairClients(topology: Topology, target: DeploymentTarget): Ec2Clients {
  const endpoints = Object.fromEntries(REGION_ROLES.map((role) => [topology[role].region, target.emulatorEndpoint(topology[role].region)]));
  const emulator = Object.values(endpoints).some(Boolean);
  return new Ec2Clients({ endpoints, maxAttempts: 2, timeouts: PAIR_TIMEOUTS, ...(emulator ? { credentials: EMULATOR_CREDENTIALS } : {}) });
}
