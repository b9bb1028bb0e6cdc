/**
 * Terraform's S3 state: each region's stacks keep `<keyPrefix>/<stack>.tfstate` in that region's
 * bucket, and lock it with `<key>.tflock` (use_lockfile). A role gets exactly the keys of the
 * stacks it runs: read for plan, read-write for deploy and failover. Local state needs nothing.
 */
import type { RegionRole, Topology } from "../../config/topology";
import { partitionOf } from "../../config/regions";
import { REGION_ROLES } from "../../config/topology";
import { Grant } from "./policy-document";
import { AwsCall, call } from "./aws-call";

export interface StateAccess {
  /** Stacks whose state the role reads or writes, by the region role that keeps it. */
  readonly stacks: ReadonlyArray<{ readonly stack: string; readonly role: RegionRole }>;
  readonly write: boolean;
}

export function stateCalls(topology: Topology, access: StateAccess): AwsCall[] {
  if (topology.state.backend !== "s3" || access.stacks.length === 0) return [];
  return [
    call("s3:ListBucket", "terraform: list the state bucket"),
    call("s3:GetObject", "terraform: read the state and its lock file"),
    call("s3:PutObject", access.write ? "terraform: write the state and take the lock" : "terraform: take the state lock"),
    call("s3:DeleteObject", "terraform: release the state lock"),
  ];
}

export function stateGrants(topology: Topology, access: StateAccess): Grant[] {
  if (topology.state.backend !== "s3" || access.stacks.length === 0) return [];
  const { locations } = topology.state;
  const partition = partitionOf(topology.primary.region);
  const bucketArn = (role: RegionRole) => `arn:${partition}:s3:::${locations[role].bucket}`;
  const key = (stack: string, role: RegionRole) => `${bucketArn(role)}/${locations[role].keyPrefix}/${stack}.tfstate`;
  const roles = REGION_ROLES.filter((role) => access.stacks.some((s) => s.role === role));
  return [
    { sid: "StateBuckets", actions: ["s3:ListBucket"], resources: roles.map(bucketArn) },
    { sid: "StateObjects", actions: access.write ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"], resources: access.stacks.map((s) => key(s.stack, s.role)) },
    { sid: "StateLockFiles", actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: access.stacks.map((s) => `${key(s.stack, s.role)}.tflock`) },
  ];
}
