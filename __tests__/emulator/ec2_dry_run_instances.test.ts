/**
 * AWS: the instance write calls with DryRun=true are authorized but not performed:
 * DryRunOperation (HTTP 412), no instance launched, stopped, started, changed or terminated.
 * (EC2 API Reference: RunInstances, StopInstances, StartInstances, ModifyInstanceAttribute,
 * TerminateInstances, DryRun parameter.)
 *
 * No fix: moto 5.2.1 already answers these calls as AWS documents. This test guards that
 * behaviour, which the instance fixes (ena_*, run_instances_*) wrap.
 */
import {
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createInstance, InstanceFixture, launchInstances } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "us-east-1";
const DRY_RUN = { name: "DryRunOperation", $metadata: { httpStatusCode: 412 } };

describe("DryRun on the instance calls", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let running: InstanceFixture;
  let stoppedId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    running = await createInstance(ec2);
    const [stopped] = await launchInstances(ec2, { imageId: running.imageId, subnetId: running.network.subnetId, instanceType: "m4.large" });
    stoppedId = stopped.InstanceId!;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stoppedId] }));
  });

  /** Every instance as id -> state, type and enaSupport. */
  const instances = async () => {
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({}));
    return Object.fromEntries(
      (Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId, { state: i.State?.Name, type: i.InstanceType, ena: i.EnaSupport ?? false }]),
    );
  };

  it("GIVEN two instances WHEN one more is launched with DryRun THEN AWS answers DryRunOperation and there are still two", async () => {
    const before = await instances();

    await expect(
      ec2.send(new RunInstancesCommand({ DryRun: true, ImageId: running.imageId, InstanceType: "m4.large", SubnetId: running.network.subnetId, MinCount: 1, MaxCount: 1 })),
    ).rejects.toMatchObject(DRY_RUN);

    expect(await instances()).toEqual(before);
    expect(Object.keys(before)).toHaveLength(2);
  });

  it("GIVEN a running and a stopped instance WHEN they are stopped, started and terminated with DryRun THEN AWS answers DryRunOperation each time and no state changes", async () => {
    const before = await instances();
    const runningId = running.instance.InstanceId!;

    await expect(ec2.send(new StopInstancesCommand({ DryRun: true, InstanceIds: [runningId] }))).rejects.toMatchObject(DRY_RUN);
    await expect(ec2.send(new StartInstancesCommand({ DryRun: true, InstanceIds: [stoppedId] }))).rejects.toMatchObject(DRY_RUN);
    await expect(ec2.send(new TerminateInstancesCommand({ DryRun: true, InstanceIds: [runningId, stoppedId] }))).rejects.toMatchObject(DRY_RUN);

    expect(await instances()).toEqual(before);
    expect(before[runningId].state).toBe("running");
    expect(before[stoppedId].state).toBe("stopped");
  });

  it("GIVEN a stopped instance WHEN its enaSupport and instance type are modified with DryRun THEN AWS answers DryRunOperation and both keep their values", async () => {
    const before = await instances();

    await expect(ec2.send(new ModifyInstanceAttributeCommand({ DryRun: true, InstanceId: stoppedId, EnaSupport: { Value: true } }))).rejects.toMatchObject(DRY_RUN);
    await expect(ec2.send(new ModifyInstanceAttributeCommand({ DryRun: true, InstanceId: stoppedId, InstanceType: { Value: "m5.large" } }))).rejects.toMatchObject(DRY_RUN);

    expect(await instances()).toEqual(before);
    expect(before[stoppedId]).toMatchObject({ type: "m4.large", ena: false });
  });
});
