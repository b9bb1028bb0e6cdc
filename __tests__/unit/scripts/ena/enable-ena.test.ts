/**
 * ena enable with EC2 mocked, for failures the emulator cannot produce: no capacity for the new
 * type (the instance is put back and started), a stop that outlasts --timeout, a dry run whose
 * role lacks a permission.
 */
import {
  DescribeInstancesCommand,
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

/** A fake instance whose state follows the calls made to it. */
function simulateInstance(overrides: Partial<Instance> = {}) {
  const instance: Instance = {
    InstanceId: OPTIONS.instanceId,
    InstanceType: "m4.large",
    EnaSupport: false,
    Architecture: "x86_64",
    Placement: { AvailabilityZone: "us-east-1a" },
    State: { Name: "running" },
    ...overrides,
  };
  ec2Mock.on(DescribeInstancesCommand).callsFake(async () => ({ Reservations: [{ Instances: [{ ...instance }] }] }));
  ec2Mock.on(DescribeInstanceTypesCommand).resolves({
    InstanceTypes: [{ InstanceType: "m5.large", NetworkInfo: { EnaSupport: "required" }, EbsInfo: { NvmeSupport: "required" }, ProcessorInfo: { SupportedArchitectures: ["x86_64"] } }],
  });
  ec2Mock.on(DescribeInstanceTypeOfferingsCommand).resolves({ InstanceTypeOfferings: [{ InstanceType: "m5.large" }] });
  ec2Mock.on(StopInstancesCommand).callsFake(async () => {
    instance.State = { Name: "stopped" };
    return {};
  });
  ec2Mock.on(ModifyInstanceAttributeCommand).callsFake(async (input) => {
    if (input.EnaSupport) instance.EnaSupport = input.EnaSupport.Value;
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

test("no capacity for the new type: the instance goes back to its old type and ENA setting and is started again", async () => {
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

test("a waiter deadline: an instance still stopping at --timeout fails before anything is changed", async () => {
  simulateInstance();
  ec2Mock.on(StopInstancesCommand).resolves({});
  ec2Mock.on(DescribeInstancesCommand).resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: OPTIONS.instanceId, InstanceType: "m4.large", State: { Name: "running" }, Placement: { AvailabilityZone: "us-east-1a" } }] }] }).resolves({
    Reservations: [{ Instances: [{ InstanceId: OPTIONS.instanceId, InstanceType: "m4.large", State: { Name: "stopping" } }] }],
  });

  const error = await runEnaEnable({ ...OPTIONS, timeoutSeconds: 0.3, pollIntervalSeconds: 0.05 }, { clients, progress: SILENT_PROGRESS }).catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "DeadlineExceeded", message: "i-0123456789abcdef0 was not stopped within 0.3 s" });
  expect(ec2Mock.commandCalls(ModifyInstanceAttributeCommand)).toHaveLength(0);
});

test("UnauthorizedOperation in dry run: ec2:ModifyInstanceAttribute is reported missing; nothing is stopped", async () => {
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
