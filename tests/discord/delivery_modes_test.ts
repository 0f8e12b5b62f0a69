import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "@/config.ts";
import { session } from "@/tests/_fixtures.ts";
import { DISCORD_ERRORS } from "@/tests/fakes/discord.ts";
import { deliveryEnv, RECORDS, waitFor } from "@/tests/discord/_delivery_env.ts";

const HOUR = 3_600_000;

Deno.test("loadConfig(): PODIUM_QUEUES is on, off or auto; auto is off on Deno Deploy and over KV Connect", () => {
  const queues = (vars: Record<string, string>) => loadConfig((n) => vars[n]).queues;
  assert.equal(queues({}), true);
  assert.equal(queues({ PODIUM_QUEUES: "off" }), false);
  assert.equal(queues({ PODIUM_QUEUES: "auto", PODIUM_KV: ":memory:" }), true);
  assert.equal(queues({ DENO_DEPLOYMENT_ID: "abc123" }), false);
  assert.equal(queues({ PODIUM_KV: "https://api.deno.com/databases/0000/connect" }), false);
  assert.equal(queues({ PODIUM_QUEUES: "on", DENO_DEPLOYMENT_ID: "abc123" }), true);
  assert.throws(() => queues({ PODIUM_QUEUES: "maybe" }), (e) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /Invalid PODIUM_QUEUES "maybe": expected on, off or auto/);
    return true;
  });
});

Deno.test("delivery without queues: nothing is enqueued; drainAll() (the minute cron) posts what another process wrote", async () => {
  // No outbox polling and no sweep within the test: only the cron's body can find the item.
  const env = await deliveryEnv({ delivery: { queues: false, pollMs: HOUR, sweepMs: HOUR } });
  const enqueued: unknown[] = [];
  const listening = env.kv.listenQueue((m) => void enqueued.push(m));
  try {
    await env.delivery.idle();
    const kick = env.deps.delivery;
    env.deps.delivery = null; // written as by a CLI import in another process: no kick here
    await env.store(
      session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", name: "Ann", laps: [100_000] }] }),
    );
    env.deps.delivery = kick;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(env.discord.channelMessages(RECORDS).length, 0, "found without the cron");
    await env.delivery.drainAll();
    assert.equal(env.discord.channelMessages(RECORDS).length, 1);
    assert.deepEqual(enqueued, []);
  } finally {
    await env.close();
    await listening;
  }
});

Deno.test("delivery without queues: a 5xx is retried by an in-process timer, and no queue message is written", async () => {
  const env = await deliveryEnv({ delivery: { queues: false, pollMs: HOUR, sweepMs: HOUR } });
  const enqueued: unknown[] = [];
  const listening = env.kv.listenQueue((m) => void enqueued.push(m));
  try {
    env.discord.injectFailure({ failure: DISCORD_ERRORS.serverError, method: "POST" });
    await env.store(
      session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", name: "Ann", laps: [100_000] }] }),
    );
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 1, 5000, "the retried post");
    await env.delivery.idle();
    assert.ok(env.discord.requests.some((r) => r.method === "POST" && r.status === 500), "the 5xx happened");
    assert.deepEqual(enqueued, []);
  } finally {
    await env.close();
    await listening;
  }
});

Deno.test("delivery with queues: routing writes a queue message per item (the wake-up where queues work)", async () => {
  const env = await deliveryEnv({ delivery: { queues: true, listen: false, pollMs: HOUR, sweepMs: HOUR } });
  const enqueued: { kind?: string; channelId?: string }[] = [];
  const listening = env.kv.listenQueue((m) => void enqueued.push(m as { kind?: string }));
  try {
    await env.store(
      session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", name: "Ann", laps: [100_000] }] }),
    );
    await waitFor(() => enqueued.length >= 1, 5000, "the queue message");
    assert.equal(enqueued[0]!.kind, "podium.delivery");
    assert.equal(enqueued[0]!.channelId, RECORDS);
  } finally {
    await env.close();
    await listening;
  }
});
