import assert from "node:assert/strict";
import type { APIEmbed } from "discord-api-types/v10";
import { deliveryStatus, requeueDeadLetters } from "@/discord/delivery.ts";
import { deliveryKeys } from "@/kv/keys.ts";
import { addAnnouncements, listOutbox } from "@/kv/outbox.ts";
import { session } from "@/tests/_fixtures.ts";
import { DISCORD_ERRORS } from "@/tests/fakes/discord.ts";
import { deliveryEnv, RECORDS, RESULTS, waitFor } from "@/tests/discord/_delivery_env.ts";

const embedOf = (body: Record<string, unknown>) => (body.embeds as APIEmbed[])[0]!;

Deno.test("delivery posts a track record once, with nonce, allowed_mentions and the reference; status shows it", async () => {
  const env = await deliveryEnv();
  try {
    await env.store(
      session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", name: "Ann", laps: [100_000] }] }),
    );
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 1, 5000, "the post");
    await env.delivery.idle();
    const [m] = env.discord.channelMessages(RECORDS);
    assert.deepEqual(m!.body.allowed_mentions, { parse: [] });
    assert.equal(m!.body.enforce_nonce, true);
    assert.equal(typeof m!.body.nonce, "string");
    const e = embedOf(m!.body);
    assert.match(e.title!, /New track record/);
    assert.match(e.footer!.text, new RegExp(`ref ${m!.nonce}`));
    const status = await deliveryStatus(env.kv);
    assert.equal(status.pending, 0);
    assert.equal(status.deadLetterCount, 0);
    assert.equal(status.lastDelivered?.messageId, m!.id);
    assert.equal(status.lastDelivered?.type, "track_record");
    assert.equal((await listOutbox(env.kv)).length, 0);
  } finally {
    await env.close();
  }
});

Deno.test("delivery: a lap that sets the overall and its class record makes one post", async () => {
  const env = await deliveryEnv();
  try {
    await env.store(
      session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000], cls: "GT3" }] }),
    );
    await waitFor(() => env.discord.channelMessages(RECORDS).length >= 1);
    await env.delivery.idle();
    assert.equal(env.discord.channelMessages(RECORDS).length, 1);
  } finally {
    await env.close();
  }
});

Deno.test("delivery: race results go to the results channel, other domains' types through their renderer", async () => {
  const env = await deliveryEnv({
    delivery: {
      renderers: [
        {
          type: "et_match",
          channel: () => RESULTS,
          render: (_d, a) => Promise.resolve({ content: `Match ${a.map} @everyone` }),
        },
      ],
    },
  });
  try {
    await env.kv.atomic().check({ key: ["x"], versionstamp: null }).set(["x"], 1).commit();
    const op = addAnnouncements(
      env.kv.atomic(),
      [{ type: "et_match", map: "supply" }],
      new Date(env.clock.t),
      "m1",
    );
    assert.ok((await op.commit()).ok);
    env.delivery.kick();
    await waitFor(() => env.discord.channelMessages(RESULTS).length === 1);
    const [m] = env.discord.channelMessages(RESULTS);
    assert.match(String(m!.body.content), /^Match supply @everyone\n-# ref [0-9a-f]{20}$/);
    assert.equal(m!.mentionEveryone, false, "@everyone pinged nobody");
  } finally {
    await env.close();
  }
});

Deno.test("delivery: a lost response (message created, connection dropped) never makes a second post", async () => {
  const env = await deliveryEnv();
  try {
    env.discord.injectFailure({ failure: { kind: "drop" }, method: "POST" });
    await env.store(session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
    await waitFor(async () => (await deliveryStatus(env.kv)).lastDelivered !== null, 5000, "delivery");
    assert.equal(env.discord.messages.length, 1);
    const status = await deliveryStatus(env.kv);
    assert.equal(status.lastDelivered?.messageId, env.discord.messages[0]!.id);
    assert.ok(env.discord.requests.filter((r) => r.method === "POST").length >= 2, "it was retried");
  } finally {
    await env.close();
  }
});

Deno.test("delivery: past the nonce window, a retry finds the earlier post by its reference instead of posting", async () => {
  const env = await deliveryEnv({ api: { timeoutMs: 200 }, delivery: { nonceWindowMs: 60_000 } });
  try {
    env.discord.injectFailure({ failure: { kind: "hang", afterCreate: true }, method: "POST" });
    await env.store(session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
    // The message exists but its answer hangs: the outcome is unknown until the request times out.
    await waitFor(() => env.discord.messages.length === 1);
    assert.equal((await deliveryStatus(env.kv)).lastDelivered, null, "outcome unknown, not yet delivered");
    // The hub was down for ten minutes before it could retry: Discord (and the fake) forgot the nonce.
    env.clock.t += 10 * 60_000;
    env.delivery.kick();
    await waitFor(async () => (await deliveryStatus(env.kv)).lastDelivered !== null, 5000, "delivery");
    assert.equal(env.discord.messages.length, 1, "no second post");
    assert.ok(env.discord.requests.some((r) => r.method === "GET"), "it searched the channel");
  } finally {
    await env.close();
  }
});

Deno.test("delivery: the nonce's message deleted meanwhile (404 10008) counts as delivered", async () => {
  const env = await deliveryEnv({ api: { timeoutMs: 200 } });
  try {
    env.discord.injectFailure({ failure: { kind: "hang", afterCreate: true }, method: "POST" });
    await env.store(session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
    await waitFor(() => env.discord.messages.length === 1);
    env.discord.deleteMessage(env.discord.messages[0]!.id);
    await waitFor(async () => (await deliveryStatus(env.kv)).lastDelivered !== null, 5000, "delivery");
    assert.equal(env.discord.messages.length, 1);
    assert.equal((await deliveryStatus(env.kv)).lastDelivered?.messageId, null);
  } finally {
    await env.close();
  }
});

Deno.test("delivery: 500s are retried with backoff until Discord answers", async () => {
  const env = await deliveryEnv();
  try {
    env.discord.injectFailure({ failure: DISCORD_ERRORS.serverError, method: "POST", times: 3 });
    await env.store(session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 1, 8000, "the post");
    assert.deepEqual(env.discord.requests.filter((r) => r.method === "POST").map((r) => r.status), [
      500,
      500,
      500,
      200,
    ]);
  } finally {
    await env.close();
  }
});

Deno.test("delivery: a permanent refusal is a dead letter with its reason; the next post still goes", async () => {
  const env = await deliveryEnv();
  try {
    env.discord.injectFailure({ failure: DISCORD_ERRORS.missingAccess, method: "POST" });
    await env.store(session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
    await env.store(session({ at: "2026-01-02T20:00:00Z", cars: [{ driver: "B", laps: [99_000] }] }));
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 1);
    await env.delivery.idle();
    const status = await deliveryStatus(env.kv);
    assert.equal(status.deadLetterCount, 1);
    assert.match(status.deadLetters[0]!.reason, /403: Missing Access/);
    assert.equal(status.deadLetters[0]!.type, "track_record");
    assert.equal(status.pending, 0);
    const dead = await Array.fromAsync(env.kv.list({ prefix: deliveryKeys.deadAll() }));
    assert.equal(dead.length, 1);
  } finally {
    await env.close();
  }
});

Deno.test("delivery: a type with no configured channel is a dead letter saying so; requeued, it goes", async () => {
  const env = await deliveryEnv();
  try {
    env.deps.config.discord.channels = {};
    await env.store(session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
    await waitFor(async () => (await deliveryStatus(env.kv)).deadLetterCount === 1);
    const status = await deliveryStatus(env.kv);
    assert.match(status.deadLetters[0]!.reason, /no Discord channel is configured for "track_record"/);
    // The admin configures the channel; the dead letter is put back and delivered.
    env.deps.config.discord.channels = { records: RECORDS };
    assert.equal(await requeueDeadLetters(env.kv), 1);
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 1, 5000, "the requeued post");
    assert.equal((await deliveryStatus(env.kv)).deadLetterCount, 0);
  } finally {
    await env.close();
  }
});
