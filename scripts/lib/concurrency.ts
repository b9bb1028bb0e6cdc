/**
 * A counting semaphore with weights: at most `capacity` units held at once. Used to bound how
 * many instances are worked on, and how many snapshot copies run, at the same time.
 */
export class WeightedSemaphore {
  private available: number;
  private readonly queue: Array<{ readonly weight: number; readonly grant: () => void }> = [];
  private heldPeak = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.available = capacity;
  }

  /** The most units held at once so far. */
  get peak(): number {
    return this.heldPeak;
  }

  /**
   * Runs `work` while holding `weight` units (capped at the capacity, so a heavy item runs alone
   * instead of never). Waiters are served in arrival order.
   */
  async run<T>(weight: number, work: () => Promise<T>): Promise<T> {
    const units = Math.min(Math.max(1, Math.ceil(weight)), this.capacity);
    await this.acquire(units);
    try {
      return await work();
    } finally {
      this.release(units);
    }
  }

  private acquire(units: number): Promise<void> {
    if (this.queue.length === 0 && this.available >= units) {
      this.take(units);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ weight: units, grant: resolve }));
  }

  private take(units: number): void {
    this.available -= units;
    this.heldPeak = Math.max(this.heldPeak, this.capacity - this.available);
  }

  private release(units: number): void {
    this.available += units;
    while (this.queue.length > 0 && this.available >= this.queue[0].weight) {
      const next = this.queue.shift()!;
      this.take(next.weight);
      next.grant();
    }
  }
}
