/**
 * Editable announcements (discord/_deliver_one.ts): a renderer marked `editable` has its posts
 * remembered by subject, and the same announcement with `edit: true` edits that post with what
 * the store holds now (a round completed by a longer file) instead of posting again.
 */
import assert from "node:assert/strict";
import { addAnnouncements, listOutbox } from "@/kv/outbox.ts";
import { deliveryKeys } from "@/kv/keys.ts";
import { deliveryEnv, RESULTS, waitFor } from "@/tests/discord/_delivery_env.ts";

async function announce(
  kv: Deno.Kv,
  items: { type: string; [k: string]: unknown }[],
  at: number,
  source: string,
) {
  assert.ok((await addAnnouncements(kv.atomic(), items, new Date(at), source).commit()).ok);
}

async function env() {
  const shown = { text: "3 players" };
  const e = await deliveryEnv({
    delivery: {
      renderers: [{
        type: "round",
        channel: () => RESULTS,
        render: (_d, a) => Promise.resolve({ content: `Round ${a.id}: ${shown.text}` }),
        editable: true,
      }],
    },
  });
  return { ...e, shown };
}

Deno.test("delivery: an edit of a posted announcement edits that post, keeping its reference; no second post", async () => {
  const e = await env();
  try {
    await announce(e.kv, [{ type: "round", id: "r1" }], e.clock.t, "r1");
    e.delivery.kick();
    await waitFor(() => e.discord.channelMessages(RESULTS).length === 1);
    const before = String(e.discord.channelMessages(RESULTS)[0]!.body.content);
    assert.match(before, /^Round r1: 3 players\n-# ref [0-9a-f]{20}$/);

    e.shown.text = "6 players";
    await announce(e.kv, [{ type: "round", id: "r1", edit: true }], e.clock.t + 1000, "r1-completed");
    e.delivery.kick();
    await waitFor(() => e.discord.channelMessages(RESULTS)[0]!.edits === 1);
    await e.delivery.idle();
    const msgs = e.discord.channelMessages(RESULTS);
    assert.equal(msgs.length, 1, "edited, not posted again");
    const after = String(msgs[0]!.body.content);
    assert.match(after, /^Round r1: 6 players\n-# ref [0-9a-f]{20}$/);
    assert.equal(after.split("\n")[1], before.split("\n")[1], "the footer's reference stays");
    assert.equal((await listOutbox(e.kv)).length, 0);
  } finally {
    await e.close();
  }
});

Deno.test("delivery: an edit with nothing posted to edit (never posted, or deleted) posts nothing", async () => {
  const e = await env();
  try {
    await announce(e.kv, [{ type: "round", id: "never", edit: true }], e.clock.t, "never-completed");
    await announce(e.kv, [{ type: "round", id: "r2" }], e.clock.t + 1, "r2");
    e.delivery.kick();
    await waitFor(() => e.discord.channelMessages(RESULTS).length === 1);
    const [posted] = e.discord.channelMessages(RESULTS);
    assert.match(String(posted!.body.content), /^Round r2/);
    e.discord.deleteMessage(posted!.id);
    await announce(e.kv, [{ type: "round", id: "r2", edit: true }], e.clock.t + 2000, "r2-completed");
    e.delivery.kick();
    await e.delivery.idle();
    await waitFor(async () => (await listOutbox(e.kv)).length === 0);
    await e.delivery.idle();
    assert.equal(e.discord.channelMessages(RESULTS).length, 0, "the deleted post is not made again");
    assert.equal(
      (await Array.fromAsync(e.kv.list({ prefix: deliveryKeys.deadAll() }))).length,
      0,
      "no dead letter",
    );
  } finally {
    await e.close();
  }
});
