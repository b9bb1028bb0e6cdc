import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { awsErrorCode, isThrottlingError, isTransientError, isUnreachableError, toExternalError } from "../../../../scripts/lib/aws-errors";
import { ExternalError } from "../../../../scripts/lib/cli";

const aws = (name: string, fault: "client" | "server" = "client", status = 400) =>
  new EC2ServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: `${name}!` });

describe("AWS errors as the user sees them", () => {
  test.each([
    ["UnauthorizedOperation", "CopyImage", "eu-west-1", /^the role lacks ec2:CopyImage in eu-west-1, or the resource is outside its scope .*npx regionpair iam policy <role>/],
    ["ExpiredToken", "DescribeImages", "eu-west-1", /AWS credentials: .*not expired/],
    ["RequestLimitExceeded", "DescribeImages", "eu-west-1", /lower --concurrency/],
    ["ResourceLimitExceeded", "CopyImage", "eu-west-1", /100 concurrent AMI copies and 20 concurrent snapshot copies per destination Region/],
    ["InvalidInstanceID.NotFound", "DescribeInstances", "us-east-1", /the instance ids, and that they are in us-east-1/],
    ["InvalidKMSKey.NotFound", "CopyImage", "eu-west-1", /KMS key exists in eu-west-1 .*keys are regional/],
    ["IncorrectInstanceState", "ModifyInstanceAttribute", "us-east-1", /need a stopped instance/],
    ["InvalidParameterCombination", "StartInstances", "us-east-1", /requires ENA starts only with ENA support enabled/],
  ])("GIVEN %s from %s in %s WHEN turned into an ExternalError THEN it has the code, the call and what to check", (code, operation, region, hint) => {
    const external = toExternalError(aws(code), { operation, region });
    expect(external).toBeInstanceOf(ExternalError);
    expect(external).toMatchObject({ code, message: `${operation} in ${region} failed: ${code}!` });
    expect((external as ExternalError).hint).toMatch(hint);
  });

  test("GIVEN an unknown AWS error WHEN turned into an ExternalError THEN it keeps its code and message, without a made-up hint", () => {
    expect(toExternalError(aws("SomethingNew"), { operation: "CopyImage", region: "eu-west-1" })).toMatchObject({ code: "SomethingNew", hint: undefined });
  });

  test("GIVEN a connection failure WHEN turned into an ExternalError THEN it says which endpoint to check", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const external = toExternalError(refused, { operation: "DescribeInstances", region: "us-east-1" });
    expect(external).toMatchObject({ code: "ECONNREFUSED", hint: expect.stringMatching(/--endpoint-url/) });
  });

  test("GIVEN missing credentials WHEN turned into an ExternalError THEN they are external", () => {
    const missing = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    expect(toExternalError(missing)).toMatchObject({ code: "CredentialsProviderError", hint: expect.stringMatching(/AWS_PROFILE/) });
  });

  test("GIVEN a bug WHEN turned into an ExternalError THEN it is returned unchanged with its stack", () => {
    const bug = new TypeError("x is undefined");
    expect(toExternalError(bug)).toBe(bug);
    expect(awsErrorCode(bug)).toBeUndefined();
  });

  test.each([
    [aws("RequestLimitExceeded", "client", 503), true, true],
    [aws("Throttling"), true, true],
    [aws("InternalError", "server", 500), false, true],
    [Object.assign(new Error("reset"), { code: "ECONNRESET" }), false, true],
    [aws("UnauthorizedOperation"), false, false],
  ])("GIVEN %s WHEN classified THEN throttling is %s and worth retrying is %s", (error, throttling, transient) => {
    expect(isThrottlingError(error)).toBe(throttling);
    expect(isTransientError(error)).toBe(transient);
  });
});

describe("a region that does not answer", () => {
  test.each([
    // What the SDK throws for a request sent with `abortSignal: AbortSignal.timeout(ms)` that was still hanging.
    ["a request cut off by its time limit", Object.assign(new Error("Request aborted"), { name: "AbortError" }), true],
    ["the SDK's own per-request time-out", Object.assign(new Error("a request has exceeded the configured 8000 ms requestTimeout"), { name: "TimeoutError", code: "ETIMEDOUT" }), true],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED", $metadata: { attempts: 1 } }), true],
    ["a denied call", aws("UnauthorizedOperation", "client", 403), false],
  ])("GIVEN %s WHEN classified THEN unreachable is %s", (_label, error, unreachable) => {
    expect(isUnreachableError(error)).toBe(unreachable);
  });
});
