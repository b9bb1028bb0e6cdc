/**
 * Moves a region's routes in place: ReplaceTransitGatewayRoute points an existing route at its
 * new attachment (or makes it a blackhole) in one step, so the destination is never without a
 * route, unlike terraform's delete-then-create. A route that does not exist yet is created.
 * All routes of the region go at once, a bounded number in flight; throttling is retried until
 * the region's deadline.
 */
import {
  CreateTransitGatewayRouteCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
} from "@aws-sdk/client-ec2";
import { awsErrorCode, isThrottlingError, withOperation } from "../lib/aws-errors";
import { WeightedSemaphore } from "../lib/concurrency";
import { retryUntil } from "../lib/retry";
import { RouteDestination, RouteMove } from "./route-moves";

/** Calls in flight per region: EC2 throttles mutating calls per account and Region. */
export const FLIP_CONCURRENCY = 16;

export interface FlipOptions {
  /** Epoch ms: throttled calls are retried until then. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  /** Pause between throttled attempts (on top of the SDK's own backoff). @default 500 ms */
  readonly retryIntervalMs?: number;
  /** @default FLIP_CONCURRENCY */
  readonly concurrency?: number;
  readonly onMoved?: (move: RouteMove, action: "replace" | "create") => void;
}

export interface FlipResult {
  readonly replaced: number;
  readonly created: number;
}

function target(to: RouteDestination): { TransitGatewayAttachmentId?: string; Blackhole?: boolean } {
  return to === "blackhole" ? { Blackhole: true } : { TransitGatewayAttachmentId: to.attachmentId };
}

export function replaceRoute(ec2: EC2Client, move: RouteMove, signal?: AbortSignal, dryRun = false) {
  return withOperation(
    "ReplaceTransitGatewayRoute",
    ec2.send(
      new ReplaceTransitGatewayRouteCommand({ TransitGatewayRouteTableId: move.routeTableId, DestinationCidrBlock: move.route.cidr, ...target(move.to), DryRun: dryRun || undefined }),
      { abortSignal: signal },
    ),
  );
}

export function createRoute(ec2: EC2Client, move: RouteMove, signal?: AbortSignal, dryRun = false) {
  return withOperation(
    "CreateTransitGatewayRoute",
    ec2.send(
      new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: move.routeTableId, DestinationCidrBlock: move.route.cidr, ...target(move.to), DryRun: dryRun || undefined }),
      { abortSignal: signal },
    ),
  );
}

/**
 * Carries out every move that is not `none`. A route that vanished since it was read is
 * created, one that appeared is replaced: a rerun, or terraform running at the same time, ends
 * in the same place. The first error that is not throttling stops the region (in-flight calls
 * finish) and is thrown.
 */
export async function flipRoutes(ec2: EC2Client, moves: readonly RouteMove[], options: FlipOptions): Promise<FlipResult> {
  const semaphore = new WeightedSemaphore(options.concurrency ?? FLIP_CONCURRENCY);
  const counts = { replaced: 0, created: 0 };
  let failure: { error: unknown } | undefined;
  const retrying = <T>(work: () => Promise<T>) =>
    retryUntil(work, { deadline: options.deadline, intervalMs: options.retryIntervalMs ?? 500, signal: options.signal, isRetryable: isThrottlingError });

  const moveOne = async (move: RouteMove) => {
    if (failure) return;
    let action: "replace" | "create" = move.action === "create" ? "create" : "replace";
    try {
      await retrying(() => (action === "replace" ? replaceRoute(ec2, move, options.signal) : createRoute(ec2, move, options.signal)));
    } catch (error) {
      const code = awsErrorCode(error);
      if (action === "replace" && code === "InvalidRoute.NotFound") action = "create";
      else if (action === "create" && code === "RouteAlreadyExists") action = "replace";
      else throw error;
      await retrying(() => (action === "replace" ? replaceRoute(ec2, move, options.signal) : createRoute(ec2, move, options.signal)));
    }
    counts[action === "replace" ? "replaced" : "created"]++;
    options.onMoved?.(move, action);
  };

  await Promise.all(
    moves
      .filter((move) => move.action !== "none")
      .map((move) =>
        semaphore.run(1, () =>
          moveOne(move).catch((error) => {
            failure ??= { error };
          }),
        ),
      ),
  );
  if (failure) throw failure.error;
  return counts;
}
