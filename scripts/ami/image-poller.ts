/**
 * Waits for many images in one Region with one DescribeImages call per poll round, instead of one
 * waiter (and one call per round) per image. Each image has its own deadline; the loop ends when
 * nothing is waited for, and an abort signal ends every wait at once. A wait may also say by when
 * the image must have shown up at all: DescribeImages is eventually consistent, so a new image may
 * be missing for a moment, but one that never shows up is gone.
 */
import { DescribeImagesCommand, EC2Client, Image } from "@aws-sdk/client-ec2";
import { isTransientError, toExternalError } from "../lib/aws-errors";
import { InterruptedError, sleep } from "../lib/retry";
import { imageCondition, willNeverBeAvailable } from "./image-states";

export type ImageWaitFailure = "failed" | "deregistered" | "not-found" | "timeout";

export interface ImageWaitDetails {
  /** The last state seen. */
  readonly state?: string;
  readonly stateReason?: { readonly code?: string; readonly message?: string };
  /** The image was seen in a state from which it could still become available. */
  readonly wasLive?: boolean;
}

/** An image that will not become available: it failed, vanished, never showed up, or ran out of time. */
export class ImageWaitError extends Error {
  readonly state?: string;
  readonly stateReason?: { readonly code?: string; readonly message?: string };
  readonly wasLive: boolean;

  constructor(
    readonly imageId: string,
    readonly region: string,
    readonly failure: ImageWaitFailure,
    details: ImageWaitDetails = {},
  ) {
    const { state, stateReason } = details;
    super(
      failure === "timeout"
        ? `${imageId} in ${region} was still ${state ?? "pending"} at the deadline`
        : failure === "not-found"
          ? `${imageId} in ${region} never showed up in DescribeImages`
          : failure === "deregistered"
            ? `${imageId} in ${region} was deregistered while being waited for`
            : `${imageId} in ${region} ended in state ${state}${stateReason?.message ? `: ${stateReason.message}` : ""}`,
    );
    this.name = "ImageWaitError";
    this.state = state;
    this.stateReason = stateReason;
    this.wasLive = details.wasLive ?? false;
  }
}

export interface WaitOptions {
  /** Epoch ms by which the image must have shown up at all; after that an unseen image is `not-found`. @default the deadline */
  readonly appearBy?: number;
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
  readonly appearBy?: number;
  readonly resolve: (image: Image) => void;
  readonly reject: (error: unknown) => void;
  seen: boolean;
  /** Seen pending (or any state that can still lead to available). */
  seenLive: boolean;
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
  waitUntilAvailable(imageId: string, deadline: number, options: WaitOptions = {}): Promise<Image> {
    return new Promise<Image>((resolve, reject) => {
      if (this.options.signal?.aborted) return reject(new InterruptedError());
      const waiters = this.waiting.get(imageId) ?? [];
      waiters.push({ deadline, appearBy: options.appearBy, resolve, reject, seen: false, seenLive: false });
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
          // IncludeDisabled: an image disabled while waited for must read as disabled, not as gone.
          new DescribeImagesCommand({ IncludeDisabled: true, Filters: [{ Name: "image-id", Values: ids.slice(start, start + IDS_PER_CALL) }] }),
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
        if (!willNeverBeAvailable(state)) waiter.seenLive = true;
      }
    }
    if (state === "available") {
      this.waiting.delete(imageId);
      for (const waiter of waiters) waiter.resolve(image!);
    } else if (state && willNeverBeAvailable(state)) {
      this.waiting.delete(imageId);
      const failure = imageCondition(state) === "gone" ? "deregistered" : "failed";
      const stateReason = { code: image?.StateReason?.Code, message: image?.StateReason?.Message };
      for (const waiter of waiters) waiter.reject(new ImageWaitError(imageId, this.options.region, failure, { state, stateReason, wasLive: waiter.seenLive }));
    } else if (!image && waiters.some((waiter) => waiter.seen)) {
      this.waiting.delete(imageId);
      for (const waiter of waiters) waiter.reject(new ImageWaitError(imageId, this.options.region, "deregistered", { wasLive: waiter.seenLive }));
    }
  }

  private rejectExpired(): void {
    const now = (this.options.now ?? Date.now)();
    for (const [imageId, waiters] of this.waiting) {
      const neverSeen = (waiter: Waiter) => !waiter.seen && waiter.appearBy !== undefined && waiter.appearBy <= now;
      const expired = waiters.filter((waiter) => waiter.deadline <= now || neverSeen(waiter));
      if (expired.length === 0) continue;
      for (const waiter of expired) {
        const failure = neverSeen(waiter) && waiter.deadline > now ? "not-found" : "timeout";
        waiter.reject(new ImageWaitError(imageId, this.options.region, failure, { state: waiter.lastState, wasLive: waiter.seenLive }));
      }
      const remaining = waiters.filter((waiter) => !expired.includes(waiter));
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
