/**
 * Launching one planned instance: the RunInstances request (pure, also used for the DryRun
 * check) and the call itself. The client token makes a retried or repeated request return the
 * first launch; only when that launch has since been terminated (EC2 keeps answering a token with
 * it for at least 24 hours) does the next attempt's token start a new one.
 */
import { DescribeInstancesCommand, EC2Client, RunInstancesCommandInput, RunInstancesCommand, _InstanceType } from "@aws-sdk/client-ec2";
import { withAwsErrors } from "../lib/aws-errors";
import { ExternalError } from "../lib/cli";
import type { LaunchPlan } from "./plan";
import { restoreClientToken } from "./naming";

/** Launches whose token turned out to stand for a terminated instance before giving up. */
export const MAX_LAUNCH_ATTEMPTS = 5;

export function runInstancesInput(plan: LaunchPlan, clientToken: string = plan.clientToken): RunInstancesCommandInput {
  const tags = [...plan.tags];
  return {
    ImageId: plan.copyImageId,
    InstanceType: plan.instanceType as _InstanceType,
    MinCount: 1,
    MaxCount: 1,
    ClientToken: clientToken,
    ...(plan.instanceProfileArn ? { IamInstanceProfile: { Arn: plan.instanceProfileArn } } : {}),
    NetworkInterfaces: plan.interfaces.map((eni) => ({
      DeviceIndex: eni.deviceIndex,
      SubnetId: eni.subnetId,
      // Created for this launch, so they go with the instance (a drill's cleanup leaves none behind).
      DeleteOnTermination: true,
      PrivateIpAddresses: [{ PrivateIpAddress: eni.primaryIp, Primary: true }, ...eni.secondaryIps.map((ip) => ({ PrivateIpAddress: ip, Primary: false }))],
      ...(plan.securityGroupIds.length > 0 ? { Groups: [...plan.securityGroupIds] } : {}),
    })),
    TagSpecifications: (["instance", "volume", "network-interface"] as const).map((ResourceType) => ({ ResourceType, Tags: tags })),
  };
}

export interface LaunchResult {
  readonly instanceId: string;
  readonly clientToken: string;
  /** False when the token returned an instance an earlier run launched. */
  readonly created: boolean;
}

const GONE = new Set(["shutting-down", "terminated"]);

async function currentState(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  try {
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return Reservations?.[0]?.Instances?.[0]?.State?.Name;
  } catch (error) {
    // An instance terminated long ago is no longer described at all.
    if ((error as { name?: string }).name === "InvalidInstanceID.NotFound") return undefined;
    throw error;
  }
}

/**
 * Launches the planned instance. `known` holds the instance ids regionpair launched before, so a
 * token that answers with one of them is recognised as an earlier launch, not a new one.
 */
export async function launchPlanned(ec2: EC2Client, region: string, plan: LaunchPlan, drillId: string | undefined, known: ReadonlySet<string>): Promise<LaunchResult> {
  for (let attempt = 0; attempt < MAX_LAUNCH_ATTEMPTS; attempt += 1) {
    const clientToken = attempt === 0 ? plan.clientToken : restoreClientToken(plan.sourceInstanceId, plan.copyImageId, drillId, attempt);
    const output = await withAwsErrors({ operation: "RunInstances", region }, () => ec2.send(new RunInstancesCommand(runInstancesInput(plan, clientToken))));
    const instanceId = output.Instances?.[0]?.InstanceId;
    if (!instanceId) throw new ExternalError(`RunInstances in ${region} answered without an instance for ${plan.sourceInstanceId}`, "NoInstance", "the EC2 endpoint: it does not behave like EC2");
    const state = await withAwsErrors({ operation: "DescribeInstances", region }, () => currentState(ec2, instanceId));
    if (state !== undefined && !GONE.has(state)) return { instanceId, clientToken, created: !known.has(instanceId) };
  }
  throw new ExternalError(
    `${plan.sourceInstanceId}: the last ${MAX_LAUNCH_ATTEMPTS} client tokens for copy ${plan.copyImageId} all stand for terminated instances`,
    "ClientTokensUsedUp",
    "restore it from a newer copy (run 'regionpair ami copy' again), or wait a day: EC2 forgets a token 24 hours after its instance was terminated",
  );
}
