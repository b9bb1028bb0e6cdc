/**
 * Runs the post-restore document on restored instances through SSM Run Command: one SendCommand
 * per document for up to 50 instances, one ListCommandInvocations per command per round until
 * every invocation has ended or the deadline passes, then each instance's output
 * (GetCommandInvocation, the first 24,000 characters) and its JSON summary.
 */
import { GetCommandInvocationCommand, SSMClient, SendCommandCommand, paginateListCommandInvocations } from "@aws-sdk/client-ssm";
import { POST_RESTORE_STEP } from "../../constructs/post-restore-documents";
import { awsErrorCode, toExternalError, withAwsErrors } from "../lib/aws-errors";
import { ExternalError } from "../lib/cli";
import { PollOptions, pollUntilSettled } from "./fleet-waits";
import { FixupSummary, parseFixupSummary } from "./fixup-summary";

/** SendCommand takes at most 50 instance ids. */
const INSTANCES_PER_COMMAND = 50;

/** How long the agent has to pick the command up (its delivery timeout). */
const DELIVERY_TIMEOUT_SECONDS = 600;

const FINAL_STATUSES = new Set(["Success", "Failed", "TimedOut", "Cancelled"]);

export interface FixupOutcome {
  readonly instanceId: string;
  readonly document: string;
  readonly commandId?: string;
  /** The invocation's status (`Success`, `Failed`, `TimedOut`, ...), or `NotSent` / `NotFinished`. */
  readonly status: string;
  readonly responseCode?: number;
  readonly summary?: FixupSummary;
  /** Why there is no summary, or what went wrong. */
  readonly problem?: string;
  /** What the document printed (stdout), as Systems Manager returns it. */
  readonly output?: string;
}

export interface FixupRequest {
  readonly document: string;
  readonly instanceIds: readonly string[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function invocationStatuses(ssm: SSMClient, region: string, commandIds: readonly string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  await withAwsErrors({ operation: "ListCommandInvocations", region, service: "ssm" }, async () => {
    for (const CommandId of commandIds) {
      for await (const page of paginateListCommandInvocations({ client: ssm }, { CommandId })) {
        for (const invocation of page.CommandInvocations ?? []) {
          if (invocation.InstanceId && invocation.Status) statuses.set(invocation.InstanceId, invocation.Status);
        }
      }
    }
  });
  return statuses;
}

export async function runFixups(
  ssm: SSMClient,
  region: string,
  requests: readonly FixupRequest[],
  options: PollOptions & { readonly comment: string; readonly onProgress?: (instanceId: string, status: string) => void },
): Promise<FixupOutcome[]> {
  const outcomes: FixupOutcome[] = [];
  const sent: Array<{ commandId: string; document: string; instanceIds: readonly string[] }> = [];
  for (const request of requests) {
    for (const instanceIds of chunks(request.instanceIds, INSTANCES_PER_COMMAND)) {
      try {
        const { Command } = await ssm.send(
          new SendCommandCommand({ DocumentName: request.document, InstanceIds: [...instanceIds], TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS, Comment: options.comment.slice(0, 100) }),
          { abortSignal: options.signal },
        );
        sent.push({ commandId: Command!.CommandId!, document: request.document, instanceIds });
      } catch (error) {
        const external = toExternalError(error, { operation: "SendCommand", region, service: "ssm" });
        if (!(external instanceof ExternalError)) throw error;
        for (const instanceId of instanceIds) {
          outcomes.push({ instanceId, document: request.document, status: "NotSent", problem: `${external.code ?? "error"}: ${external.message}` });
        }
      }
    }
  }
  const commandOf = new Map(sent.flatMap((s) => s.instanceIds.map((id) => [id, s] as const)));
  const ids = [...commandOf.keys()];
  const polled = await pollUntilSettled(
    ids,
    () => invocationStatuses(ssm, region, sent.map((s) => s.commandId)),
    (status) => FINAL_STATUSES.has(status),
    options,
    (values) => {
      for (const [id, status] of values) options.onProgress?.(id, status);
    },
  );

  for (const instanceId of ids) {
    const { commandId, document } = commandOf.get(instanceId)!;
    const result = polled.get(instanceId)!;
    if (!result.settled) {
      outcomes.push({ instanceId, document, commandId, status: "NotFinished", problem: `the command was ${result.value ?? "not picked up"} when the wait ended; it carries on in Systems Manager` });
      continue;
    }
    try {
      const invocation = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId, PluginName: POST_RESTORE_STEP }), { abortSignal: options.signal });
      const output = invocation.StandardOutputContent ?? "";
      const parsed = parseFixupSummary(output);
      outcomes.push({
        instanceId,
        document,
        commandId,
        status: invocation.Status ?? result.value!,
        responseCode: invocation.ResponseCode,
        output,
        ...("summary" in parsed ? { summary: parsed.summary } : { problem: `${parsed.problem}${invocation.StandardErrorContent ? `; stderr: ${invocation.StandardErrorContent.trim().slice(0, 300)}` : ""}` }),
      });
    } catch (error) {
      if (awsErrorCode(error) === undefined) throw error;
      outcomes.push({ instanceId, document, commandId, status: result.value!, problem: `GetCommandInvocation failed: ${awsErrorCode(error)}` });
    }
  }
  return outcomes;
}
