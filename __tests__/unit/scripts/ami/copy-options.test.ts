import { parseAmiCopyArguments, parseKmsKey } from "../../../../scripts/ami/copy";
import { UsageError } from "../../../../scripts/lib/cli";

const BASE = ["--region", "us-east-1", "--target-region", "eu-west-1"];
const NOW = new Date("2024-06-01T12:00:00Z");

describe("ami copy options", () => {
  test("GIVEN only the required options WHEN parsed THEN the defaults are: reboot, today's capture, five at a time, two hours per image, 15 s polls", () => {
    const parsed = parseAmiCopyArguments([...BASE, "--tag", "dr:protect=true"], NOW)!;
    expect(parsed.options).toEqual({
      sourceRegion: "us-east-1",
      targetRegion: "eu-west-1",
      selection: { instanceIds: [], tags: [{ key: "dr:protect", value: "true" }] },
      reboot: true,
      captureId: "2024-06-01",
      kmsKeyId: undefined,
      keep: undefined,
      concurrency: 5,
      timeoutMs: 120 * 60_000,
      pollIntervalMs: 15_000,
    });
    expect(parsed.endpoints).toEqual({ "us-east-1": undefined, "eu-west-1": undefined });
  });

  test("GIVEN --endpoint-url WHEN parsed THEN it serves both Regions unless --target-endpoint-url is given", () => {
    const one = parseAmiCopyArguments([...BASE, "--tag", "a=b", "--endpoint-url", "http://127.0.0.1:5000"], NOW)!;
    expect(one.endpoints).toEqual({ "us-east-1": "http://127.0.0.1:5000", "eu-west-1": "http://127.0.0.1:5000" });
    const two = parseAmiCopyArguments(
      [...BASE, "--tag", "a=b", "--endpoint-url", "https://vpce-1.ec2.us-east-1.vpce.amazonaws.com", "--target-endpoint-url", "https://vpce-2.ec2.eu-west-1.vpce.amazonaws.com"],
      NOW,
    )!;
    expect(two.endpoints["eu-west-1"]).toBe("https://vpce-2.ec2.eu-west-1.vpce.amazonaws.com");
  });

  test.each([
    [["--tag", "a=b"], "--region is required"],
    [["--region", "us-east-1", "--tag", "a=b"], "--target-region is required"],
    [[...BASE], "choose instances with --instance-id or --tag"],
    [[...BASE, "--tag", "novalue"], "--tag 'novalue' must be key=value"],
    [[...BASE, "--instance-id", "web-1"], "--instance-id 'web-1' is not an instance id"],
    [[...BASE, "--tag", "a=b", "--keep", "0"], "--keep '0' must be a whole number from 1"],
    [[...BASE, "--tag", "a=b", "--concurrency", "101"], "--concurrency '101' must be a whole number from 1 to 100"],
    [[...BASE, "--tag", "a=b", "--timeout", "soon"], "--timeout 'soon' must be a number"],
    [[...BASE, "--tag", "a=b", "--capture-id", "a b"], "--capture-id 'a b' must be 1-40"],
    [[...BASE, "--tag", "a=b", "--reboot"], "Unknown option '--reboot'"],
    [["--region", "us-east-1", "--target-region", "us-east-1", "--tag", "a=b"], "--target-region must differ from --region"],
  ])("GIVEN %j WHEN parsed THEN it is a usage error: %s", (argv, message) => {
    expect(() => parseAmiCopyArguments(argv, NOW)).toThrow(UsageError);
    expect(() => parseAmiCopyArguments(argv, NOW)).toThrow(message);
  });

  test("GIVEN --help WHEN parsed THEN it asks for the help text", () => {
    expect(parseAmiCopyArguments(["--help"], NOW)).toBeUndefined();
  });
});

describe("--kms-key", () => {
  test.each([
    "alias/dr-images",
    "0b0c1d2e-3f40-4152-8364-758697a8b9c0",
    "mrk-0123456789abcdef0123456789abcdef",
    "arn:aws:kms:eu-west-1:123456789012:key/0b0c1d2e-3f40-4152-8364-758697a8b9c0",
    "arn:aws:kms:eu-west-1:123456789012:alias/dr-images",
  ])("GIVEN --kms-key %s for eu-west-1 WHEN parsed THEN it is accepted", (key) => {
    expect(parseKmsKey(key, "eu-west-1")).toBe(key);
  });

  test("GIVEN a key ARN from another Region WHEN parsed THEN it is refused: KMS keys are regional", () => {
    expect(() => parseKmsKey("arn:aws:kms:us-east-1:123456789012:key/0b0c1d2e-3f40-4152-8364-758697a8b9c0", "eu-west-1")).toThrow(
      "--kms-key is a key in us-east-1 but the copies are made in eu-west-1; KMS keys are regional",
    );
  });

  test.each(["dr-images", "arn:aws:s3:::bucket"])("GIVEN --kms-key %s WHEN parsed THEN it is refused", (key) => {
    expect(() => parseKmsKey(key, "eu-west-1")).toThrow(UsageError);
  });
});
