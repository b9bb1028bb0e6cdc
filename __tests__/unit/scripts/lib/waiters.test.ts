import { DescribeInstancesCommand, EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { waitForInstanceState } from "../../../../scripts/lib/waiters";
import { DeadlineExceededError, InterruptedError, retryUntil } from "../../../../scripts/lib/retry";

const ec2Mock = mockClient(EC2Client);
const state = (name: string) => ({ Reservations: [{ Instances: [{ InstanceId: "i-1", State: { Name: name as never } }] }] });

beforeEach(() => ec2Mock.reset());

describe("waiting for an instance state", () => {
  test("GIVEN an instance stopping, then stopped WHEN waiting THEN the wait resolves", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolvesOnce(state("stopping")).resolves(state("stopped"));
    await waitForInstanceState(new EC2Client({ region: "us-east-1" }), "i-1", "stopped", { region: "us-east-1", timeoutSeconds: 5, minDelaySeconds: 0.01, maxDelaySeconds: 0.02 });
    expect(ec2Mock.commandCalls(DescribeInstancesCommand).length).toBe(2);
  });

  test("GIVEN an instance still stopping at --timeout WHEN waiting THEN it is a DeadlineExceededError that says what to check", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves(state("stopping"));
    const error = await waitForInstanceState(new EC2Client({ region: "us-east-1" }), "i-1", "stopped", {
      region: "us-east-1",
      timeoutSeconds: 0.3,
      minDelaySeconds: 0.05,
      maxDelaySeconds: 0.05,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ code: "DeadlineExceeded", message: "i-1 was not stopped within 0.3 s", hint: expect.stringMatching(/raise --timeout/) });
  });

  test("GIVEN an instance that ends in another state WHEN waiting THEN it is reported with that state", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves(state("terminated"));
    await expect(
      waitForInstanceState(new EC2Client({ region: "us-east-1" }), "i-1", "running", { region: "us-east-1", timeoutSeconds: 5, minDelaySeconds: 0.01 }),
    ).rejects.toMatchObject({ code: "UnexpectedInstanceState", message: "i-1 is terminated instead of running" });
  });

  test("GIVEN an abort WHEN waiting THEN the wait ends as an interruption", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves(state("stopping"));
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 50);
    await expect(
      waitForInstanceState(new EC2Client({ region: "us-east-1" }), "i-1", "stopped", { region: "us-east-1", timeoutSeconds: 30, minDelaySeconds: 0.02, signal: interrupt.signal }),
    ).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe("retrying until a deadline", () => {
  const full = new EC2ServiceException({ name: "ResourceLimitExceeded", $fault: "client", $metadata: {}, message: "full" });
  const retryable = (e: unknown) => (e as { name?: string }).name === "ResourceLimitExceeded";

  test("GIVEN a retryable error WHEN retrying THEN it returns the first success", async () => {
    let calls = 0;
    const result = await retryUntil(async () => (++calls < 3 ? Promise.reject(full) : "copied"), { deadline: Date.now() + 1_000, intervalMs: 1, isRetryable: retryable });
    expect([result, calls]).toEqual(["copied", 3]);
  });

  test("GIVEN errors until the deadline WHEN retrying THEN it gives up with the last error", async () => {
    let calls = 0;
    await expect(retryUntil(async () => { calls += 1; throw full; }, { deadline: Date.now() + 50, intervalMs: 20, isRetryable: retryable })).rejects.toBe(full);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(4);
  });

  test("GIVEN an error that is not retryable WHEN retrying THEN it is not retried", async () => {
    const other = new Error("bug");
    let calls = 0;
    await expect(retryUntil(async () => { calls += 1; throw other; }, { deadline: Date.now() + 1_000, intervalMs: 1, isRetryable: retryable })).rejects.toBe(other);
    expect(calls).toBe(1);
  });
});
