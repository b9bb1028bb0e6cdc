/**
 * ena enable with EC2 mocked, for failures the emulator cannot produce: no capacity for the new
 * type (the instance is put back and started), a stop that outlasts --timeout, a dry run whose
 * role lacks a permission, a stale ENA read right after the change, and status checks that stay
 * initializing or fail (a missing ENA driver).
 */
import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstanceStatusCommandOutput,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  EC2ServiceException,
  Instance,
  ModifyInstanceAttributeCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { dryRunEnaEnable, EnaEnableOptions, runEnaEnable } from "../../../../scripts/ena/enable-ena";
import { Ec2Clients } from "../../../../scripts/lib/aws";
import { SILENT_PROGRESS } from "../../../../scripts/lib/progress";

const ec2Mock = mockClient(EC2Client);
const OPTIONS: EnaEnableOptions = { region: "us-east-1", instanceId: "i-0123456789abcdef0", instanceType: "m5.large", allowStop: true, timeoutSeconds: 5, pollIntervalSeconds: 0.01 };

const statuses = (system: string, instance: string, failedCheck?: string): DescribeInstanceStatusCommandOutput => ({
  $metadata: {},
  InstanceStatuses: [
    {
      InstanceId: OPTIONS.instanceId,
      SystemStatus: { Status: system as never, Details: [{ Name: "reachability", Status: "passed" }] },
      InstanceStatus: { Status: instance as never, Details: [{ Name: (failedCheck ?? "reachability") as never, Status: failedCheck ? "failed" : instance === "ok" ? "passed" : "initializing" }] },
    },
  ],
});

/**
 * A fake instance whose state follows the calls made to it. `staleEnaReads` DescribeInstances
 * answers after the ENA change still show the old value, as an eventually consistent read may.
 */
function simulateInstance(overrides: Partial<Instance> = {}, staleEnaReads = 0) {
  const instance: Instance = {
    InstanceId: OPTIONS.instanceId,
    InstanceType: "m4.large",
    EnaSupport: false,
    Architecture: "x86_64",
    Placement: { AvailabilityZone: "us-east-1a" },
    State: { Name: "running" },
    ...overrides,
  };
  let staleLeft = 0;
  ec2Mock.on(DescribeInstancesCommand).callsFake(async () => {
    const seen = staleLeft > 0 ? { ...instance, EnaSupport: !instance.EnaSupport } : { ...instance };
    staleLeft = Math.max(0, staleLeft - 1);
    return { Reservations: [{ Instances: [seen] }] };
  });
  ec2Mock.on(DescribeInstanceTypesCommand).resolves({
    InstanceTypes: [{ InstanceType: "m5.large", NetworkInfo: { EnaSupport: "required" }, EbsInfo: { NvmeSupport: "required" }, ProcessorInfo: { SupportedArchitectures: ["x86_64"] } }],
  });
  ec2Mock.on(DescribeInstanceTypeOfferingsCommand).resolves({ InstanceTypeOfferings: [{ InstanceType: "m5.large" }] });
  ec2Mock.on(StopInstancesCommand).callsFake(async () => {
    instance.State = { Name: "stopped" };
    return {};
  });
  ec2Mock.on(StartInstancesCommand).callsFake(async () => {
    instance.State = { Name: "running" };
    return {};
  });
  ec2Mock.on(DescribeInstanceStatusCommand).resolves(statuses("ok", "ok"));
  ec2Mock.on(ModifyInstanceAttributeCommand).callsFake(async (input) => {
    if (input.EnaSupport) {
      instance.EnaSupport = input.EnaSupport.Value;
      staleLeft = staleEnaReads;
    }
    if (input.InstanceType) instance.InstanceType = input.InstanceType.Value as never;
    return {};
  });
  return instance;
}

let clients: Ec2Clients;
beforeEach(() => {
  ec2Mock.reset();
  clients = new Ec2Clients();
});
afterEach(() => clients.destroy());

test("GIVEN no capacity for the new type WHEN starting THEN the instance goes back to its old type and ENA setting and is started again", async () => {
  const instance = simulateInstance();
  ec2Mock.on(StartInstancesCommand).callsFake(async () => {
    if (instance.InstanceType === "m5.large") {
      throw new EC2ServiceException({ name: "InsufficientInstanceCapacity", $fault: "server", $metadata: { httpStatusCode: 500 }, message: "We currently do not have sufficient m5.large capacity." });
    }
    instance.State = { Name: "running" };
    return {};
  });

  const error = await runEnaEnable(OPTIONS, { clients, progress: SILENT_PROGRESS }).catch((e: unknown) => e);

  expect(error).toMatchObject({
    code: "InsufficientInstanceCapacity",
    message: expect.stringMatching(/sufficient m5\.large capacity\.; i-0123456789abcdef0 was restored to m4\.large with ENA support off and started again$/),
  });
  expect(instance).toMatchObject({ InstanceType: "m4.large", EnaSupport: false, State: { Name: "running" } });
  expect(ec2Mock.commandCalls(ModifyInstanceAttributeCommand).map((c) => c.args[0].input)).toEqual([
    { InstanceId: OPTIONS.instanceId, EnaSupport: { Value: true } },
    { InstanceId: OPTIONS.instanceId, InstanceType: { Value: "m5.large" } },
    { InstanceId: OPTIONS.instanceId, InstanceType: { Value: "m4.large" } },
    { InstanceId: OPTIONS.instanceId, EnaSupport: { Value: false } },
  ]);
});

test("GIVEN an instance still stopping at --timeout WHEN enabling THEN it fails before anything is changed", async () => {
  simulateInstance();
  ec2Mock.on(StopInstancesCommand).resolves({});
  ec2Mock.on(DescribeInstancesCommand).resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: OPTIONS.instanceId, InstanceType: "m4.large", State: { Name: "running" }, Placement: { AvailabilityZone: "us-east-1a" } }] }] }).resolves({
    Reservations: [{ Instances: [{ InstanceId: OPTIONS.instanceId, InstanceType: "m4.large", State: { Name: "stopping" } }] }],
  });

  const error = await runEnaEnable({ ...OPTIONS, timeoutSeconds: 0.3, pollIntervalSeconds: 0.05 }, { clients, progress: SILENT_PROGRESS }).catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "DeadlineExceeded", message: "i-0123456789abcdef0 was not stopped within 0.3 s" });
  expect(ec2Mock.commandCalls(ModifyInstanceAttributeCommand)).toHaveLength(0);
});

test("GIVEN ModifyInstanceAttribute answering UnauthorizedOperation WHEN dry running THEN ec2:ModifyInstanceAttribute is reported missing and nothing is stopped", async () => {
  simulateInstance();
  const dryRunAnswer = (name: string) => new EC2ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: 412 }, message: name });
  ec2Mock.on(StopInstancesCommand).rejects(dryRunAnswer("DryRunOperation"));
  ec2Mock.on(StartInstancesCommand).rejects(dryRunAnswer("DryRunOperation"));
  ec2Mock.on(ModifyInstanceAttributeCommand).rejects(dryRunAnswer("UnauthorizedOperation"));

  const result = await dryRunEnaEnable({ ...OPTIONS, allowStop: false }, { clients, progress: SILENT_PROGRESS });

  expect(result.checks.map((c) => [c.permission, c.target, c.verdict])).toEqual([
    ["ec2:StopInstances", "i-0123456789abcdef0 stop", "allowed"],
    ["ec2:ModifyInstanceAttribute", "i-0123456789abcdef0 EnaSupport", "missing"],
    ["ec2:ModifyInstanceAttribute", "i-0123456789abcdef0 InstanceType", "missing"],
    ["ec2:StartInstances", "i-0123456789abcdef0 start", "allowed"],
  ]);
  for (const call of ec2Mock.commandCalls(StopInstancesCommand)) expect(call.args[0].input.DryRun).toBe(true);
});

describe("reading the change back, and the status checks after the start", () => {
  const modifications = () => ec2Mock.commandCalls(ModifyInstanceAttributeCommand).map((c) => c.args[0].input);

  test("GIVEN DescribeInstances still shows ENA off right after the change WHEN enabling THEN it waits for the read to catch up: no false failure, no restore", async () => {
    simulateInstance({}, 2);

    const result = await runEnaEnable(OPTIONS, { clients, progress: SILENT_PROGRESS });

    expect(result.after).toEqual({ state: "running", instanceType: "m5.large", enaSupport: true });
    expect(modifications()).toEqual([
      { InstanceId: OPTIONS.instanceId, EnaSupport: { Value: true } },
      { InstanceId: OPTIONS.instanceId, InstanceType: { Value: "m5.large" } },
    ]);
    expect(ec2Mock.commandCalls(StartInstancesCommand)).toHaveLength(1);
  });

  test("GIVEN ENA support that never reads back on WHEN enabling THEN after the bound it stops before the type change, restores and starts the instance", async () => {
    simulateInstance({}, 10_000);

    const error = await runEnaEnable({ ...OPTIONS, enaReadBackSeconds: 0.3 }, { clients, progress: SILENT_PROGRESS }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: "EnaSupportNotSet", message: expect.stringMatching(/still off after ModifyInstanceAttribute; not changing to m5\.large/) });
    expect(modifications()).toEqual([
      { InstanceId: OPTIONS.instanceId, EnaSupport: { Value: true } },
      { InstanceId: OPTIONS.instanceId, EnaSupport: { Value: false } },
    ]);
  });

  test("GIVEN the status checks initializing, then both ok WHEN enabling THEN it is done only once both are ok", async () => {
    simulateInstance();
    ec2Mock.on(DescribeInstanceStatusCommand).resolvesOnce(statuses("initializing", "initializing")).resolvesOnce(statuses("ok", "initializing")).resolves(statuses("ok", "ok"));
    const details: string[] = [];

    const result = await runEnaEnable(OPTIONS, { clients, progress: { ...SILENT_PROGRESS, item: (_id, _phase, detail) => details.push(detail) } });

    expect(result.statusChecks).toEqual({ system: "ok", instance: "ok" });
    expect(ec2Mock.commandCalls(DescribeInstanceStatusCommand)).toHaveLength(3);
    expect(details.slice(-2)).toEqual(["waiting for both status checks (system and instance) to be ok", "done: m5.large, ENA support on, running"]);
  });

  test("GIVEN the instance check impaired after the start (no ENA driver) WHEN enabling THEN it fails plainly with what to do, and changes nothing more", async () => {
    simulateInstance();
    ec2Mock.on(DescribeInstanceStatusCommand).resolvesOnce(statuses("ok", "initializing")).resolves(statuses("ok", "impaired", "reachability"));

    const error = await runEnaEnable(OPTIONS, { clients, progress: SILENT_PROGRESS }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: "InstanceStatusImpaired",
      message:
        "i-0123456789abcdef0 started after the change but fails its instance status check (instance reachability): most likely because the operating system lacks the ENA driver (no network) or the NVMe driver m5.large needs for its volumes (no boot)",
    });
    const hint = (error as { hint: string }).hint;
    expect(hint).toMatch(/^stop it \('aws ec2 stop-instances --instance-ids i-0123456789abcdef0 --region us-east-1'\)/);
    expect(hint).toContain("--no-ena-support");
    expect(hint).toContain("--instance-type m4.large");
    expect(hint).toMatch(/fix the drivers from the image taken before the change \(regionpair ami copy\)/);
    // Going back needs a stop: that is the user's decision, not the command's.
    expect(modifications()).toHaveLength(2);
    expect(ec2Mock.commandCalls(StopInstancesCommand)).toHaveLength(1);
  });

  test("GIVEN the status checks still initializing at --timeout WHEN enabling THEN it fails with DeadlineExceeded naming them", async () => {
    simulateInstance();
    ec2Mock.on(DescribeInstanceStatusCommand).resolves(statuses("initializing", "initializing"));

    const error = await runEnaEnable({ ...OPTIONS, timeoutSeconds: 0.3 }, { clients, progress: SILENT_PROGRESS }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: "DeadlineExceeded", message: "the status checks of i-0123456789abcdef0 were not both ok within 0.3 s (system initializing, instance initializing)" });
  });

  test("GIVEN a stopped instance WHEN enabling THEN it stays stopped and no status checks are waited for", async () => {
    simulateInstance({ State: { Name: "stopped" } });

    const result = await runEnaEnable({ ...OPTIONS, allowStop: false }, { clients, progress: SILENT_PROGRESS });

    expect(result).toMatchObject({ after: { state: "stopped", enaSupport: true }, statusChecks: undefined });
    expect(ec2Mock.commandCalls(DescribeInstanceStatusCommand)).toHaveLength(0);
  });
});
