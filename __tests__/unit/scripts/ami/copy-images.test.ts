/**
 * The ami copy workflow with EC2 mocked, for what the emulator cannot produce: a copy that ends
 * in state failed, a full copy quota, a lost CreateImage answer; and the exact CopyImage request.
 */
import {
  CopyImageCommand,
  CreateImageCommand,
  DescribeImagesCommand,
  DescribeImagesCommandInput,
  DescribeInstancesCommand,
  DeregisterImageCommand,
  EC2Client,
  EC2ServiceException,
  GetEbsDefaultKmsKeyIdCommand,
  Image,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { AmiCopyOptions, runAmiCopy } from "../../../../scripts/ami/copy-images";
import { copyClientToken } from "../../../../scripts/ami/naming";
import { Ec2Clients } from "../../../../scripts/lib/aws";
import { SILENT_PROGRESS } from "../../../../scripts/lib/progress";

const ec2Mock = mockClient(EC2Client);

const OPTIONS: AmiCopyOptions = {
  sourceRegion: "us-east-1",
  targetRegion: "eu-west-1",
  selection: { instanceIds: ["i-0123456789abcdef0"], tags: [] },
  reboot: true,
  captureId: "2024-06-01",
  concurrency: 5,
  timeoutMs: 60_000,
  pollIntervalMs: 5,
};

function serviceError(name: string, message = `${name} happened`): EC2ServiceException {
  return new EC2ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: 400 }, message });
}

/** DescribeImages answers: tag lookups find `existing`, image-id polls get `states` in turn. */
function describeImages(existing: Image[], states: Record<string, Array<Image["State"] | Image>>) {
  return async (input: DescribeImagesCommandInput) => {
    if (input.Owners) return { Images: existing };
    const ids = input.Filters?.find((f) => f.Name === "image-id")?.Values ?? [];
    return {
      Images: ids.map((id) => {
        const next = states[id]?.length > 1 ? states[id].shift()! : states[id]?.[0];
        return typeof next === "object" ? { ImageId: id, ...next } : { ImageId: id, State: next, BlockDeviceMappings: [{ Ebs: { SnapshotId: `snap-${id}` } }] };
      }),
    };
  };
}

let clients: Ec2Clients;

beforeEach(() => {
  ec2Mock.reset();
  clients = new Ec2Clients();
  ec2Mock.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: [{ InstanceId: "i-0123456789abcdef0", InstanceType: "m5.large", State: { Name: "running" }, PrivateIpAddress: "10.0.0.5" }] }],
  });
  ec2Mock.on(GetEbsDefaultKmsKeyIdCommand).resolves({ KmsKeyId: "arn:aws:kms:eu-west-1:123456789012:alias/aws/ebs" });
  ec2Mock.on(CreateImageCommand).resolves({ ImageId: "ami-src" });
  ec2Mock.on(CopyImageCommand).resolves({ ImageId: "ami-copy" });
});

afterEach(() => clients.destroy());

describe("ami copy, the workflow", () => {
  test("GIVEN a key WHEN copying THEN CopyImage asks for an encrypted copy with that key, a deterministic client token and the inventory tags", async () => {
    ec2Mock.on(DescribeImagesCommand).callsFake(describeImages([], { "ami-src": ["pending", "available"], "ami-copy": ["available"] }));

    const result = await runAmiCopy({ ...OPTIONS, kmsKeyId: "alias/dr-images" }, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({ status: "copied", sourceImageId: "ami-src", copyImageId: "ami-copy" });
    const [copy] = ec2Mock.commandCalls(CopyImageCommand);
    expect(copy.args[0].input).toMatchObject({
      SourceImageId: "ami-src",
      SourceRegion: "us-east-1",
      Encrypted: true,
      KmsKeyId: "alias/dr-images",
      ClientToken: copyClientToken("ami-src", "eu-west-1"),
    });
    expect(copy.args[0].input.TagSpecifications?.map((s) => s.ResourceType)).toEqual(["image", "snapshot"]);
    const [create] = ec2Mock.commandCalls(CreateImageCommand);
    expect(create.args[0].input).toMatchObject({ InstanceId: "i-0123456789abcdef0", Name: "regionpair-i-0123456789abcdef0-2024-06-01", NoReboot: false });
    // The default key is not asked for when a key is given.
    expect(ec2Mock.commandCalls(GetEbsDefaultKmsKeyIdCommand)).toHaveLength(0);
  });

  test("GIVEN a copy that ends in state failed WHEN copying THEN the instance fails with AWS's reason and what to check", async () => {
    ec2Mock.on(DescribeImagesCommand).callsFake(
      describeImages([], {
        "ami-src": ["available"],
        "ami-copy": ["pending", { State: "failed", StateReason: { Code: "Client.InvalidKMSKey.InvalidState", Message: "The KMS key provided is in an incorrect state" } }],
      }),
    );

    const result = await runAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({
      status: "failed",
      sourceImageId: "ami-src",
      error: {
        code: "Client.InvalidKMSKey.InvalidState",
        message: "ami-copy in eu-west-1 ended in state failed: The KMS key provided is in an incorrect state",
        hint: expect.stringMatching(/must exist in eu-west-1 .*the account's default EBS key in eu-west-1; run the command again/),
      },
    });
  });

  test("GIVEN a failed copy from an earlier run WHEN run again THEN it is deregistered and replaced by a new request (a new client token)", async () => {
    const failedCopy: Image = {
      ImageId: "ami-failed",
      State: "failed",
      Tags: [
        { Key: "regionpair:role", Value: "copy" },
        { Key: "regionpair:source-instance-id", Value: "i-0123456789abcdef0" },
        { Key: "regionpair:source-image-id", Value: "ami-src" },
      ],
    };
    const source: Image = { ...failedCopy, ImageId: "ami-src", State: "available", Tags: [
      { Key: "regionpair:role", Value: "source" },
      { Key: "regionpair:source-instance-id", Value: "i-0123456789abcdef0" },
      { Key: "regionpair:capture-id", Value: "2024-06-01" },
    ] };
    ec2Mock.on(DescribeImagesCommand).callsFake(async (input: DescribeImagesCommandInput) => {
      if (input.Owners) {
        const role = input.Filters?.find((f) => f.Name === "tag:regionpair:role")?.Values?.[0];
        return { Images: role === "copy" ? [failedCopy] : [source] };
      }
      return { Images: [{ ImageId: "ami-copy", State: "available" }] };
    });

    const result = await runAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({ status: "copied", createdSourceImage: false, createdCopy: true });
    expect(ec2Mock.commandCalls(CreateImageCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input.ImageId)).toEqual(["ami-failed"]);
    expect(ec2Mock.commandCalls(CopyImageCommand)[0].args[0].input.ClientToken).toBe(copyClientToken("ami-src", "eu-west-1", "ami-failed"));
    expect(ec2Mock.commandCalls(CopyImageCommand)[0].args[0].input.ClientToken).not.toBe(copyClientToken("ami-src", "eu-west-1"));
  });

  const sourceTags = [
    { Key: "regionpair:role", Value: "source" },
    { Key: "regionpair:source-instance-id", Value: "i-0123456789abcdef0" },
    { Key: "regionpair:capture-id", Value: "2024-06-01" },
  ];

  test("GIVEN this capture's image just deregistered (still listed as deregistered) WHEN run again THEN a new image is made, not waited for", async () => {
    const gone: Image = { ImageId: "ami-gone", State: "deregistered", Tags: sourceTags };
    ec2Mock.on(DescribeImagesCommand).callsFake(describeImages([gone], { "ami-gone": ["deregistered"], "ami-src": ["available"], "ami-copy": ["available"] }));

    const result = await runAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({ status: "copied", sourceImageId: "ami-src", createdSourceImage: true });
    expect(ec2Mock.commandCalls(CreateImageCommand)).toHaveLength(1);
    // Nothing left to deregister.
    expect(ec2Mock.commandCalls(DeregisterImageCommand)).toHaveLength(0);
  });

  test("GIVEN this capture's image disabled on purpose WHEN run THEN the instance fails with ImageDisabled and the image is neither used nor replaced", async () => {
    const disabled: Image = { ImageId: "ami-disabled", State: "disabled", Tags: sourceTags };
    // As EC2 does: a disabled image is listed only when IncludeDisabled asks for it.
    ec2Mock.on(DescribeImagesCommand).callsFake(async (input: DescribeImagesCommandInput) => ({ Images: input.IncludeDisabled ? [disabled] : [] }));

    const result = await runAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({
      status: "failed",
      error: { code: "ImageDisabled", hint: expect.stringMatching(/^enable it \('aws ec2 enable-image --image-id ami-disabled --region us-east-1'\)/) },
    });
    expect(ec2Mock.commandCalls(CreateImageCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DeregisterImageCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(CopyImageCommand)).toHaveLength(0);
  });

  test("GIVEN instances selected by tag, one stopping WHEN copying THEN only the running one is imaged and the stopping one is reported skipped", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            { InstanceId: "i-00000000000000001", InstanceType: "m5.large", State: { Name: "running" } },
            { InstanceId: "i-00000000000000002", InstanceType: "m5.large", State: { Name: "stopping" } },
          ],
        },
      ],
    });
    ec2Mock.on(DescribeImagesCommand).callsFake(describeImages([], { "ami-src": ["available"], "ami-copy": ["available"] }));
    const warnings: string[] = [];

    const result = await runAmiCopy(
      { ...OPTIONS, selection: { instanceIds: [], tags: [{ key: "dr:protect", value: "true" }] } },
      { clients, progress: { ...SILENT_PROGRESS, warn: (message) => warnings.push(message) } },
    );

    expect(ec2Mock.commandCalls(CreateImageCommand).map((c) => c.args[0].input.InstanceId)).toEqual(["i-00000000000000001"]);
    expect(result.instances.map((i) => [i.instanceId, i.status])).toEqual([["i-00000000000000001", "copied"]]);
    expect(result.skipped).toEqual([{ instanceId: "i-00000000000000002", state: "stopping" }]);
    expect(warnings).toContain("i-00000000000000002 is stopping: skipped, CreateImage needs a running or stopped instance (the next run images it)");
  });

  test("GIVEN every instance matching the tag pending WHEN copying THEN nothing is imaged and the run fails naming them", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: "i-00000000000000001", InstanceType: "m5.large", State: { Name: "pending" } }] }] });

    const error = await runAmiCopy({ ...OPTIONS, selection: { instanceIds: [], tags: [{ key: "dr:protect", value: "true" }] } }, { clients, progress: SILENT_PROGRESS }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: "IncorrectInstanceState", message: "no instance in us-east-1 can be imaged now: i-00000000000000001 is pending" });
    expect(ec2Mock.commandCalls(CreateImageCommand)).toHaveLength(0);
  });

  test("GIVEN a full per-destination copy quota (ResourceLimitExceeded) WHEN copying THEN it is waited out, then the copy starts", async () => {
    ec2Mock.on(DescribeImagesCommand).callsFake(describeImages([], { "ami-src": ["available"], "ami-copy": ["available"] }));
    ec2Mock.on(CopyImageCommand).rejectsOnce(serviceError("ResourceLimitExceeded")).rejectsOnce(serviceError("ResourceLimitExceeded")).resolves({ ImageId: "ami-copy" });

    const result = await runAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0].status).toBe("copied");
    expect(ec2Mock.commandCalls(CopyImageCommand)).toHaveLength(3);
  });

  test("GIVEN CreateImage answering InvalidAMIName.Duplicate WHEN imaging THEN it continues with the image of that name", async () => {
    ec2Mock.on(CreateImageCommand).rejects(serviceError("InvalidAMIName.Duplicate", "AMI name regionpair-i-0123456789abcdef0-2024-06-01 is already in use by AMI ami-earlier"));
    ec2Mock.on(DescribeImagesCommand).callsFake(async (input: DescribeImagesCommandInput) => {
      if (input.Filters?.some((f) => f.Name === "name")) return { Images: [{ ImageId: "ami-earlier", State: "pending" }] };
      return describeImages([], { "ami-earlier": ["available"], "ami-copy": ["available"] })(input);
    });

    const result = await runAmiCopy(OPTIONS, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({ status: "copied", sourceImageId: "ami-earlier" });
  });

  test("GIVEN an AWS error on one instance WHEN copying two THEN only that one fails, and a permission error names the permission", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            { InstanceId: "i-00000000000000001", InstanceType: "m5.large", State: { Name: "running" } },
            { InstanceId: "i-00000000000000002", InstanceType: "m5.large", State: { Name: "running" } },
          ],
        },
      ],
    });
    ec2Mock.on(CreateImageCommand, { InstanceId: "i-00000000000000001" }).rejects(serviceError("UnauthorizedOperation", "You are not authorized to perform this operation."));
    ec2Mock.on(CreateImageCommand, { InstanceId: "i-00000000000000002" }).resolves({ ImageId: "ami-src" });
    ec2Mock.on(DescribeImagesCommand).callsFake(describeImages([], { "ami-src": ["available"], "ami-copy": ["available"] }));

    const result = await runAmiCopy({ ...OPTIONS, selection: { instanceIds: ["i-00000000000000001", "i-00000000000000002"], tags: [] } }, { clients, progress: SILENT_PROGRESS });

    expect(result.instances.map((i) => i.status)).toEqual(["failed", "copied"]);
    expect(result.instances[0].error).toMatchObject({ code: "UnauthorizedOperation", hint: expect.stringMatching(/^the role lacks ec2:CreateImage in us-east-1/) });
  });

  test("GIVEN an image still pending at --timeout WHEN waiting THEN the instance fails with DeadlineExceeded", async () => {
    ec2Mock.on(DescribeImagesCommand).callsFake(describeImages([], { "ami-src": ["pending"] }));

    const result = await runAmiCopy({ ...OPTIONS, timeoutMs: 30 }, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({
      status: "failed",
      error: { code: "DeadlineExceeded", message: expect.stringMatching(/^ami-src in us-east-1 was still pending at the deadline/), hint: expect.stringMatching(/run the command again later/) },
    });
  });
});

describe("ami copy, when CopyImage's client token answers with a copy that is gone", () => {
  const sourceImage: Image = {
    ImageId: "ami-src",
    State: "available",
    Name: "regionpair-i-0123456789abcdef0-2024-06-01",
    Tags: [
      { Key: "regionpair:role", Value: "source" },
      { Key: "regionpair:source-instance-id", Value: "i-0123456789abcdef0" },
      { Key: "regionpair:capture-id", Value: "2024-06-01" },
    ],
  };
  const copyTags = [
    { Key: "regionpair:role", Value: "copy" },
    { Key: "regionpair:source-instance-id", Value: "i-0123456789abcdef0" },
    { Key: "regionpair:source-image-id", Value: "ami-src" },
  ];

  /**
   * EC2 as documented for idempotent requests: a client token seen before gets the first answer
   * again, whatever became of that image; a new token makes a new copy. `images` is what
   * DescribeImages shows by image id; the tag lookup finds no copy (it was deregistered).
   */
  function ec2WithTokens(remembered: Record<string, string>, images: Record<string, Image | undefined>) {
    let made = 0;
    ec2Mock.on(CopyImageCommand).callsFake(async (input) => {
      if (!(input.ClientToken in remembered)) {
        remembered[input.ClientToken] = `ami-new${++made}`;
        images[remembered[input.ClientToken]] = { ImageId: remembered[input.ClientToken], State: "available" };
      }
      return { ImageId: remembered[input.ClientToken] };
    });
    ec2Mock.on(DescribeImagesCommand).callsFake(async (input: DescribeImagesCommandInput) => {
      if (input.Owners) {
        const role = input.Filters?.find((f) => f.Name === "tag:regionpair:role")?.Values?.[0];
        return { Images: role === "source" ? [sourceImage] : [] };
      }
      const ids = input.Filters?.find((f) => f.Name === "image-id")?.Values ?? [];
      return { Images: ids.map((id) => images[id]).filter(Boolean) };
    });
    return { made: () => made };
  }

  const tokens = () => ec2Mock.commandCalls(CopyImageCommand).map((c) => c.args[0].input.ClientToken);
  const FAST = { ...OPTIONS, timeoutMs: 5_000, copyVisibleWithinMs: 50 };

  test("GIVEN the copy of an earlier run deregistered WHEN run again THEN the stale answer is seen and a new copy starts with the token derived from it", async () => {
    const ec2 = ec2WithTokens({ [copyClientToken("ami-src", "eu-west-1")]: "ami-old" }, { "ami-old": undefined });
    const notes: string[] = [];

    const result = await runAmiCopy(FAST, { clients, progress: { ...SILENT_PROGRESS, note: (line) => notes.push(line) } });

    expect(result.instances[0]).toMatchObject({ status: "copied", copyImageId: "ami-new1", createdCopy: true });
    expect(tokens()).toEqual([copyClientToken("ami-src", "eu-west-1"), copyClientToken("ami-src", "eu-west-1", "ami-old")]);
    expect(ec2.made()).toBe(1);
    expect(notes).toContain("i-0123456789abcdef0: CopyImage answered with ami-old, an earlier copy that never showed up in DescribeImages; starting a new copy");
  });

  test("GIVEN the stale answer still listed as deregistered WHEN run THEN a new copy starts at once", async () => {
    ec2WithTokens({ [copyClientToken("ami-src", "eu-west-1")]: "ami-old" }, { "ami-old": { ImageId: "ami-old", State: "deregistered" } });

    const result = await runAmiCopy({ ...FAST, copyVisibleWithinMs: 60_000 }, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({ status: "copied", copyImageId: "ami-new1" });
    expect(tokens()).toHaveLength(2);
  });

  test("GIVEN the stale answer a failed copy of ours WHEN run THEN it is deregistered and a new copy starts", async () => {
    ec2WithTokens({ [copyClientToken("ami-src", "eu-west-1")]: "ami-old" }, { "ami-old": { ImageId: "ami-old", State: "failed", Tags: copyTags } });

    const result = await runAmiCopy(FAST, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({ status: "copied", copyImageId: "ami-new1" });
    expect(ec2Mock.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input.ImageId)).toEqual(["ami-old"]);
  });

  test("GIVEN a run that started the fresh copy WHEN run again before the copy is found by its tags THEN the chain of tokens leads to the same copy, and no second one is made", async () => {
    const remembered = { [copyClientToken("ami-src", "eu-west-1")]: "ami-old" };
    const images: Record<string, Image | undefined> = { "ami-old": undefined };
    const ec2 = ec2WithTokens(remembered, images);
    await runAmiCopy(FAST, { clients, progress: SILENT_PROGRESS });

    const again = await runAmiCopy(FAST, { clients, progress: SILENT_PROGRESS });

    expect(again.instances[0]).toMatchObject({ status: "copied", copyImageId: "ami-new1" });
    expect(ec2.made()).toBe(1);
  });

  test("GIVEN every answer naming a copy that is gone WHEN run THEN it gives up after three copies with StaleCopyAnswer", async () => {
    ec2Mock.on(CopyImageCommand).callsFake(async (input) => ({ ImageId: `ami-gone-${input.ClientToken.slice(-6)}` }));
    ec2Mock.on(DescribeImagesCommand).callsFake(async (input: DescribeImagesCommandInput) => {
      if (input.Owners) return { Images: input.Filters?.some((f) => f.Values?.includes("source")) ? [sourceImage] : [] };
      return { Images: [] };
    });

    const result = await runAmiCopy(FAST, { clients, progress: SILENT_PROGRESS });

    expect(result.instances[0]).toMatchObject({ status: "failed", error: { code: "StaleCopyAnswer" } });
    expect(tokens()).toHaveLength(3);
  });
});
