/** verifyReach, the call the failover command can make after a flip, with EC2 mocked. */
import {
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { AWS_TARGET } from "../../../../config/target";
import { UsageError } from "../../../../scripts/lib/cli";
import { verifyReach } from "../../../../scripts/reach";
import { topologyWith } from "../../../support/topologies";

const ec2Mock = mockClient(EC2Client);

beforeEach(() => {
  ec2Mock.reset();
  // Regions where regionpair deployed nothing (yet): no VPC, no transit gateway has the tag.
  ec2Mock.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  ec2Mock.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [] });
});

test("GIVEN a region outside the pair WHEN verifying THEN it is a usage error and nothing is read", async () => {
  await expect(verifyReach(topologyWith(), AWS_TARGET, "mars-east-1")).rejects.toThrow(UsageError);
  expect(ec2Mock.calls()).toHaveLength(0);
});

test("GIVEN workloads but nothing deployed WHEN verifying THEN no client reaches any copy and the exit code is 1", async () => {
  const run = await verifyReach(topologyWith(), AWS_TARGET);

  expect(run.regions.map((r) => r.outcome)).toEqual(["read", "read"]);
  expect(run.exitCode).toBe(1);
  expect(run.report.rows.filter((r) => r.kind === "client-to-workload").every((r) => r.verdict !== "delivered")).toBe(true);
});

test("GIVEN a topology without workloads WHEN verifying THEN there is nothing to check and the exit code is 0", async () => {
  const run = await verifyReach(topologyWith((input) => delete input.workloads), AWS_TARGET);

  expect([run.report.rows, run.report.problems, run.exitCode]).toEqual([[], [], 0]);
});
