import assert from "node:assert/strict";
import { onQueueMessage } from "@/kv/queue.ts";

Deno.test("onQueueMessage() gives every kind all of its messages on one shared listener", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const got: string[] = [];
    const all = Promise.withResolvers<void>();
    const seen = () => got.length === 6 && all.resolve();
    onQueueMessage(kv, "a", (m) => void (got.push(`a${m.n}`), seen()));
    onQueueMessage(kv, "b", (m) => void (got.push(`b${m.n}`), seen()));
    assert.throws(() => onQueueMessage(kv, "a", () => {}), /already registered/);
    for (let n = 0; n < 3; n++) {
      await kv.enqueue({ kind: "a", n });
      await kv.enqueue({ kind: "b", n });
    }
    await all.promise;
    assert.deepEqual(got.sort(), ["a0", "a1", "a2", "b0", "b1", "b2"]);
  } finally {
    kv.close();
  }
});
