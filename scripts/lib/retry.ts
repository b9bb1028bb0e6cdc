/**
 * Waiting without AWS calls, always with a deadline and an abort signal: an abortable sleep, a
 * bounded retry for calls AWS asks us to repeat later, and a poll on the SDK's waiter engine.
 * Nothing here loops without an end. Instance waits, which call EC2, are in waiters.ts.
 */
import { setTimeout as sleepFor } from "node:timers/promises";
import { createWaiter, WaiterState } from "@smithy/core/client";
import { ExternalError } from "./cli";

/** Ctrl-C or SIGTERM during a wait. Work already started in AWS carries on; a rerun picks it up. */
export class InterruptedError extends ExternalError {
  constructor(what = "stopped by a signal") {
    super(what, "Interrupted", "run the same command again: it finds the work already started in AWS and continues");
    this.name = "InterruptedError";
  }
}

/** A wait that reached its deadline. */
export class DeadlineExceededError extends ExternalError {
  constructor(message: string, hint: string) {
    super(message, "DeadlineExceeded", hint);
    this.name = "DeadlineExceededError";
  }
}

export function errorName(error: unknown): string | undefined {
  // By name, not instanceof: errors from Node's timers may come from another realm.
  return error !== null && typeof error === "object" ? (error as { name?: string }).name : undefined;
}

export function isAbortError(error: unknown): boolean {
  return errorName(error) === "AbortError";
}

/** Sleeps, or throws InterruptedError as soon as the signal aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleepFor(ms, undefined, { signal });
  } catch (error) {
    if (isAbortError(error)) throw new InterruptedError();
    throw error;
  }
}

export interface RetryUntilOptions {
  /** Epoch milliseconds after which the last error is thrown. */
  readonly deadline: number;
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  readonly isRetryable: (error: unknown) => boolean;
  /** Called before each pause, e.g. to report why the call is repeated. */
  readonly onRetry?: (error: unknown) => void;
  readonly now?: () => number;
}

/**
 * Calls `work` until it succeeds, it fails with an error that is not retryable, or the deadline
 * passes (then the last error is thrown). For conditions the SDK's retry strategy does not cover,
 * such as a full concurrent-copy quota that frees up as other copies finish.
 */
export async function retryUntil<T>(work: () => Promise<T>, options: RetryUntilOptions): Promise<T> {
  const now = options.now ?? Date.now;
  let lastError: unknown;
  do {
    try {
      return await work();
    } catch (error) {
      if (!options.isRetryable(error)) throw error;
      lastError = error;
      if (now() + options.intervalMs > options.deadline) break;
      options.onRetry?.(error);
      await sleep(options.intervalMs, options.signal);
    }
  } while (now() <= options.deadline);
  throw lastError;
}

/** What one look at a condition found: it holds, it never will, or look again. */
export interface PollCheck<T> {
  readonly state: "done" | "failed" | "retry";
  readonly value: T;
}

export interface PollOptions {
  readonly maxWaitSeconds: number;
  /** Delays between looks grow from this (with jitter, as the SDK's waiters do) up to maxDelaySeconds. */
  readonly minDelaySeconds: number;
  readonly maxDelaySeconds: number;
  readonly signal?: AbortSignal;
}

export interface PollResult<T> {
  readonly outcome: "done" | "failed" | "timeout";
  /** What the last look found; undefined on a timeout before any look finished. */
  readonly value?: T;
}

/**
 * Looks at a condition until it holds or cannot, on the SDK's waiter engine (createWaiter: the
 * first look at once, exponential backoff with jitter, a deadline, the abort signal). An error
 * thrown by `check` ends the wait with that error; an abort throws InterruptedError.
 */
export async function pollUntil<T>(what: string, check: () => Promise<PollCheck<T>>, options: PollOptions): Promise<PollResult<T>> {
  let last: T | undefined;
  const minDelay = options.minDelaySeconds;
  const result = await createWaiter(
    {
      client: undefined,
      maxWaitTime: Math.max(options.maxWaitSeconds, minDelay * 2),
      minDelay,
      maxDelay: Math.max(options.maxDelaySeconds, minDelay),
      abortSignal: options.signal,
    },
    undefined,
    async () => {
      const found = await check();
      last = found.value;
      const state = found.state === "done" ? WaiterState.SUCCESS : found.state === "failed" ? WaiterState.FAILURE : WaiterState.RETRY;
      return { state };
    },
  );
  if (result.state === WaiterState.ABORTED || options.signal?.aborted) throw new InterruptedError(`stopped by a signal while waiting for ${what}`);
  if (result.state === WaiterState.SUCCESS) return { outcome: "done", value: last };
  if (result.state === WaiterState.FAILURE) return { outcome: "failed", value: last };
  return { outcome: "timeout", value: last };
}
