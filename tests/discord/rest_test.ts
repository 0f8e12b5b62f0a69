import assert from "node:assert/strict";
import { apiRoot, createDiscordApi, type DiscordApi, DiscordError } from "@/discord/rest.ts";
import { DISCORD_ERRORS, type FakeDiscord, startFakeDiscord } from "@/tests/fakes/discord.ts";

const CH = "200000000000000001";

async function withFake(
  fn: (api: DiscordApi, discord: FakeDiscord) => Promise<void>,
  opts: Parameters<typeof startFakeDiscord>[0] = {},
  apiOpts: { timeoutMs?: number; retries?: number } = {},
): Promise<void> {
  const discord = await startFakeDiscord(opts);
  const api = createDiscordApi({
    token: discord.token,
    applicationId: discord.applicationId,
    apiBase: discord.apiBase,
    timeoutMs: apiOpts.timeoutMs ?? 1000,
    retries: apiOpts.retries ?? 1,
  });
  try {
    await fn(api, discord);
  } finally {
    await discord.close();
  }
}

async function rejects(p: Promise<unknown>): Promise<DiscordError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DiscordError, `expected a DiscordError, got ${err}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

Deno.test("apiRoot() accepts the base with or without /api", () => {
  assert.equal(apiRoot("https://discord.com"), "https://discord.com/api");
  assert.equal(apiRoot("https://discord.com/api/"), "https://discord.com/api");
});

Deno.test("createMessage() posts, with Discord's rate-limit headers, and the fake logs it", async () => {
  await withFake(async (api, discord) => {
    const msg = await api.createMessage(CH, {
      content: "@everyone look",
      embeds: [{ title: "Hi" }],
      allowed_mentions: { parse: [] },
    });
    assert.equal(msg.channel_id, CH);
    assert.equal(msg.mention_everyone, false);
    assert.equal(discord.messages.length, 1);
    assert.deepEqual(discord.messages[0]!.body.embeds, [{ title: "Hi" }]);
    const res = await fetch(`${discord.apiBase}/api/v10/channels/${CH}/messages/${msg.id}`, {
      headers: { authorization: `Bot ${discord.token}` },
    });
    await res.body?.cancel();
    assert.equal(res.headers.get("x-ratelimit-bucket"), "channel-messages");
    assert.ok(Number(res.headers.get("x-ratelimit-reset-after")) > 0);
    assert.equal(res.headers.get("x-ratelimit-limit"), "50");
  });
});

Deno.test("createMessage() with enforce_nonce returns the first message; deleted -> 404 10008", async () => {
  await withFake(async (api, discord) => {
    const body = { content: "x", nonce: "ann-1", enforce_nonce: true, allowed_mentions: { parse: [] } };
    const a = await api.createMessage(CH, body);
    const b = await api.createMessage(CH, body);
    assert.equal(a.id, b.id);
    assert.equal(discord.channelMessages(CH).length, 1);
    await api.deleteMessage(CH, a.id);
    const err = await rejects(api.createMessage(CH, body));
    assert.equal(err.status, 404);
    assert.equal(err.code, 10008);
    assert.equal(discord.messages.length, 1, "no second message");
  });
});

Deno.test("enforce_nonce forgets a nonce after its window", async () => {
  let t = Date.now();
  await withFake(async (api, discord) => {
    const body = { content: "x", nonce: "ann-2", enforce_nonce: true };
    await api.createMessage(CH, body);
    t += 6 * 60_000;
    await api.createMessage(CH, body);
    assert.equal(discord.messages.length, 2);
  }, { now: () => t });
});

Deno.test("a 500 is retried inside the call; a permanent error is not", async () => {
  await withFake(async (api, discord) => {
    discord.injectFailure({ failure: DISCORD_ERRORS.serverError, method: "POST" });
    await api.createMessage(CH, { content: "after a 500" });
    assert.deepEqual(discord.requests.map((r) => r.status), [500, 200]);
    discord.injectFailure({ failure: DISCORD_ERRORS.missingAccess });
    const err = await rejects(api.createMessage(CH, { content: "no" }));
    assert.equal(err.status, 403);
    assert.equal(err.code, 50001);
    assert.equal(err.outcomeUnknown, false);
  });
});

Deno.test("a short per-route 429 is waited out; a long or global one comes back with retryAfterMs", async () => {
  await withFake(async (api, discord) => {
    discord.injectFailure({ failure: { kind: "rate_limit", retryAfter: 0.2 } });
    const t0 = performance.now();
    await api.createMessage(CH, { content: "after 429" });
    assert.ok(performance.now() - t0 >= 150, "waited for the bucket's reset");
    assert.deepEqual(discord.requests.map((r) => r.status), [429, 200]);

    discord.injectFailure({ failure: { kind: "rate_limit", retryAfter: 30, global: true } });
    const t1 = performance.now();
    const err = await rejects(api.createMessage(CH, { content: "later" }));
    assert.ok(performance.now() - t1 < 3000, "did not hold the call open for 30 s");
    assert.equal(err.status, 429);
    assert.equal(err.global, true);
    assert.ok(err.retryAfterMs! >= 29_000);
    assert.equal(discord.channelMessages(CH).length, 1);
  });
});

Deno.test("a real bucket runs out: the fake answers 429 by itself and the client waits for the reset", async () => {
  await withFake(async (api, discord) => {
    await Promise.all([1, 2, 3].map((i) => api.createMessage(CH, { content: `m${i}` })));
    assert.equal(discord.channelMessages(CH).length, 3);
    assert.ok(discord.requests.filter((r) => r.status === 200).length === 3);
  }, { routeLimit: { limit: 2, windowMs: 500 } });
});

Deno.test("a hang ends in a DiscordError with status 0 after the timeouts", async () => {
  await withFake(
    async (api, discord) => {
      discord.injectFailure({ failure: { kind: "hang" }, times: 5 });
      const t0 = performance.now();
      const err = await rejects(api.getMessages(CH));
      assert.equal(err.status, 0);
      assert.equal(err.outcomeUnknown, true);
      assert.ok(performance.now() - t0 < 2000);
    },
    {},
    { timeoutMs: 300, retries: 1 },
  );
});

Deno.test("a lost response: the message exists, the caller learns nothing, the nonce retry gets it back", async () => {
  await withFake(async (api, discord) => {
    discord.injectFailure({ failure: { kind: "drop" }, method: "POST" });
    const body = { content: "once", nonce: "ann-3", enforce_nonce: true };
    const err = await rejects(api.createMessage(CH, body));
    assert.equal(err.outcomeUnknown, true);
    assert.equal(discord.messages.length, 1, "created although the answer was lost");
    const again = await api.createMessage(CH, body);
    assert.equal(again.id, discord.messages[0]!.id);
    assert.equal(discord.messages.length, 1);
  });
});

Deno.test("the fake refuses what Discord refuses: embed limits, unknown channels, a bad token", async () => {
  await withFake(async (api, discord) => {
    const err = await rejects(api.createMessage(CH, { embeds: [{ description: "x".repeat(4097) }] }));
    assert.equal(err.status, 400);
    assert.equal(err.code, 50035);
    assert.match(err.message, /description/);
    const total = await rejects(api.createMessage(CH, {
      embeds: [{ description: "x".repeat(4000) }, { description: "y".repeat(2500) }],
    }));
    assert.equal(total.code, 50035);
    const unknown = await rejects(api.createMessage("200000000000000999", { content: "?" }));
    assert.equal(unknown.code, 10003);
    const bad = createDiscordApi({
      token: "wrong",
      applicationId: discord.applicationId,
      apiBase: discord.apiBase,
    });
    assert.equal((await rejects(bad.getMessages(CH))).status, 401);
    assert.equal(discord.messages.length, 0);
  }, { channels: [CH] });
});

Deno.test("getMessages() lists newest first, with before and after", async () => {
  await withFake(async (api) => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api.createMessage(CH, { content: `m${i}` })).id);
    assert.deepEqual((await api.getMessages(CH, { limit: 2 })).map((m) => m.content), ["m4", "m3"]);
    assert.deepEqual((await api.getMessages(CH, { after: ids[2]! })).map((m) => m.content), ["m4", "m3"]);
    assert.deepEqual((await api.getMessages(CH, { before: ids[1]! })).map((m) => m.content), ["m0"]);
    const edited = await api.editMessage(CH, ids[0]!, { content: "edited" });
    assert.equal(edited.content, "edited");
    assert.ok(edited.edited_timestamp);
    assert.equal((await api.getMessage(CH, ids[0]!)).content, "edited");
  });
});

Deno.test("interaction webhooks and command overwrites", async () => {
  await withFake(async (api, discord) => {
    await api.editOriginal("tok-1", { content: "first" });
    const o = await api.editOriginal("tok-1", { content: "second" }, [
      { name: "chart.png", data: new Uint8Array([1, 2, 3]), contentType: "image/png" },
    ]);
    assert.equal(o.content, "second");
    assert.equal(o.attachments[0]?.filename, "chart.png");
    await api.followUp("tok-1", { content: "more", flags: 64 });
    assert.deepEqual(discord.messages.map((m) => [m.kind, m.interactionToken]), [
      ["original", "tok-1"],
      ["followup", "tok-1"],
    ]);
    const cmds = await api.putCommands([{ name: "records", description: "Track records" }]);
    assert.equal(cmds[0]?.name, "records");
    await api.putCommands([{ name: "pb", description: "Personal best" }], "300000000000000001");
    assert.equal(discord.commands.global?.length, 1);
    assert.equal(discord.commands.guilds.get("300000000000000001")?.length, 1);
  });
});
