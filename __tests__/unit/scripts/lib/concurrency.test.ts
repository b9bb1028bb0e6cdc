import { setTimeout as sleep } from "node:timers/promises";
import { WeightedSemaphore } from "../../../../scripts/lib/concurrency";

describe("bounded concurrency", () => {
  test("GIVEN more work than the capacity WHEN run THEN never more than the capacity runs at once and every piece runs", async () => {
    let running = 0;
    let peak = 0;
    const semaphore = new WeightedSemaphore(3);
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map((n) =>
        semaphore.run(1, async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(5);
          running -= 1;
          return n * 10;
        }),
      ),
    );
    expect([peak, semaphore.peak]).toEqual([3, 3]);
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  test("GIVEN weighted work WHEN run THEN heavy work takes more units, and work heavier than the capacity runs alone instead of never", async () => {
    const semaphore = new WeightedSemaphore(20);
    const order: string[] = [];
    const job = (name: string, weight: number) =>
      semaphore.run(weight, async () => {
        order.push(`start ${name}`);
        await sleep(5);
        order.push(`end ${name}`);
      });
    await Promise.all([job("a", 15), job("b", 10), job("c", 40)]);
    expect(order).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(semaphore.peak).toBe(20);
  });

  test("GIVEN a capacity below one WHEN made THEN it is a bug", () => {
    expect(() => new WeightedSemaphore(0)).toThrow(RangeError);
  });
});
