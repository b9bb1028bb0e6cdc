/**
 * Waits for many images in one Region with one DescribeImages call per poll round, instead of one
 * waiter (and one call per round) per image. Each image has its own deadline; the loop ends when
 * nothing is waited for, and an abort signal ends every wait at once.
 */
import { DescribeImagesCommand, EC2Client, Image } from "@aws-sdk/client-ec2";
import { isTransientError, toExternalError } from "../lib/aws-errors";
import { InterruptedError, sleep } from "../lib/waiters";
import { imageCondition, willNeverBeAvailable } from "./image-states";

export type ImageWaitFailure = "failed" | "deregistered" | "timeout";

/** An image that will not become available: it failed, vanished, or ran out of time. */
export class ImageWaitError extends Error {
  constructor(
    readonly imageId: string,
    readonly region: string,
    readonly failure: ImageWaitFailure,
    readonly state?: string,
    readonly stateReason?: { readonly code?: string; readonly message?: string },
  ) {
    super(
      failure === "timeout"
        ? `${imageId} in ${region} was still ${state ?? "pending"} at the deadline`
        : failure === "deregistered"
          ? `${imageId} in ${region} disappeared (deregistered) while being waited for`
          : `${imageId} in ${region} ended in state ${state}${stateReason?.message ? `: ${stateReason.message}` : ""}`,
    );
    this.name = "ImageWaitError";
  }
}

export interface ImagePollerOptions {
  readonly region: string;
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  /** Called when a round fails for a reason worth waiting out (throttling, a server error). */
  readonly onTransientError?: (error: unknown) => void;
  readonly now?: () => number;
}

/** Image ids per DescribeImages call; EC2 accepts up to 200 filter values. */
const IDS_PER_CALL = 200;

interface Waiter {
  readonly deadline: number;
  readonly resolve: (image: Image) => void;
  readonly reject: (error: unknown) => void;
  seen: boolean;
  lastState?: string;
}

export class ImagePoller {
  private readonly waiting = new Map<string, Waiter[]>();
  private loop: Promise<void> | undefined;
  private rounds = 0;

  constructor(
    private readonly client: EC2Client,
    private readonly options: ImagePollerOptions,
  ) {}

  /** DescribeImages rounds made so far. */
  get pollRounds(): number {
    return this.rounds;
  }

  /** Resolves with the image once it is available; rejects with ImageWaitError otherwise. */
  waitUntilAvailable(imageId: string, deadline: number): Promise<Image> {
    return new Promise<Image>((resolve, reject) => {
      if (this.options.signal?.aborted) return reject(new InterruptedError());
      const waiters = this.waiting.get(imageId) ?? [];
      waiters.push({ deadline, resolve, reject, seen: false });
      this.waiting.set(imageId, waiters);
      this.loop ??= this.run().finally(() => {
        this.loop = undefined;
      });
    });
  }

  private async run(): Promise<void> {
    // Ends when every waiter has been settled; each one has a deadline.
    while (this.waiting.size > 0) {
      try {
        await sleep(this.options.intervalMs, this.options.signal);
        await this.pollOnce();
      } catch (error) {
        this.settleAll(error);
      }
    }
  }

  private async pollOnce(): Promise<void> {
    const ids = [...this.waiting.keys()];
    const images = new Map<string, Image>();
    try {
      for (let start = 0; start < ids.length; start += IDS_PER_CALL) {
        // Filtering by image-id, unlike ImageIds, does not fail the whole call for one id that
        // is not visible yet (EC2 is eventually consistent) or no longer exists.
        const output = await this.client.send(
          new DescribeImagesCommand({ Filters: [{ Name: "image-id", Values: ids.slice(start, start + IDS_PER_CALL) }] }),
        );
        for (const image of output.Images ?? []) if (image.ImageId) images.set(image.ImageId, image);
      }
    } catch (error) {
      if (!isTransientError(error)) throw toExternalError(error, { operation: "DescribeImages", region: this.options.region });
      this.options.onTransientError?.(error);
      this.rejectExpired();
      return;
    } finally {
      this.rounds += 1;
    }
    for (const id of ids) this.settle(id, images.get(id));
    this.rejectExpired();
  }

  private settle(imageId: string, image: Image | undefined): void {
    const waiters = this.waiting.get(imageId) ?? [];
    const state = image?.State;
    for (const waiter of waiters) {
      if (image) {
        waiter.seen = true;
        waiter.lastState = state;
      }
    }
    if (state === "available") {
      this.waiting.delete(imageId);
      for (const waiter of waiters) waiter.resolve(image!);
    } else if (state && willNeverBeAvailable(state)) {
      this.waiting.delete(imageId);
      const failure = imageCondition(state) === "gone" ? "deregistered" : "failed";
      const reason = { code: image?.StateReason?.Code, message: image?.StateReason?.Message };
      for (const waiter of waiters) waiter.reject(new ImageWaitError(imageId, this.options.region, failure, state, reason));
    } else if (!image && waiters.some((waiter) => waiter.seen)) {
      this.waiting.delete(imageId);
      for (const waiter of waiters) waiter.reject(new ImageWaitError(imageId, this.options.region, "deregistered"));
    }
  }

  private rejectExpired(): void {
    const now = (this.options.now ?? Date.now)();
    for (const [imageId, waiters] of this.waiting) {
      const expired = waiters.filter((waiter) => waiter.deadline <= now);
      if (expired.length === 0) continue;
      for (const waiter of expired) waiter.reject(new ImageWaitError(imageId, this.options.region, "timeout", waiter.lastState));
      const remaining = waiters.filter((waiter) => waiter.deadline > now);
      if (remaining.length > 0) this.waiting.set(imageId, remaining);
      else this.waiting.delete(imageId);
    }
  }

  private settleAll(error: unknown): void {
    const waiters = [...this.waiting.values()].flat();
    this.waiting.clear();
    for (const waiter of waiters) waiter.reject(error);
  }
}
