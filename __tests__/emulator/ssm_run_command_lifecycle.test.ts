/**
 * Fix ssm_run_command_lifecycle. AWS: a Run Command invocation is invisible for a moment
 * (InvocationDoesNotExist), Pending until the node's agent receives it, InProgress while it runs,
 * then Success, Failed (non-zero result code), TimedOut (ExecutionTimedOut past a step's
 * timeoutSeconds; DeliveryTimedOut when the node never received it within TimeoutSeconds) or
 * Cancelled; GetCommandInvocation reports ResponseCode, the first 24,000 characters of stdout and
 * 8,000 of stderr once finished, and needs PluginName (a step name) for a multi-step document;
 * ListCommandInvocations and ListCommands report the same statuses and counts. (API Reference,
 * GetCommandInvocation, ListCommandInvocations, ListCommands, CancelCommand, Command; User Guide,
 * "Understanding command statuses".)
 *
 * The agent is a test double: the emulator's control endpoint scripts what it reports for a
 * document (stdout, stderr, responseCode, durationSeconds); delivery and default run time are 1 s.
 * See emulator/README.md.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { EC2Client, StartInstancesCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  GetCommandInvocationCommandOutput,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SSMClient,
  SendCommandCommand,
  waitUntilCommandExecuted,
} from "@aws-sdk/client-ssm";
import { useEmulator } from "../support/emulator";
import {
  ManagedNodes,
  REGISTRATION_MS,
  commandContent,
  createCommandDocument,
  createInstanceProfile,
  createManagedNodes,
  documentName,
  iamClient,
  launchInstance,
  powerShellStep,
  scriptAgent,
  shellStep,
  ssmClient,
} from "./ssm-fixtures";

const REGION = "eu-west-2";
const SUMMARY = JSON.stringify({ domainJoined: true, dnsServers: ["10.0.0.10", "10.0.0.11"], fixups: 3 });

describe("emulator fix: Run Command invocations follow AWS's status lifecycle", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let ssm: SSMClient;
  let nodes: ManagedNodes;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    ssm = ssmClient(emulator, REGION);
    nodes = await createManagedNodes(ec2, iamClient(emulator), "10.80.0.0/16", "10.80.1.0/24");
  });

  const windowsDocument = (steps = [powerShellStep()], parameters: Record<string, unknown> = {}) =>
    createCommandDocument(ssm, documentName("windows-fixups"), commandContent(steps, parameters));
  const send = async (document: string, instanceId = nodes.windows, extra: Record<string, unknown> = {}) =>
    (await ssm.send(new SendCommandCommand({ DocumentName: document, InstanceIds: [instanceId], ...extra }))).Command!.CommandId!;
  const invocation = (commandId: string, instanceId = nodes.windows, pluginName?: string): Promise<GetCommandInvocationCommandOutput> =>
    ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId, PluginName: pluginName }));
  const finished = (commandId: string, instanceId = nodes.windows) =>
    waitUntilCommandExecuted({ client: ssm, maxWaitTime: 15, minDelay: 1, maxDelay: 1 }, { CommandId: commandId, InstanceId: instanceId }).catch(() => undefined);
  const command = async (commandId: string) => (await ssm.send(new ListCommandsCommand({ CommandId: commandId }))).Commands![0];

  test("GIVEN a scripted agent WHEN a command is sent THEN the invocation is first not visible, then Pending, InProgress and Success with the script's output", async () => {
    const document = await windowsDocument();
    await scriptAgent(emulator, { documentName: document, stdout: `restore fix-ups done\n${SUMMARY}\n`, durationSeconds: 1 });

    const commandId = await send(document);
    await expect(invocation(commandId)).rejects.toMatchObject({ name: "InvocationDoesNotExist" });
    expect((await command(commandId)).Status).toBe("Pending");

    await sleep(700);
    expect(await invocation(commandId)).toMatchObject({ Status: "Pending", StatusDetails: "Pending", ResponseCode: -1, ExecutionStartDateTime: "", StandardOutputContent: "" });
    await sleep(800);
    expect(await invocation(commandId)).toMatchObject({ Status: "InProgress", StatusDetails: "InProgress", ResponseCode: -1, StandardOutputContent: "" });
    expect((await command(commandId)).Status).toBe("InProgress");

    await waitUntilCommandExecuted({ client: ssm, maxWaitTime: 15, minDelay: 1, maxDelay: 1 }, { CommandId: commandId, InstanceId: nodes.windows });
    const done = await invocation(commandId);
    expect(done).toMatchObject({ Status: "Success", StatusDetails: "Success", ResponseCode: 0, PluginName: "fixups", DocumentName: document });
    expect(JSON.parse(done.StandardOutputContent!.trim().split("\n").pop()!)).toEqual(JSON.parse(SUMMARY));
    expect(Date.parse(done.ExecutionEndDateTime!) - Date.parse(done.ExecutionStartDateTime!)).toBeGreaterThanOrEqual(1000);
    expect(await command(commandId)).toMatchObject({ Status: "Success", StatusDetails: "Success", TargetCount: 1, CompletedCount: 1, ErrorCount: 0 });
  }, 30_000);

  test("GIVEN no agent script for a document WHEN it runs THEN the invocation ends Failed and says on stderr that no agent script was given", async () => {
    const document = await windowsDocument();

    const commandId = await send(document);
    await finished(commandId);

    const done = await invocation(commandId);
    expect(done).toMatchObject({ Status: "Failed", StatusDetails: "Failed", ResponseCode: 1, StandardOutputContent: "" });
    expect(done.StandardErrorContent).toContain("no agent script");
    expect(await command(commandId)).toMatchObject({ Status: "Failed", ErrorCount: 1, CompletedCount: 1 });
  }, 30_000);

  test("GIVEN an agent scripted to exit 2 WHEN the command runs THEN invocation and command are Failed with response code 2 and the script's stderr", async () => {
    const document = await windowsDocument();
    await scriptAgent(emulator, { documentName: document, responseCode: 2, stdout: "partial\n", stderr: "Add-Computer : access denied" });

    const commandId = await send(document);
    await finished(commandId);

    expect(await invocation(commandId)).toMatchObject({ Status: "Failed", ResponseCode: 2, StandardOutputContent: "partial\n", StandardErrorContent: "Add-Computer : access denied" });
    expect(await command(commandId)).toMatchObject({ Status: "Failed", StatusDetails: "Failed", ErrorCount: 1 });
  }, 30_000);

  test("GIVEN an agent that prints 30,000 characters and 9,000 on stderr WHEN the command finished THEN GetCommandInvocation keeps the first 24,000 and 8,000 and the plugin Output at most 2,500", async () => {
    const document = await windowsDocument();
    const stdout = "o".repeat(29_000) + "\n" + "x".repeat(999);
    await scriptAgent(emulator, { documentName: document, stdout, stderr: "e".repeat(9_000), durationSeconds: 0 });

    const commandId = await send(document);
    await finished(commandId);

    const done = await invocation(commandId);
    expect(done.StandardOutputContent).toBe(stdout.slice(0, 24_000));
    expect(done.StandardErrorContent).toBe("e".repeat(8_000));
    const { CommandInvocations } = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
    const output = CommandInvocations![0].CommandPlugins![0].Output!;
    expect(output.length).toBeLessThanOrEqual(2_500);
    expect(output).toContain("---Output truncated---");
    expect(output).toContain("----------ERROR-------");
  }, 30_000);

  test("GIVEN a step with timeoutSeconds 1 and an agent that runs 3 s WHEN the command runs THEN the invocation is TimedOut with ExecutionTimedOut and Windows' stopped exit code -1", async () => {
    const document = await windowsDocument([powerShellStep("fixups", { runCommand: ["Start-Sleep 3"], timeoutSeconds: "{{ executionTimeout }}" })], {
      executionTimeout: { type: "String", default: "3600" },
    });
    await scriptAgent(emulator, { documentName: document, durationSeconds: 3 });

    const commandId = await send(document, nodes.windows, { Parameters: { executionTimeout: ["1"] } });
    await finished(commandId);

    expect(await invocation(commandId)).toMatchObject({ Status: "TimedOut", StatusDetails: "ExecutionTimedOut", ResponseCode: -1 });
    expect(await command(commandId)).toMatchObject({ Status: "TimedOut", StatusDetails: "ExecutionTimedOut", ErrorCount: 1 });
  }, 30_000);

  test("GIVEN a two-step document with a Windows-only step WHEN it runs on Linux THEN PluginName is required, the Windows step is skipped and the Linux step reports its script", async () => {
    const document = await createCommandDocument(
      ssm,
      documentName("cross-platform"),
      commandContent([
        { ...powerShellStep("windowsFixups"), precondition: { StringEquals: ["platformType", "Windows"] } },
        { ...shellStep("linuxFixups"), precondition: { StringEquals: ["platformType", "Linux"] } },
      ]),
    );
    await scriptAgent(emulator, { documentName: document, stepName: "linuxFixups", stdout: SUMMARY });

    const commandId = await send(document, nodes.linux);
    await sleep(3_000);

    await expect(invocation(commandId, nodes.linux)).rejects.toMatchObject({ name: "InvalidPluginName" });
    await expect(invocation(commandId, nodes.linux, "noSuchStep")).rejects.toMatchObject({ name: "InvalidPluginName" });
    expect(await invocation(commandId, nodes.linux, "windowsFixups")).toMatchObject({ Status: "Success", StatusDetails: "Skipped" });
    expect(await invocation(commandId, nodes.linux, "linuxFixups")).toMatchObject({ Status: "Success", ResponseCode: 0, StandardOutputContent: SUMMARY });
    const { CommandInvocations } = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
    expect(CommandInvocations![0]).toMatchObject({ Status: "Success", InstanceId: nodes.linux });
    expect(CommandInvocations![0].CommandPlugins!.map((p) => p.Name)).toEqual(["windowsFixups", "linuxFixups"]);
  }, 30_000);

  test("GIVEN a running command WHEN it is cancelled THEN invocation and command end Cancelled", async () => {
    const document = await windowsDocument();
    await scriptAgent(emulator, { documentName: document, durationSeconds: 10 });
    const commandId = await send(document);
    await sleep(1_600);
    expect((await invocation(commandId)).Status).toBe("InProgress");

    await ssm.send(new CancelCommandCommand({ CommandId: commandId }));

    expect(await invocation(commandId)).toMatchObject({ Status: "Cancelled", StatusDetails: "Cancelled" });
    expect((await command(commandId)).Status).toBe("Cancelled");
  }, 30_000);

  test("GIVEN a registered node that is stopped WHEN a command is sent THEN it stays Pending until the node is started and its agent is back, then runs", async () => {
    const { linux } = await createManagedNodes(ec2, iamClient(emulator), "10.81.0.0/16", "10.81.1.0/24");
    const document = await createCommandDocument(ssm, documentName("linux-fixups"), commandContent([shellStep()]));
    await scriptAgent(emulator, { documentName: document, stdout: SUMMARY, durationSeconds: 0.5 });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [linux] }));

    const commandId = await send(document, linux);
    await sleep(2_000);
    expect((await invocation(commandId, linux)).Status).toBe("Pending");

    await ec2.send(new StartInstancesCommand({ InstanceIds: [linux] }));
    await sleep(REGISTRATION_MS + 800);
    expect(await invocation(commandId, linux)).toMatchObject({ Status: "Success", StandardOutputContent: SUMMARY });
  }, 30_000);

  test("GIVEN a stopped node that never comes back WHEN TimeoutSeconds (30) passes THEN the invocation is TimedOut with DeliveryTimedOut and response code -1", async () => {
    const { windows } = await createManagedNodes(ec2, iamClient(emulator), "10.82.0.0/16", "10.82.1.0/24");
    const document = await windowsDocument();
    await ec2.send(new StopInstancesCommand({ InstanceIds: [windows] }));

    const commandId = await send(document, windows, { TimeoutSeconds: 30 });
    await sleep(29_000);
    expect((await invocation(commandId, windows)).Status).toBe("Pending");
    await sleep(1_500);

    expect(await invocation(commandId, windows)).toMatchObject({ Status: "TimedOut", StatusDetails: "DeliveryTimedOut", ResponseCode: -1, ExecutionStartDateTime: "" });
    expect(await command(commandId)).toMatchObject({ Status: "TimedOut", StatusDetails: "DeliveryTimedOut", DeliveryTimedOutCount: 1, ErrorCount: 0 });
  }, 45_000);

  test("GIVEN managed and unmanaged instances with one tag WHEN a command targets the tag THEN only the managed nodes get invocations", async () => {
    const tag = { Key: "Restore", Value: `wave-${process.pid}` };
    const profile = await createInstanceProfile(iamClient(emulator));
    const managed = await launchInstance(ec2, { platform: "windows", instanceProfile: profile, subnetId: nodes.subnetId, tags: [tag] });
    const unmanaged = await launchInstance(ec2, { platform: "windows", subnetId: nodes.subnetId, tags: [tag] });
    await sleep(REGISTRATION_MS);
    const document = await windowsDocument();

    const { Command } = await ssm.send(new SendCommandCommand({ DocumentName: document, Targets: [{ Key: `tag:${tag.Key}`, Values: [tag.Value] }] }));
    await sleep(700);

    const { CommandInvocations } = await ssm.send(new ListCommandInvocationsCommand({ CommandId: Command!.CommandId }));
    expect(CommandInvocations!.map((i) => i.InstanceId)).toEqual([managed]);
    expect(CommandInvocations!.map((i) => i.InstanceId)).not.toContain(unmanaged);
  }, 30_000);

  test("GIVEN a script whose status contradicts its response code WHEN it is posted THEN the control endpoint refuses it with 400", async () => {
    const { status, body } = await scriptAgent(emulator, { documentName: "any", status: "Success", responseCode: 3 });

    expect(status).toBe(400);
    expect(String(body.error)).toContain("responseCode");
  });
});
