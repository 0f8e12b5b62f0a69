import assert from "node:assert/strict";
import { claimNumber, releaseNumber } from "@/kv/numbers/claims.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import { deliveryEnv, waitFor } from "@/tests/discord/_delivery_env.ts";

const GUILD = "300000000000000001";
const CHANNEL = "400000000000000009";
const u = (i: number) => `2000000000000000${String(i).padStart(2, "0")}`;

Deno.test("numbers announcements reach the fake Discord once each: 20 racing claims, one post; then the release", async () => {
  const env = await deliveryEnv();
  try {
    const now = new Date(env.clock.t);
    await saveSettings(env.kv, GUILD, { channelId: CHANNEL }, u(99), now);
    const outcomes = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => claimNumber(env.kv, { guildId: GUILD, userId: u(i), number: "42" }, now),
      ),
    );
    const winner = outcomes.find((o) => o.ok);
    assert.ok(winner?.ok);
    env.delivery.kick();
    const posts = () => env.discord.messages.filter((m) => m.channelId === CHANNEL && !m.deleted);
    await waitFor(() => posts().length === 1, 5000, "the claim's post");
    assert.match(
      String(posts()[0]!.body.content),
      new RegExp(`<@${winner.claim.userId}> claimed \\*\\*#42\\*\\*`),
    );
    assert.deepEqual(posts()[0]!.body.allowed_mentions, { parse: [] });

    await releaseNumber(env.kv, { guildId: GUILD, actorId: u(99), number: "42", force: true }, now);
    env.delivery.kick();
    await waitFor(() => posts().length === 2, 5000, "the release's post");
    assert.match(String(posts()[1]!.body.content), /\*\*#42\*\* is free again: an admin released it/);
    // Kicked again with nothing new: nothing more is posted.
    env.delivery.kick();
    await env.delivery.idle();
    assert.equal(posts().length, 2);
  } finally {
    await env.close();
  }
});
