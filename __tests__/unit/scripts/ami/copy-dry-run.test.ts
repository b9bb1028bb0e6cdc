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
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { dryRunAmiCopy } from "../../../../scripts/ami/copy-dry-run";
import { AmiCopyOptions } from "../../../../scripts/ami/copy-images";
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

test("UnauthorizedOperation in dry run: the missing permission is reported by name and Region, and fails the run", async () => {
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
  expect(missingPermissionsError(result.checks, "docs/ami-copy.md")).toMatchObject({
    code: "UnauthorizedOperation",
    message: "dry run: missing permission: ec2:CopyImage in eu-west-1",
  });
});

test("an answer other than DryRunOperation or UnauthorizedOperation is reported as not verified, not as allowed", async () => {
  ec2Mock.on(CopyImageCommand).rejects(error("InvalidAMIID.NotFound"));
  const clients = new Ec2Clients();

  const result = await dryRunAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });
  clients.destroy();

  expect(result.checks[1]).toMatchObject({ permission: "ec2:CopyImage", verdict: "unverified", code: "InvalidAMIID.NotFound" });
  expect(missingPermissionsError(result.checks, "docs/ami-copy.md")).toBeUndefined();
});
