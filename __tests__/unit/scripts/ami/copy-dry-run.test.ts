/**
 * ami copy --dry-run with EC2 mocked: every mutating call is sent with DryRun, and
 * UnauthorizedOperation is reported as a missing permission (exit 1 names it).
 */
import {
  CopyImageCommand,
  CreateImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  GetEbsDefaultKmsKeyIdCommand,
  Image,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { dryRunAmiCopy } from "../../../../scripts/ami/copy-dry-run";
import { AmiCopyOptions, runAmiCopy } from "../../../../scripts/ami/copy-images";
import { Ec2Clients } from "../../../../scripts/lib/aws";
import { formatPermissionChecks, missingPermissionsError } from "../../../../scripts/lib/dry-run";
import { SILENT_PROGRESS } from "../../../../scripts/lib/progress";

const ec2Mock = mockClient(EC2Client);

const error = (name: string) => new EC2ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: 412 }, message: name });

const OPTIONS: AmiCopyOptions = {
  sourceRegion: "us-east-1",
  targetRegion: "eu-west-1",
  selection: { instanceIds: [], tags: [{ key: "dr:protect", value: "true" }] },
  reboot: true,
  captureId: "2024-06-01",
  keep: 3,
  concurrency: 5,
  timeoutMs: 60_000,
  pollIntervalMs: 5,
};

beforeEach(() => {
  ec2Mock.reset();
  ec2Mock.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: [{ InstanceId: "i-0123456789abcdef0", InstanceType: "m5.large", State: { Name: "running" } }] }],
  });
  ec2Mock.on(DescribeImagesCommand).resolves({ Images: [] });
  ec2Mock.on(CreateImageCommand).rejects(error("DryRunOperation"));
  ec2Mock.on(GetEbsDefaultKmsKeyIdCommand).rejects(error("DryRunOperation"));
});

test("GIVEN CopyImage answers UnauthorizedOperation WHEN dry running THEN the missing permission is reported by name and Region, and fails the run", async () => {
  ec2Mock.on(CopyImageCommand).rejects(error("UnauthorizedOperation"));
  const clients = new Ec2Clients();

  const result = await dryRunAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });
  clients.destroy();

  expect(result.checks.map((c) => [c.permission, c.region, c.verdict])).toEqual([
    ["ec2:CreateImage", "us-east-1", "allowed"],
    ["ec2:CopyImage", "eu-west-1", "missing"],
    ["ec2:GetEbsDefaultKmsKeyId", "eu-west-1", "allowed"],
  ]);
  expect(result.notChecked).toEqual([
    "ec2:DeregisterImage and ec2:DeleteSnapshot in us-east-1: no regionpair image there yet",
    "ec2:DeregisterImage and ec2:DeleteSnapshot in eu-west-1: no regionpair image there yet",
  ]);
  for (const call of [...ec2Mock.commandCalls(CreateImageCommand), ...ec2Mock.commandCalls(CopyImageCommand), ...ec2Mock.commandCalls(GetEbsDefaultKmsKeyIdCommand)]) {
    expect(call.args[0].input.DryRun).toBe(true);
  }
  expect(formatPermissionChecks(result.checks)[1]).toMatch(/ec2:CopyImage\s+eu-west-1\s+MISSING/);
  expect(missingPermissionsError(result.checks, "npx regionpair iam policy ami-copy")).toMatchObject({
    code: "UnauthorizedOperation",
    message: "dry run: missing permission: ec2:CopyImage in eu-west-1",
  });
});

test("GIVEN an answer other than DryRunOperation or UnauthorizedOperation WHEN dry running THEN it is reported as not verified, not as allowed", async () => {
  ec2Mock.on(CopyImageCommand).rejects(error("InvalidAMIID.NotFound"));
  const clients = new Ec2Clients();

  const result = await dryRunAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });
  clients.destroy();

  expect(result.checks[1]).toMatchObject({ permission: "ec2:CopyImage", verdict: "unverified", code: "InvalidAMIID.NotFound" });
  expect(missingPermissionsError(result.checks, "npx regionpair iam policy ami-copy")).toBeUndefined();
});

describe("the dry run sends the real run's requests", () => {
  const NOW = new Date("2024-06-01T02:03:04.000Z");
  const answer = (name: string) => async (input: { DryRun?: boolean }) => {
    if (input.DryRun) throw error("DryRunOperation");
    return { ImageId: name };
  };
  const sentInputs = <T extends { DryRun?: boolean }>(calls: Array<{ args: [{ input: T }] }>) => ({
    real: calls.map((c) => c.args[0].input).filter((input) => !input.DryRun),
    dry: calls.map((c) => c.args[0].input).filter((input) => input.DryRun),
  });

  beforeEach(() => {
    ec2Mock.on(CreateImageCommand).callsFake(answer("ami-new"));
    ec2Mock.on(CopyImageCommand).callsFake(answer("ami-copy"));
    ec2Mock.on(GetEbsDefaultKmsKeyIdCommand).callsFake(async (input) => {
      if (input.DryRun) throw error("DryRunOperation");
      return { KmsKeyId: "alias/aws/ebs" };
    });
  });

  async function bothRuns(options: AmiCopyOptions) {
    const clients = new Ec2Clients();
    try {
      await dryRunAmiCopy(options, { clients, progress: SILENT_PROGRESS, now: () => NOW });
      await runAmiCopy(options, { clients, progress: SILENT_PROGRESS, now: () => NOW });
    } finally {
      clients.destroy();
    }
  }

  test("GIVEN an instance with no image yet WHEN dry run and real run THEN CreateImage is the same request, the dry run's with DryRun", async () => {
    ec2Mock.on(DescribeImagesCommand).callsFake(async (input) => (input.Owners ? { Images: [] } : { Images: [{ ImageId: input.Filters[0].Values[0], State: "available" }] }));

    await bothRuns({ ...OPTIONS, keep: undefined, kmsKeyId: "alias/dr-images" });

    const { real, dry } = sentInputs(ec2Mock.commandCalls(CreateImageCommand));
    expect(real).toHaveLength(1);
    expect(dry).toEqual([{ ...real[0], DryRun: true }]);
  });

  test("GIVEN a source image from an earlier run and no copy WHEN dry run and real run THEN CopyImage is the same request, the dry run's with DryRun", async () => {
    const earlier: Image = {
      ImageId: "ami-earlier",
      State: "available",
      Name: "regionpair-i-0123456789abcdef0-2024-06-01",
      Description: "regionpair capture 2024-06-01 of i-0123456789abcdef0 (web-1)",
      Tags: [
        { Key: "regionpair:role", Value: "source" },
        { Key: "regionpair:source-instance-id", Value: "i-0123456789abcdef0" },
        { Key: "regionpair:capture-id", Value: "2024-06-01" },
        { Key: "cost-center", Value: "42" },
      ],
    };
    ec2Mock.on(DescribeImagesCommand).callsFake(async (input) => {
      if (!input.Owners) return { Images: [{ ImageId: input.Filters[0].Values[0], State: "available" }] };
      const role = input.Filters.find((f: { Name: string }) => f.Name === "tag:regionpair:role").Values[0];
      return { Images: role === "source" ? [earlier] : [] };
    });

    await bothRuns({ ...OPTIONS, keep: undefined });

    const { real, dry } = sentInputs(ec2Mock.commandCalls(CopyImageCommand));
    expect(real).toHaveLength(1);
    expect(dry).toEqual([{ ...real[0], DryRun: true }]);
    expect(real[0]).toMatchObject({ SourceImageId: "ami-earlier", Description: earlier.Description });
  });
});
