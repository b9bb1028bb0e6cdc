/** A preflight read: allowed, missing, or — when the region cannot be asked — a failure, never a pass. */
import { ExternalError } from "../../../../scripts/lib/cli";
import { readCheck } from "../../../../scripts/preflight/checks";

const REGION = "us-west-2";

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code, $metadata: { attempts: 2 } });
}

function awsError(name: string): Error {
  return Object.assign(new Error(name), { name, $fault: "client", $metadata: { httpStatusCode: 400 } });
}

test("GIVEN the read answers THEN it is allowed, with the answer", async () => {
  expect(await readCheck("ec2:DescribeVpcs", REGION, undefined, async () => ({ Vpcs: [] }))).toEqual({
    check: { action: "ec2:DescribeVpcs", region: REGION, resource: undefined, verdict: "allowed", method: "call" },
    answer: { Vpcs: [] },
  });
});

test("GIVEN UnauthorizedOperation THEN the action is missing", async () => {
  const { check } = await readCheck("ec2:DescribeVpcs", REGION, undefined, () => Promise.reject(awsError("UnauthorizedOperation")));
  expect(check).toMatchObject({ verdict: "missing", code: "UnauthorizedOperation" });
});

test("GIVEN a refused connection WHEN reading THEN the preflight fails as Unreachable instead of reporting the check unverified", async () => {
  const run = readCheck("ec2:DescribeTransitGatewayRouteTables", REGION, undefined, () => Promise.reject(networkError("ECONNREFUSED")));
  await expect(run).rejects.toBeInstanceOf(ExternalError);
  await expect(run).rejects.toMatchObject({ code: "Unreachable", message: expect.stringContaining(`${REGION} did not answer DescribeTransitGatewayRouteTables (ECONNREFUSED)`) });
});

test("GIVEN expired credentials WHEN reading THEN the preflight fails with the credential error", async () => {
  await expect(readCheck("ec2:DescribeVpcs", REGION, undefined, () => Promise.reject(awsError("ExpiredToken")))).rejects.toMatchObject({ code: "ExpiredToken" });
});
