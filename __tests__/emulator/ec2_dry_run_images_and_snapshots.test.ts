/**
 * AWS: the AMI and snapshot write calls with DryRun=true are authorized but not performed:
 * DryRunOperation (HTTP 412), no image created, copied or deregistered, no snapshot deleted.
 * (EC2 API Reference: CreateImage, CopyImage, DeregisterImage, DeleteSnapshot, DryRun parameter.)
 *
 * No fix: moto 5.2.1 already answers these calls as AWS documents. This test guards that
 * behaviour, which the image fixes (copy_image_*, create_image_*) wrap.
 */
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { createInstance } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "us-east-1";
const DRY_RUN = { name: "DryRunOperation", $metadata: { httpStatusCode: 412 } };

describe("DryRun on the image and snapshot calls", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let target: EC2Client;
  let instanceId: string;
  let imageId: string;
  let snapshotId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    target = emulator.ec2("us-west-2");
    const fixture = await createInstance(ec2);
    instanceId = fixture.instance.InstanceId!;
    imageId = fixture.imageId;
    const volume = await ec2.send(new CreateVolumeCommand({ Size: 8, AvailabilityZone: `${REGION}a` }));
    snapshotId = (await ec2.send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId }))).SnapshotId!;
  });

  const ownImages = async (client: EC2Client) =>
    ((await client.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images ?? []).map((i) => `${i.ImageId}:${i.State}`).sort();
  const ownSnapshots = async () => ((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }))).Snapshots ?? []).map((s) => s.SnapshotId).sort();

  it("GIVEN an instance WHEN an image of it is created with DryRun THEN AWS answers DryRunOperation and no image is added", async () => {
    const before = await ownImages(ec2);

    await expect(ec2.send(new CreateImageCommand({ DryRun: true, InstanceId: instanceId, Name: "dry-run-capture" }))).rejects.toMatchObject(DRY_RUN);

    expect(await ownImages(ec2)).toEqual(before);
  });

  it("GIVEN an image WHEN it is copied to another Region with DryRun THEN AWS answers DryRunOperation and the target Region gets no image", async () => {
    const before = await ownImages(target);

    await expect(
      target.send(new CopyImageCommand({ DryRun: true, SourceImageId: imageId, SourceRegion: REGION, Name: "dry-run-copy", ClientToken: "dry-run-copy-token" })),
    ).rejects.toMatchObject(DRY_RUN);

    expect(await ownImages(target)).toEqual(before);
  });

  it("GIVEN an image and a snapshot WHEN they are deregistered and deleted with DryRun THEN AWS answers DryRunOperation and both remain", async () => {
    const images = await ownImages(ec2);
    const snapshots = await ownSnapshots();

    await expect(ec2.send(new DeregisterImageCommand({ DryRun: true, ImageId: imageId }))).rejects.toMatchObject(DRY_RUN);
    await expect(ec2.send(new DeleteSnapshotCommand({ DryRun: true, SnapshotId: snapshotId }))).rejects.toMatchObject(DRY_RUN);

    expect(await ownImages(ec2)).toEqual(images);
    expect(await ownSnapshots()).toEqual(snapshots);
    expect(snapshots).toContain(snapshotId);
  });
});
