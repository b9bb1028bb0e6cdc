/**
 * AWS: a started instance's system and instance status checks are "initializing" first and
 * "ok" later (REGIONPAIR_EMULATOR_INSTANCE_STATUS_INITIALIZING_SECONDS in the emulator, default
 * 1 s); instances that are not running are listed only with IncludeAllInstances, as
 * "not-applicable"; the status filters select on these values. (EC2 API Reference:
 * DescribeInstanceStatus, InstanceStatusSummary; EC2 User Guide: "Status checks for Amazon EC2
 * instances".)
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  DescribeInstanceStatusCommand,
  DescribeInstanceStatusCommandInput,
  EC2Client,
  InstanceStatus,
  StartInstancesCommand,
  StopInstancesCommand,
  waitUntilInstanceStatusOk,
} from "@aws-sdk/client-ec2";
import { createInstance, launchInstances } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-south-1";
const INITIALIZING_MS = 1_000;

describe("instance status checks", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;

  beforeAll(() => {
    ec2 = emulator.ec2(REGION);
  });

  const statuses = async (input: DescribeInstanceStatusCommandInput): Promise<InstanceStatus[]> =>
    (await ec2.send(new DescribeInstanceStatusCommand(input))).InstanceStatuses ?? [];
  const checks = (status: InstanceStatus | undefined) => ({
    system: status?.SystemStatus?.Status,
    instance: status?.InstanceStatus?.Status,
    reachability: [...(status?.SystemStatus?.Details ?? []), ...(status?.InstanceStatus?.Details ?? [])].map((d) => d.Status),
  });

  it("GIVEN a newly launched instance WHEN its status is described THEN both checks are initializing, and ok once they have run", async () => {
    const { instance } = await createInstance(ec2);
    const InstanceIds = [instance.InstanceId!];

    expect(checks((await statuses({ InstanceIds }))[0])).toEqual({ system: "initializing", instance: "initializing", reachability: ["initializing", "initializing"] });

    await sleep(INITIALIZING_MS + 200);
    expect(checks((await statuses({ InstanceIds }))[0])).toEqual({ system: "ok", instance: "ok", reachability: ["passed", "passed"] });
  });

  it("GIVEN a stopped instance WHEN statuses are described THEN it is left out unless IncludeAllInstances, which shows it not-applicable", async () => {
    const { instance } = await createInstance(ec2);
    const InstanceIds = [instance.InstanceId!];
    await ec2.send(new StopInstancesCommand({ InstanceIds }));

    expect(await statuses({ InstanceIds })).toEqual([]);
    expect((await statuses({})).map((s) => s.InstanceId)).not.toContain(instance.InstanceId);
    const [all] = await statuses({ InstanceIds, IncludeAllInstances: true });
    expect(all.InstanceState?.Name).toBe("stopped");
    expect(checks(all)).toMatchObject({ system: "not-applicable", instance: "not-applicable" });
  });

  it("GIVEN a stopped instance WHEN it is started THEN its checks initialize again and the SDK's instanceStatusOk waiter then succeeds", async () => {
    const { instance } = await createInstance(ec2);
    const InstanceIds = [instance.InstanceId!];
    await ec2.send(new StopInstancesCommand({ InstanceIds }));
    await sleep(INITIALIZING_MS + 200);

    await ec2.send(new StartInstancesCommand({ InstanceIds }));

    expect(checks((await statuses({ InstanceIds }))[0])).toMatchObject({ system: "initializing", instance: "initializing" });
    const outcome = await waitUntilInstanceStatusOk({ client: ec2, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { InstanceIds });
    expect(outcome.state).toBe("SUCCESS");
  });

  it("GIVEN one initializing and one checked instance WHEN statuses are filtered by instance-status.status or system-status.reachability THEN each filter selects the matching one", async () => {
    const { instance: older, imageId, network } = await createInstance(ec2);
    await sleep(INITIALIZING_MS + 200);
    const [newer] = await launchInstances(ec2, { imageId, subnetId: network.subnetId, instanceType: "m4.large" });
    const InstanceIds = [older.InstanceId!, newer.InstanceId!];

    const ids = async (name: string, value: string) => (await statuses({ InstanceIds, Filters: [{ Name: name, Values: [value] }] })).map((s) => s.InstanceId);
    expect(await ids("instance-status.status", "initializing")).toEqual([newer.InstanceId]);
    expect(await ids("instance-status.status", "ok")).toEqual([older.InstanceId]);
    expect(await ids("system-status.reachability", "passed")).toEqual([older.InstanceId]);
    expect(await ids("system-status.reachability", "initializing")).toEqual([newer.InstanceId]);
  });
});
