/**
 * The roles, by name: what each is for, and its name in AWS. Apart from roles.ts (which generates
 * the policies) so the iam stack can name the roles without loading the generator.
 */
import type { Topology } from "../../config/topology";

export const ROLE_NAMES = ["deploy", "plan", "failover", "ami-copy", "ena-enable", "restore"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export function isRoleName(value: string): value is RoleName {
  return (ROLE_NAMES as readonly string[]).includes(value);
}

export const ROLE_SUMMARIES: Readonly<Record<RoleName, string>> = {
  deploy: "terraform apply and destroy of the network, peering and routing stacks, reads of the iam stack (the deploy workflow), and the failover command (the failover workflow)",
  plan: "terraform plan of every stack, status and reach: read-only (the pull-request plan job)",
  failover: "the failover command and its terraform run of the routing stacks, status, reach",
  "ami-copy": "ami copy: image instances, copy the images encrypted to the DR region, retention",
  "ena-enable": "ena enable: ENA support and the instance type of the topology's instances",
  restore: "restore (and drills) in the DR region from the DR copies",
};

/** The IAM role's name in AWS (the iam stack's), e.g. `corp-dr-failover`. */
export function iamRoleName(topology: Topology, role: RoleName): string {
  return `${topology.name}-${role}`;
}
