/**
 * `regionpair ami copy` end to end: the real CLI in a child process against the patched emulator
 * over HTTP, then the images read back with the SDK in both Regions. The command signs as the
 * ami-copy role, holding only its generated policy, with IAM enforced (REGIONPAIR_E2E_IAM=off:
 * as the root user, unenforced); fixtures and read-backs are the root user's.
 */
import { spawn } from "node:child_process";
import {
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  GetEbsDefaultKmsKeyIdCommand,
  Image,
  Instance,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { EMULATOR_CLI_ENV, runCli } from "../support/cli";
import { createNetwork, launchInstances, registerAmi, WINDOWS_CATALOG_AMI } from "../support/ec2-fixtures";
import { useRoleCredentials } from "../support/role-credentials";
import { topologyIn } from "../support/topologies";
import { TAG_TOPOLOGY } from "../../constructs/naming";

// Each test runs the CLI (about a second to start) and waits for images or instances.
jest.setTimeout(60_000);

const SOURCE = "us-east-1";
const TARGET = "eu-west-1";
// The pair the role's policy is generated for: its regions, and the tag its instances carry.
const topology = topologyIn(SOURCE, TARGET);
const ofTopology = { Key: TAG_TOPOLOGY, Value: topology.name };

interface CopyResultJson {
  readonly kmsKeyId: string;
  readonly instances: ReadonlyArray<{
    instanceId: string;
    status: string;
    sourceImageId?: string;
    copyImageId?: string;
    createdSourceImage: boolean;
    createdCopy: boolean;
  }>;
  readonly removed: ReadonlyArray<{ imageId: string; region: string; deletedSnapshotIds: string[] }>;
  readonly stats: { peakInstancesInProgress: number };
}

const tagsOf = (image: Image) => Object.fromEntries((image.Tags ?? []).map((t) => [t.Key, t.Value]));

describe("ami copy against the emulator", () => {
  const emulator = useEmulator();
  const role = useRoleCredentials(emulator, "ami-copy", topology);
  let source: EC2Client;
  let target: EC2Client;
  let web: Instance;
  let windows: Instance[];

  const copy = (...args: string[]) =>
    runCli(["ami", "copy", "--region", SOURCE, "--target-region", TARGET, "--endpoint-url", emulator.current.endpoint, "--poll-interval", "0.2", ...args], { env: role.env });

  const imagesIn = async (client: EC2Client, instanceId: string) =>
    (
      await client.send(
        new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "tag:regionpair:source-instance-id", Values: [instanceId] }] }),
      )
    ).Images ?? [];

  beforeAll(async () => {
    source = emulator.ec2(SOURCE);
    target = emulator.ec2(TARGET);
    const { subnetId } = await createNetwork(source);
    [web] = await launchInstances(source, {
      imageId: await registerAmi(source, true),
      subnetId,
      instanceType: "m5.large",
      tags: [{ Key: "Name", Value: "web-1" }, ofTopology],
    });
    windows = await launchInstances(source, {
      imageId: WINDOWS_CATALOG_AMI,
      subnetId,
      instanceType: "m4.large",
      count: 3,
      tags: [
        { Key: "Name", Value: "dc" },
        { Key: "dr:protect", Value: "true" },
        ofTopology,
      ],
    });
    await launchInstances(source, { imageId: WINDOWS_CATALOG_AMI, subnetId, instanceType: "m4.large", tags: [{ Key: "dr:protect", Value: "false" }, ofTopology] });
  });

  test("GIVEN the ami-copy role WHEN it asks to stop an instance (no call of ami copy) THEN it is refused while IAM is enforced", async () => {
    const asRole = new EC2Client({ region: SOURCE, endpoint: emulator.current.endpoint, credentials: role.keys, maxAttempts: 1 });
    try {
      const answer = await asRole.send(new StopInstancesCommand({ DryRun: true, InstanceIds: [web.InstanceId!] })).catch((error: Error) => error.name);
      expect(answer).toBe(role.enforced ? "UnauthorizedOperation" : "DryRunOperation");
    } finally {
      asRole.destroy();
    }
  });

  test("copies one instance to the target Region, encrypted with the default EBS key, with the inventory in its tags", async () => {
    // WHEN
    const run = await copy("--instance-id", web.InstanceId!, "--capture-id", "day-1", "--json");

    // THEN the command succeeded and says what it made
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CopyResultJson;
    expect(result.instances).toEqual([expect.objectContaining({ instanceId: web.InstanceId, status: "copied", createdSourceImage: true, createdCopy: true })]);

    // AND the copy is in the target Region, available, encrypted with the Region's default key
    const [copyImage] = await imagesIn(target, web.InstanceId!);
    expect(copyImage.ImageId).toBe(result.instances[0].copyImageId);
    expect(copyImage.State).toBe("available");
    expect(copyImage.EnaSupport).toBe(true);
    expect(copyImage.BlockDeviceMappings?.[0]?.Ebs?.Encrypted).toBe(true);
    const snapshotId = copyImage.BlockDeviceMappings![0].Ebs!.SnapshotId!;
    const snapshot = (await target.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots![0];
    expect(snapshot.KmsKeyId).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
    const { KmsKeyId: defaultKey } = await target.send(new GetEbsDefaultKmsKeyIdCommand({}));
    expect(result.kmsKeyId).toBe(defaultKey);

    // AND it carries the inventory a restore needs, and points at its source image
    expect(tagsOf(copyImage)).toMatchObject({
      "regionpair:role": "copy",
      "regionpair:capture-id": "day-1",
      "regionpair:source-region": SOURCE,
      "regionpair:source-image-id": result.instances[0].sourceImageId,
      "regionpair:source-instance-id": web.InstanceId,
      "regionpair:instance-name": "web-1",
      "regionpair:private-ip": web.PrivateIpAddress,
      "regionpair:private-ips": web.PrivateIpAddress,
      "regionpair:subnet-id": web.SubnetId,
      "regionpair:instance-type": "m5.large",
      "regionpair:platform": "Linux/UNIX",
      "regionpair:ena-support": "true",
      "regionpair:consistency": "rebooted",
    });
    expect(Date.parse(tagsOf(copyImage)["regionpair:captured-at"]!)).not.toBeNaN();

    // AND the source image stays in the source Region with the same inventory
    const [sourceImage] = await imagesIn(source, web.InstanceId!);
    expect(sourceImage.ImageId).toBe(result.instances[0].sourceImageId);
    expect(tagsOf(sourceImage)).toMatchObject({ "regionpair:role": "source", "regionpair:private-ip": web.PrivateIpAddress });
  });

  test("a rerun of the same capture creates nothing new", async () => {
    const before = [(await imagesIn(source, web.InstanceId!)).length, (await imagesIn(target, web.InstanceId!)).length];

    const run = await copy("--instance-id", web.InstanceId!, "--capture-id", "day-1", "--json");

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CopyResultJson;
    expect(result.instances[0]).toMatchObject({ status: "copied", createdSourceImage: false, createdCopy: false });
    expect([(await imagesIn(source, web.InstanceId!)).length, (await imagesIn(target, web.InstanceId!)).length]).toEqual(before);
  });

  test("copies several instances selected by tag, at most --concurrency at a time", async () => {
    const run = await copy("--tag", "dr:protect=true", "--capture-id", "day-1", "--concurrency", "2", "--json");

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CopyResultJson;
    expect(result.instances.map((i) => i.instanceId).sort()).toEqual(windows.map((i) => i.InstanceId).sort());
    expect(result.instances.every((i) => i.status === "copied")).toBe(true);
    expect(result.stats.peakInstancesInProgress).toBe(2);
    for (const instance of windows) {
      const [copyImage] = await imagesIn(target, instance.InstanceId!);
      expect(tagsOf(copyImage)).toMatchObject({ "regionpair:platform": "Windows", "regionpair:ena-support": "false", "regionpair:instance-type": "m4.large" });
    }
  });

  test("--keep 1 removes the older capture and its snapshots in both Regions and keeps the newest", async () => {
    // GIVEN day-1 exists for web-1 (first test); WHEN day-2 is captured with --keep 1
    const oldSource = (await imagesIn(source, web.InstanceId!))[0];
    const oldCopy = (await imagesIn(target, web.InstanceId!))[0];
    const run = await copy("--instance-id", web.InstanceId!, "--capture-id", "day-2", "--keep", "1", "--json");

    // THEN only day-2 is left in each Region
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CopyResultJson;
    expect(result.removed.map((r) => `${r.region}:${r.imageId}`).sort()).toEqual([`${SOURCE}:${oldSource.ImageId}`, `${TARGET}:${oldCopy.ImageId}`].sort());
    const left = [...(await imagesIn(source, web.InstanceId!)), ...(await imagesIn(target, web.InstanceId!))];
    expect(left.map((i) => tagsOf(i)["regionpair:capture-id"])).toEqual(["day-2", "day-2"]);
    // AND the old images' snapshots are gone
    const oldSnapshot = oldCopy.BlockDeviceMappings![0].Ebs!.SnapshotId!;
    await expect(target.send(new DescribeSnapshotsCommand({ SnapshotIds: [oldSnapshot] }))).rejects.toMatchObject({ name: "InvalidSnapshot.NotFound" });
  });

  test("a run interrupted while imaging is continued by the next run, which waits for the image it finds", async () => {
    // GIVEN a run that is interrupted (SIGINT) as soon as it has asked for the source image
    const instanceId = windows[0].InstanceId!;
    const interrupted = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          require.resolve("tsx/cli"),
          "scripts/regionpair.ts",
          "ami",
          "copy",
          ...["--region", SOURCE, "--target-region", TARGET, "--endpoint-url", emulator.current.endpoint],
          ...["--instance-id", instanceId, "--capture-id", "day-3", "--poll-interval", "0.2"],
        ],
        { env: { ...process.env, ...EMULATOR_CLI_ENV, ...role.env }, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        if (/imaging ami-/.test(stderr)) child.kill("SIGINT");
      });
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(interrupted.code).toBe(1);
    expect(interrupted.stderr).toMatch(/error: Interrupted: stopped by a signal; images already requested keep going in AWS\n  check: run the same command again/);

    // WHEN the same command runs again
    const run = await copy("--instance-id", instanceId, "--capture-id", "day-3", "--json");

    // THEN it continues with the image the first run asked for: one source image for day-3
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CopyResultJson;
    expect(result.instances[0]).toMatchObject({ status: "copied", createdSourceImage: false, createdCopy: true });
    const day3 = (await imagesIn(source, instanceId)).filter((i) => tagsOf(i)["regionpair:capture-id"] === "day-3");
    expect(day3.map((i) => i.ImageId)).toEqual([result.instances[0].sourceImageId]);
  });

  test("--dry-run checks every permission, reports them allowed and changes nothing", async () => {
    const before = (await imagesIn(source, web.InstanceId!)).length + (await imagesIn(target, web.InstanceId!)).length;

    const run = await copy("--instance-id", web.InstanceId!, "--capture-id", "day-9", "--keep", "1", "--dry-run");

    expect(run.code).toBe(0);
    for (const permission of ["ec2:CreateImage", "ec2:CopyImage", "ec2:GetEbsDefaultKmsKeyId", "ec2:DeregisterImage", "ec2:DeleteSnapshot"]) {
      expect(run.stdout).toMatch(new RegExp(`${permission}\\s+\\S+\\s+allowed`));
    }
    expect((await imagesIn(source, web.InstanceId!)).length + (await imagesIn(target, web.InstanceId!)).length).toBe(before);
  });

  test("an instance that does not exist is an AWS error: exit 1 with the code and what to check", async () => {
    const run = await copy("--instance-id", "i-0123456789abcdef0");

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: InvalidInstanceID\.NotFound: DescribeInstances in us-east-1 failed/);
    expect(run.stderr).toMatch(/check: the instance ids, and that they are in us-east-1/);
  });

  test("no instance matching the tag is a usage error: exit 2, one line", async () => {
    const run = await copy("--tag", "dr:protect=maybe");

    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual(["regionpair: no instance in us-east-1 matches tag dr:protect=maybe (see --help)"]);
  });
});
