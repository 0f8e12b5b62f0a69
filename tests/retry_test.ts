import assert from "node:assert/strict";
import { backoffMs, commitWithRetry, contention, isStoreBusy, StoreBusyError } from "@/kv/retry.ts";

// Deno KV's own words when another process holds the file's write lock.
const locked = () => new TypeError("database is locked");

function fakeClock() {
  let t = 0;
  const waits: number[] = [];
  const realNow = Date.now;
  Date.now = () => t;
  return {
    waits,
    sleep: (ms: number) => {
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
    [Symbol.dispose]: () => (Date.now = realNow),
  };
}

Deno.test("commitWithRetry() retries a busy store until the write gets through", async () => {
  using clock = fakeClock();
  const before = contention.busyRetries;
  let calls = 0;
  const res = await commitWithRetry(
    () => {
      if (++calls < 4) return Promise.reject(locked());
      return Promise.resolve({ ok: true as const, versionstamp: "1" });
    },
    "a test write",
    { sleep: clock.sleep, random: () => 0.5 },
  );
  assert.deepEqual(res, { ok: true, versionstamp: "1" });
  assert.equal(calls, 4);
  assert.equal(contention.busyRetries - before, 3);
  // Exponential with jitter: each wait between half and all of 2, 4, 8 ms.
  assert.deepEqual(clock.waits, [1.5, 3, 6]);
});

Deno.test("commitWithRetry() gives up after its budget with an error that names what was written", async () => {
  using clock = fakeClock();
  let calls = 0;
  await assert.rejects(
    commitWithRetry(
      () => {
        calls++;
        return Promise.reject(locked());
      },
      "42 writes",
      { sleep: clock.sleep, budgetMs: 1000, random: () => 1 },
    ),
    (err: unknown) => {
      assert.ok(err instanceof StoreBusyError);
      assert.match(
        err.message,
        /stayed busy .* while writing 42 writes: another process holds the KV file's write lock/,
      );
      return true;
    },
  );
  assert.ok(calls > 5);
  assert.ok(clock.waits.reduce((a, b) => a + b, 0) <= 1000, "never waits past the budget");
  assert.ok(clock.waits.every((w) => w <= 250), "each wait is capped");
});

Deno.test("commitWithRetry() passes other errors through at once", async () => {
  let calls = 0;
  await assert.rejects(
    commitWithRetry(() => {
      calls++;
      return Promise.reject(new TypeError("Value too large"));
    }, "x"),
    /Value too large/,
  );
  assert.equal(calls, 1);
});

Deno.test("isStoreBusy() knows SQLite's busy answers and nothing else", () => {
  assert.ok(isStoreBusy(locked()));
  assert.ok(isStoreBusy(new Error("SQLITE_BUSY: database is busy")));
  assert.ok(!isStoreBusy(new Error("Another import changed the same data")));
  assert.ok(!isStoreBusy("database is locked"));
  assert.equal(backoffMs(20, { firstDelayMs: 2, maxDelayMs: 250, random: () => 1 }), 250);
});
