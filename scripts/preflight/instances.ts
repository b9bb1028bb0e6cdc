/**
 * `preflight --role ami-copy | ena-enable | restore`: the reads made for real, every write sent
 * with DryRun on real resources of the topology (instances tagged regionpair:topology, images
 * tagged by ami copy), and what cannot be asked that way reported as not verified, with why.
 */
import {
  CopyImageCommand,
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  GetEbsDefaultKmsKeyIdCommand,
  Image,
  Instance,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { DescribeInstanceInformationCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { Topology } from "../../config/topology";
import { TAG_TOPOLOGY } from "../../constructs/naming";
import { DRILL_TAG, IMAGE_ROLE_TAG } from "../iam/resource-scopes";
import { PreflightCheck, dryRunCheck, readCheck, unverified } from "./checks";

export interface InstancePreflightClients {
  readonly ec2: (region: string) => EC2Client;
  readonly ssm: (region: string) => SSMClient;
}

const newest = (images: readonly Image[]) => [...images].sort((a, b) => (b.CreationDate ?? "").localeCompare(a.CreationDate ?? ""))[0];
const oldest = (images: readonly Image[]) => [...images].sort((a, b) => (a.CreationDate ?? "").localeCompare(b.CreationDate ?? ""))[0];

async function topologyInstances(checks: PreflightCheck[], ec2: EC2Client, topology: Topology, region: string, extra: { Name: string; Values: string[] }[] = []): Promise<Instance[]> {
  const { check, answer } = await readCheck("ec2:DescribeInstances", region, `tag ${TAG_TOPOLOGY}=${topology.name}`, () =>
    ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] }, { Name: "instance-state-name", Values: ["running", "stopped"] }, ...extra] })),
  );
  checks.push(check);
  return (answer?.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

async function regionpairImages(checks: PreflightCheck[], ec2: EC2Client, region: string, role: "source" | "copy"): Promise<Image[]> {
  const { check, answer } = await readCheck("ec2:DescribeImages", region, `tag ${IMAGE_ROLE_TAG}=${role}`, () =>
    ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: `tag:${IMAGE_ROLE_TAG}`, Values: [role] }] })),
  );
  checks.push(check);
  return answer?.Images ?? [];
}

const roleTags = (value: string) => [{ Key: IMAGE_ROLE_TAG, Value: value }];

/** ami copy from `source` to `target`: CreateImage, CopyImage, CreateTags, DeregisterImage, DeleteSnapshot. */
export async function preflightAmiCopy(topology: Topology, source: string, target: string, clients: InstancePreflightClients): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  const from = clients.ec2(source);
  const to = clients.ec2(target);
  const [instance] = await topologyInstances(checks, from, topology, source);
  const sources = await regionpairImages(checks, from, source, "source");
  const copies = await regionpairImages(checks, to, target, "copy");
  if (instance?.InstanceId) {
    const capture = (withTags: boolean) => (DryRun: true) =>
      from.send(
        new CreateImageCommand({
          DryRun,
          InstanceId: instance.InstanceId,
          Name: `regionpair-preflight-${instance.InstanceId}`,
          ...(withTags ? { TagSpecifications: [{ ResourceType: "image", Tags: roleTags("source") }, { ResourceType: "snapshot", Tags: roleTags("source") }] } : {}),
        }),
      );
    const created = await dryRunCheck("ec2:CreateImage", source, instance.InstanceId, capture(true), "with the image and snapshot tags ami copy sets");
    checks.push(created);
    checks.push({ ...created, action: "ec2:CreateTags", note: "tagging on creation: authorized in the same CreateImage DryRun (TagSpecifications)" });
  } else {
    checks.push(unverified("ec2:CreateImage", source, `no running or stopped instance tagged ${TAG_TOPOLOGY}=${topology.name} to try it on`));
  }
  const sample = newest(sources);
  checks.push(
    await dryRunCheck(
      "ec2:CopyImage",
      target,
      sample?.ImageId ?? "no source image yet",
      (DryRun) =>
        to.send(
          new CopyImageCommand({
            DryRun,
            SourceImageId: sample?.ImageId ?? "ami-00000000000000000",
            SourceRegion: source,
            Name: "regionpair-preflight",
            Encrypted: true,
            TagSpecifications: [{ ResourceType: "image", Tags: roleTags("copy") }, { ResourceType: "snapshot", Tags: roleTags("copy") }],
          }),
        ),
      "encrypted, with the tags ami copy sets",
    ),
  );
  checks.push(await dryRunCheck("ec2:GetEbsDefaultKmsKeyId", target, undefined, (DryRun) => to.send(new GetEbsDefaultKmsKeyIdCommand({ DryRun }))));
  for (const [region, client, images] of [
    [source, from, sources],
    [target, to, copies],
  ] as const) {
    const candidate = oldest(images);
    if (!candidate?.ImageId) {
      checks.push(unverified("ec2:DeregisterImage", region, "no regionpair image there yet"), unverified("ec2:DeleteSnapshot", region, "no regionpair image there yet"));
      continue;
    }
    checks.push(await dryRunCheck("ec2:DeregisterImage", region, candidate.ImageId, (DryRun) => client.send(new DeregisterImageCommand({ DryRun, ImageId: candidate.ImageId }))));
    const snapshotId = candidate.BlockDeviceMappings?.find((m) => m.Ebs?.SnapshotId)?.Ebs?.SnapshotId;
    checks.push(
      snapshotId
        ? await dryRunCheck("ec2:DeleteSnapshot", region, snapshotId, (DryRun) => client.send(new DeleteSnapshotCommand({ DryRun, SnapshotId: snapshotId })))
        : unverified("ec2:DeleteSnapshot", region, `${candidate.ImageId} has no EBS snapshot`),
    );
  }
  return checks;
}

/** ena enable in `region`: StopInstances, ModifyInstanceAttribute, StartInstances on an instance of the topology. */
export async function preflightEnaEnable(topology: Topology, region: string, clients: InstancePreflightClients): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  const ec2 = clients.ec2(region);
  const [instance] = await topologyInstances(checks, ec2, topology, region);
  const id = instance?.InstanceId;
  if (!id) {
    for (const action of ["ec2:StopInstances", "ec2:ModifyInstanceAttribute", "ec2:StartInstances"] as const) {
      checks.push(unverified(action, region, `no running or stopped instance tagged ${TAG_TOPOLOGY}=${topology.name} to try it on`));
    }
    return checks;
  }
  const type = instance.InstanceType ?? "m5.large";
  checks.push((await readCheck("ec2:DescribeInstanceTypes", region, type, () => ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [type as never] })))).check);
  checks.push(
    (
      await readCheck("ec2:DescribeInstanceTypeOfferings", region, type, () =>
        ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: "availability-zone", Filters: [{ Name: "instance-type", Values: [type] }] })),
      )
    ).check,
  );
  checks.push((await readCheck("ec2:DescribeInstanceStatus", region, id, () => ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id], IncludeAllInstances: true })))).check);
  checks.push(await dryRunCheck("ec2:StopInstances", region, id, (DryRun) => ec2.send(new StopInstancesCommand({ DryRun, InstanceIds: [id] }))));
  checks.push(await dryRunCheck("ec2:ModifyInstanceAttribute", region, `${id} EnaSupport`, (DryRun) => ec2.send(new ModifyInstanceAttributeCommand({ DryRun, InstanceId: id, EnaSupport: { Value: true } }))));
  checks.push(await dryRunCheck("ec2:StartInstances", region, id, (DryRun) => ec2.send(new StartInstancesCommand({ DryRun, InstanceIds: [id] }))));
  return checks;
}

/** restore in the DR `region`: RunInstances (with its tags) from the newest copy, TerminateInstances of a drill; SendCommand cannot be asked. */
export async function preflightRestore(topology: Topology, region: string, clients: InstancePreflightClients): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  const ec2 = clients.ec2(region);
  const copy = newest(await regionpairImages(checks, ec2, region, "copy"));
  const subnets = await readCheck("ec2:DescribeSubnets", region, `tag ${TAG_TOPOLOGY}=${topology.name}`, () =>
    ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] }] })),
  );
  checks.push(subnets.check);
  checks.push((await readCheck("ec2:DescribeSecurityGroups", region, undefined, () => ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5 })))).check);
  checks.push((await readCheck("ec2:DescribeInstanceStatus", region, undefined, () => ec2.send(new DescribeInstanceStatusCommand({ MaxResults: 5 })))).check);
  const type = copy?.Tags?.find((t) => t.Key === "regionpair:instance-type")?.Value ?? "m5.large";
  checks.push((await readCheck("ec2:DescribeInstanceTypes", region, type, () => ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [type as never] })))).check);
  const workloadSubnet = (subnets.answer?.Subnets ?? []).find((s) => s.Tags?.some((t) => t.Key === "regionpair:vpc" && t.Value === "workload")) ?? subnets.answer?.Subnets?.[0];
  if (copy?.ImageId && workloadSubnet?.SubnetId) {
    const launched = await dryRunCheck(
      "ec2:RunInstances",
      region,
      `${copy.ImageId} into ${workloadSubnet.SubnetId}`,
      (DryRun) =>
        ec2.send(
          new RunInstancesCommand({
            DryRun,
            ImageId: copy.ImageId,
            SubnetId: workloadSubnet.SubnetId,
            InstanceType: type as never,
            MinCount: 1,
            MaxCount: 1,
            TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: DRILL_TAG, Value: "preflight" }] }],
          }),
        ),
      "from the newest DR copy, with a drill tag",
    );
    checks.push(launched, { ...launched, action: "ec2:CreateTags", note: "tagging on launch: authorized in the same RunInstances DryRun (TagSpecifications)" });
  } else {
    checks.push(unverified("ec2:RunInstances", region, copy?.ImageId ? "no subnet of the topology found" : "no DR copy (tag regionpair:role=copy) there yet"));
  }
  const drills = await readCheck("ec2:DescribeInstances", region, `tag ${DRILL_TAG}`, () =>
    ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag-key", Values: [DRILL_TAG] }, { Name: "instance-state-name", Values: ["running", "stopped"] }] })),
  );
  checks.push(drills.check);
  const drill = (drills.answer?.Reservations ?? []).flatMap((r) => r.Instances ?? [])[0]?.InstanceId;
  checks.push(
    drill
      ? await dryRunCheck("ec2:TerminateInstances", region, drill, (DryRun) => ec2.send(new TerminateInstancesCommand({ DryRun, InstanceIds: [drill] })))
      : unverified("ec2:TerminateInstances", region, `no drill instance (tag ${DRILL_TAG}) to try it on`),
  );
  checks.push((await readCheck("ssm:DescribeInstanceInformation", region, undefined, () => clients.ssm(region).send(new DescribeInstanceInformationCommand({ MaxResults: 5 })))).check);
  checks.push(
    unverified("ssm:SendCommand", region, "Systems Manager has no DryRun: checked only when restore runs the post-restore document (its policy allows the topology's documents)"),
    unverified("ssm:GetCommandInvocation", region, "needs a command to ask about"),
    unverified("iam:PassRole", region, "checked by RunInstances only when the copy records an instance profile"),
  );
  return checks;
}
