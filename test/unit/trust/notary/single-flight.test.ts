import { describe, expect, it } from "vitest";
import {
  awaitWithSignal,
  SingleFlight,
} from "../../../../src/trust/notary/single-flight.js";

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (reason: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("single flight", () => {
  it("runs one task for concurrent calls with one key", async () => {
    const flights = new SingleFlight<number>();
    const gate = deferred<number>();
    let started = 0;
    const calls = Array.from({ length: 10 }, () =>
      flights.run("gun", () => {
        started++;
        return gate.promise;
      }),
    );
    gate.resolve(42);
    expect(await Promise.all(calls)).toEqual(Array<number>(10).fill(42));
    expect(started).toBe(1);
  });

  it("runs separate tasks for separate keys", async () => {
    const flights = new SingleFlight<string>();
    const results = await Promise.all([
      flights.run("a", () => Promise.resolve("a")),
      flights.run("b", () => Promise.resolve("b")),
    ]);
    expect(results).toEqual(["a", "b"]);
  });

  it("shares a failure and then starts afresh", async () => {
    const flights = new SingleFlight<number>();
    const gate = deferred<number>();
    const first = flights.run("gun", () => gate.promise);
    const second = flights.run("gun", () => Promise.resolve(1));
    gate.reject(new Error("boom"));
    await expect(first).rejects.toThrow("boom");
    await expect(second).rejects.toThrow("boom");
    expect(flights.size).toBe(0);
    expect(await flights.run("gun", () => Promise.resolve(7))).toBe(7);
  });
});

describe("await with signal", () => {
  it("gives up on abort without cancelling the shared work", async () => {
    const gate = deferred<string>();
    const controller = new AbortController();
    const waiting = awaitWithSignal(
      gate.promise,
      controller.signal,
      () => new Error("gave up"),
    );
    controller.abort();
    await expect(waiting).rejects.toThrow("gave up");
    gate.resolve("done");
    expect(await gate.promise).toBe("done");
  });

  it("rejects at once when already aborted", async () => {
    const signal = AbortSignal.abort();
    await expect(
      awaitWithSignal(Promise.resolve(1), signal, () => new Error("late")),
    ).rejects.toThrow("late");
  });
});
