import { describe, expect, it } from "vitest";
import { createSerialQueue } from "./serial-queue.ts";

describe("createSerialQueue", () => {
  it("never overlaps tasks and keeps call order", async () => {
    const queue = createSerialQueue();
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        queue.run(async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((resolve) => setTimeout(resolve, 10 - i));
          order.push(i);
          running--;
        }),
      ),
    );
    expect(maxRunning).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("keeps going after a failure and passes results through", async () => {
    const queue = createSerialQueue();
    const failed = queue.run(async () => {
      throw new Error("nonce too low");
    });
    const next = queue.run(async () => 42);
    await expect(failed).rejects.toThrow("nonce too low");
    await expect(next).resolves.toBe(42);
  });
});
