/**
 * Systems Manager resources for the SSM emulator-fix tests: clients, Command documents, managed
 * instances (an instance with an IAM instance profile, which the emulator's agent double
 * registers) and the agent double's scripts. Builders only create and return; every expectation
 * stays in the test.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateDocumentCommand, DocumentFormat, SSMClient, Tag } from "@aws-sdk/client-ssm";
import { EMULATOR_CREDENTIALS } from "../../scripts/lib/emulator";
import { EmulatorHandle } from "../support/emulator";
import { WINDOWS_CATALOG_AMI, createNetwork, registerAmi } from "../support/ec2-fixtures";

/** How long the agent double takes to register (REGIONPAIR_EMULATOR_SSM_REGISTRATION_SECONDS default), plus slack. */
export const REGISTRATION_MS = 1_300;

export function ssmClient(emulator: EmulatorHandle, region: string): SSMClient {
  return new SSMClient({ region, endpoint: emulator.current.endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
}

export function iamClient(emulator: EmulatorHandle): IAMClient {
  return new IAMClient({ region: "us-east-1", endpoint: emulator.current.endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
}

/** One step of a schema 2.2 Command document. */
export interface Step {
  readonly action: string;
  readonly name: string;
  readonly inputs?: Record<string, unknown>;
  readonly precondition?: Record<string, unknown>;
}

/** The content of a schema 2.2 Command document with these steps and parameters. */
export function commandContent(steps: readonly Step[], parameters: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: "2.2",
    description: "emulator test document",
    parameters,
    mainSteps: steps.map((s) => ({ inputs: { runCommand: ["exit 0"] }, ...s })),
  };
}

export const powerShellStep = (name = "fixups", inputs?: Record<string, unknown>): Step => ({
  action: "aws:runPowerShellScript",
  name,
  inputs: inputs ?? { runCommand: ["Write-Output '{}'"] },
});

export const shellStep = (name = "fixups", inputs?: Record<string, unknown>): Step => ({
  action: "aws:runShellScript",
  name,
  inputs: inputs ?? { runCommand: ["echo '{}'"] },
});

let documentCounter = 0;

/** A unique document name with this prefix. */
export function documentName(prefix: string): string {
  documentCounter += 1;
  return `${prefix}-${process.pid}-${documentCounter}`;
}

/** Creates a Command document from content (JSON unless `format` says YAML and content is a string); returns its name. */
export async function createCommandDocument(
  ssm: SSMClient,
  name: string,
  content: Record<string, unknown> | string,
  options: { readonly format?: DocumentFormat; readonly tags?: readonly Tag[] } = {},
): Promise<string> {
  await ssm.send(
    new CreateDocumentCommand({
      Name: name,
      DocumentType: "Command",
      DocumentFormat: options.format ?? "JSON",
      Content: typeof content === "string" ? content : JSON.stringify(content),
      Tags: options.tags ? [...options.tags] : undefined,
    }),
  );
  return name;
}

let profileCounter = 0;

/** An IAM role inside a new instance profile; returns the profile name. */
export async function createInstanceProfile(iam: IAMClient): Promise<string> {
  profileCounter += 1;
  const name = `ssm-managed-${process.pid}-${profileCounter}`;
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  return name;
}

export type Platform = "windows" | "linux";

export interface ManagedInstanceOptions {
  readonly platform: Platform;
  /** IAM instance profile to launch with. @default none (the agent cannot register) */
  readonly instanceProfile?: string;
  readonly subnetId: string;
  readonly tags?: readonly { Key: string; Value: string }[];
}

/** Launches one running instance (Windows from moto's catalogue AMI, Linux from a new AMI); returns its id. */
export async function launchInstance(ec2: EC2Client, options: ManagedInstanceOptions): Promise<string> {
  const imageId = options.platform === "windows" ? WINDOWS_CATALOG_AMI : await registerAmi(ec2, false);
  const output = await ec2.send(
    new RunInstancesCommand({
      ImageId: imageId,
      InstanceType: "m4.large",
      SubnetId: options.subnetId,
      MinCount: 1,
      MaxCount: 1,
      IamInstanceProfile: options.instanceProfile ? { Name: options.instanceProfile } : undefined,
      TagSpecifications: options.tags?.length ? [{ ResourceType: "instance", Tags: [...options.tags] }] : undefined,
    }),
  );
  return output.Instances![0].InstanceId!;
}

export interface ManagedNodes {
  readonly subnetId: string;
  readonly instanceProfile: string;
  readonly windows: string;
  readonly linux: string;
}

/** A network, an instance profile and one Windows and one Linux instance launched with it, registered by the agent double. */
export async function createManagedNodes(ec2: EC2Client, iam: IAMClient, cidr: string, subnetCidr: string): Promise<ManagedNodes> {
  const { subnetId } = await createNetwork(ec2, cidr, subnetCidr);
  const instanceProfile = await createInstanceProfile(iam);
  const windows = await launchInstance(ec2, { platform: "windows", instanceProfile, subnetId });
  const linux = await launchInstance(ec2, { platform: "linux", instanceProfile, subnetId });
  await sleep(REGISTRATION_MS);
  return { subnetId, instanceProfile, windows, linux };
}

/** What the agent double reports for a document (see emulator/fixes/ssm_run_command_lifecycle.py). */
export interface AgentScript {
  readonly documentName: string;
  readonly instanceId?: string;
  readonly stepName?: string;
  readonly status?: "Success" | "Failed";
  readonly responseCode?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly durationSeconds?: number;
}

/** Posts a script to the agent double's control endpoint; resolves with the HTTP status and JSON body. */
export async function scriptAgent(emulator: EmulatorHandle, script: AgentScript | Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.current.endpoint}/regionpair-emulator/ssm/agent-script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(script),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
