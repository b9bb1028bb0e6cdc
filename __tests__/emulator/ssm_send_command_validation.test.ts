/**
 * Fix ssm_send_command_validation. AWS: SendCommand answers InvalidDocument for a document that
 * does not exist, InvalidDocumentVersion for a version it does not have, InvalidParameters for
 * parameters the document does not declare, a required one left out or a value outside
 * allowedValues, InvalidInstanceId for a node that is not managed (no registered agent, or
 * terminated) and UnsupportedPlatformType for a document that does not run on the node's
 * platform; a registered node that is stopped is still accepted. (API Reference, SendCommand
 * errors; User Guide, "Data elements and parameters".)
 */
import { EC2Client, StopInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { SSMClient, SendCommandCommand, SendCommandCommandInput } from "@aws-sdk/client-ssm";
import { useEmulator } from "../support/emulator";
import { ManagedNodes, commandContent, createCommandDocument, createManagedNodes, documentName, iamClient, launchInstance, powerShellStep, shellStep, ssmClient } from "./ssm-fixtures";

const REGION = "eu-west-1";

describe("emulator fix: SendCommand refuses what it cannot run", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let ssm: SSMClient;
  let nodes: ManagedNodes;
  let windowsDocument: string;
  let linuxDocument: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    ssm = ssmClient(emulator, REGION);
    nodes = await createManagedNodes(ec2, iamClient(emulator), "10.70.0.0/16", "10.70.1.0/24");
    windowsDocument = await createCommandDocument(
      ssm,
      documentName("windows-fixups"),
      commandContent([powerShellStep()], { Mode: { type: "String", allowedValues: ["fix", "check"] }, Domain: { type: "String", default: "corp.example.com" } }),
    );
    linuxDocument = await createCommandDocument(ssm, documentName("linux-fixups"), commandContent([shellStep()]));
  });

  const send = (input: Partial<SendCommandCommandInput>) =>
    ssm.send(new SendCommandCommand({ DocumentName: windowsDocument, InstanceIds: [nodes.windows], Parameters: { Mode: ["fix"] }, ...input } as SendCommandCommandInput));

  // Each case changes the valid request (the Windows document, Mode=fix, the Windows node) in one way.
  test.each<[string, string, () => Partial<SendCommandCommandInput>]>([
    ["a document that does not exist", "InvalidDocument", () => ({ DocumentName: "no-such-document" })],
    ["a document version it does not have", "InvalidDocumentVersion", () => ({ DocumentVersion: "7" })],
    ["a parameter the document does not declare", "InvalidParameters", () => ({ Parameters: { Mode: ["fix"], Colour: ["blue"] } })],
    ["no value for a parameter without a default", "InvalidParameters", () => ({ Parameters: {} })],
    ["a value outside allowedValues", "InvalidParameters", () => ({ Parameters: { Mode: ["repair"] } })],
    ["two values for a String parameter", "InvalidParameters", () => ({ Parameters: { Mode: ["fix", "check"] } })],
    ["a Linux-only document for a Windows node", "UnsupportedPlatformType", () => ({ DocumentName: linuxDocument, Parameters: {} })],
  ])("GIVEN %s WHEN SendCommand is called THEN AWS answers %s", async (_case, code, change) => {
    await expect(send(change())).rejects.toMatchObject({ name: code });
  });

  test("GIVEN an instance without an instance profile WHEN a command is sent to it THEN AWS answers InvalidInstanceId", async () => {
    const unmanaged = await launchInstance(ec2, { platform: "windows", subnetId: nodes.subnetId });

    await expect(send({ InstanceIds: [unmanaged] })).rejects.toMatchObject({ name: "InvalidInstanceId" });
  });

  test("GIVEN an instance whose agent has not registered yet WHEN a command is sent to it THEN AWS answers InvalidInstanceId", async () => {
    const starting = await launchInstance(ec2, { platform: "windows", instanceProfile: nodes.instanceProfile, subnetId: nodes.subnetId });

    await expect(send({ InstanceIds: [starting] })).rejects.toMatchObject({ name: "InvalidInstanceId" });
  });

  test("GIVEN valid parameters and a managed node WHEN SendCommand is called, also by document ARN and version THEN the command is accepted for that node", async () => {
    const { Command } = await send({ Parameters: { Mode: ["check"] } });
    expect(Command).toMatchObject({ DocumentName: windowsDocument, Parameters: { Mode: ["check"] } });
    expect(Command!.InstanceIds).toEqual([nodes.windows]);

    const arn = `arn:aws:ssm:${REGION}:123456789012:document/${windowsDocument}`;
    await expect(send({ DocumentName: arn, DocumentVersion: "1" })).resolves.toMatchObject({ Command: { CommandId: expect.any(String) } });
  });

  test("GIVEN a registered node that is stopped WHEN a command is sent THEN it is accepted; GIVEN it is terminated THEN AWS answers InvalidInstanceId", async () => {
    const { windows } = await createManagedNodes(ec2, iamClient(emulator), "10.71.0.0/16", "10.71.1.0/24");
    await ec2.send(new StopInstancesCommand({ InstanceIds: [windows] }));

    await expect(send({ InstanceIds: [windows] })).resolves.toMatchObject({ Command: { CommandId: expect.any(String) } });

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [windows] }));
    await expect(send({ InstanceIds: [windows] })).rejects.toMatchObject({ name: "InvalidInstanceId" });
  });
});
