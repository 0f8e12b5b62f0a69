import assert from "node:assert/strict";
import type { APIEmbed } from "discord-api-types/v10";
import { deliveryStatus } from "@/discord/delivery.ts";
import { session } from "@/tests/_fixtures.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { fromFileUrl } from "@/tests/_path.ts";
import { DISCORD_ERRORS } from "@/tests/fakes/discord.ts";
import { deliveryEnv, RECORDS, RESULTS, waitFor } from "@/tests/discord/_delivery_env.ts";
import { messageLimitError } from "@/tests/fakes/_discord_limits.ts";
import { standingsLines } from "@/discord/racing/announce_embeds.ts";

const embedsOf = (body: Record<string, unknown>) => body.embeds as APIEmbed[];
const posts = (
  env: { discord: { requests: { method: string; path: string; status: number; at: number }[] } },
) => env.discord.requests.filter((r) => r.method === "POST");

Deno.test("hostile names: @everyone pings nobody, ** and <script> arrive as text", async () => {
  const env = await deliveryEnv();
  try {
    await env.store(session({
      at: "2026-01-01T20:00:00Z",
      kind: "R",
      cars: [
        { driver: "A", name: "@everyone", laps: [100_000, 99_000] },
        { driver: "B", name: "**bold** <script>alert(1)</script>", laps: [101_000, 100_500] },
      ],
    }));
    await waitFor(() => env.discord.channelMessages(RESULTS).length === 1);
    await env.delivery.idle();
    for (const m of env.discord.messages) {
      assert.deepEqual(m.body.allowed_mentions, { parse: [] });
      assert.equal(m.mentionEveryone, false);
    }
    const text = JSON.stringify(embedsOf(env.discord.channelMessages(RESULTS)[0]!.body));
    assert.match(text, /@everyone/);
    assert.match(text, /\\\\\*\\\\\*bold\\\\\*\\\\\* \\\\<script\\\\>alert\(1\)\\\\<\/script\\\\>/);
  } finally {
    await env.close();
  }
});

Deno.test("a 7,000-character standings list is delivered cut, never refused by Discord", async () => {
  const env = await deliveryEnv();
  try {
    const cars = Array.from({ length: 80 }, (_, i) => ({
      driver: `D${i}`,
      name: `Driver ${i} ${"w".repeat(56)}`,
      laps: [100_000 + i * 10, 100_000 + i * 10],
    }));
    const race = session({ at: "2026-01-01T20:00:00Z", kind: "R", cars });
    assert.ok(standingsLines(race.cars).join("\n").length > 7000);
    await env.store(race);
    await waitFor(() => env.discord.channelMessages(RESULTS).length === 1);
    await env.delivery.idle();
    const body = env.discord.channelMessages(RESULTS)[0]!.body;
    assert.equal(messageLimitError(body), null);
    assert.match(embedsOf(body)[0]!.description!, /\.\.\. and \d+ more$/);
    assert.equal((await deliveryStatus(env.kv)).deadLetterCount, 0);
  } finally {
    await env.close();
  }
});

Deno.test("per channel, posts arrive in the order the sessions happened, despite a retry and concurrent handlers", async () => {
  const env = await deliveryEnv();
  try {
    env.discord.injectFailure({ failure: DISCORD_ERRORS.serverError, method: "POST" });
    // Imported newest first (a backfill walks folders in any order), each the first record of its track.
    const days = [6, 5, 4, 3, 2, 1];
    await env.store(
      ...days.map((d) =>
        session({
          at: `2026-01-0${d}T20:00:00Z`,
          track: `track${d}`,
          cars: [{ driver: "A", laps: [100_000] }],
        })
      ),
    );
    for (let i = 0; i < 5; i++) env.delivery.kick();
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 6, 8000, "six posts");
    const order = env.discord.channelMessages(RECORDS).map((m) => embedsOf(m.body)[0]!.timestamp);
    assert.deepEqual(order, days.toReversed().map((d) => `2026-01-0${d}T20:00:00.000Z`));
  } finally {
    await env.close();
  }
});

Deno.test("429 per route: the channel waits retry_after, then posts once, in order", async () => {
  const env = await deliveryEnv();
  try {
    env.discord.injectFailure({ failure: { kind: "rate_limit", retryAfter: 1 }, method: "POST" });
    await env.store(
      session({ at: "2026-01-01T20:00:00Z", track: "t1", cars: [{ driver: "A", laps: [100_000] }] }),
      session({ at: "2026-01-02T20:00:00Z", track: "t2", cars: [{ driver: "A", laps: [100_000] }] }),
    );
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 2, 6000, "two posts");
    const p = posts(env);
    assert.equal(p[0]!.status, 429);
    assert.ok(p[1]!.at - p[0]!.at >= 900, `waited ${p[1]!.at - p[0]!.at} ms`);
    assert.equal(env.discord.messages.length, 2);
  } finally {
    await env.close();
  }
});

Deno.test("429 global: every channel waits, not only the one that hit it", async () => {
  const env = await deliveryEnv();
  try {
    env.discord.injectFailure({
      failure: { kind: "rate_limit", retryAfter: 1, global: true },
      method: "POST",
    });
    await env.store(session({ at: "2026-01-01T20:00:00Z", cars: [{ driver: "A", laps: [100_000] }] }));
    await waitFor(() => posts(env).length === 1);
    await env.store(
      session({
        at: "2026-01-02T20:00:00Z",
        kind: "R",
        track: "spa",
        cars: [{ driver: "B", laps: [100_000] }],
      }),
    );
    await waitFor(() => env.discord.channelMessages(RESULTS).length === 1, 6000, "the result");
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 2, 6000, "both records");
    const p = posts(env);
    const limitedAt = p[0]!.at;
    assert.equal(p[0]!.status, 429);
    assert.ok(p.slice(1).every((r) => r.at - limitedAt >= 900), "nothing was sent during the global limit");
  } finally {
    await env.close();
  }
});

Deno.test("a restart mid-queue: an unknown outcome before the crash, still exactly one post each after it", async () => {
  const dir = await Deno.makeTempDir();
  const env = await deliveryEnv({ kvPath: `${dir}/kv.sqlite`, api: { timeoutMs: 200 } });
  try {
    env.discord.injectFailure({ failure: { kind: "hang", afterCreate: true }, method: "POST" });
    await env.store(
      session({ at: "2026-01-01T20:00:00Z", track: "t1", cars: [{ driver: "A", laps: [100_000] }] }),
      session({ at: "2026-01-02T20:00:00Z", track: "t2", cars: [{ driver: "A", laps: [100_000] }] }),
    );
    await waitFor(() => env.discord.messages.length === 1);
    await env.restart({ retryBaseMs: 60_000 }); // the old process's backoff timers are gone with it
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 2, 8000, "both posts");
    await env.delivery.idle();
    assert.equal(env.discord.messages.length, 2, "the post whose answer was lost was not repeated");
    const status = await deliveryStatus(env.kv);
    assert.equal(status.pending, 0);
  } finally {
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a CLI import in another process is delivered by the running server within seconds, not 60", async () => {
  const dir = await Deno.makeTempDir();
  const kvPath = `${dir}/kv.sqlite`;
  const env = await deliveryEnv({ kvPath, delivery: { pollMs: 100 } });
  try {
    await Deno.writeFile(
      `${dir}/260101_200000_Q.json`,
      accFile({ cars: [{ playerId: "S1", laps: [100_000] }] }),
    );
    const t0 = Date.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        fromFileUrl(new URL("../../ingest/cli.ts", import.meta.url)),
        `${dir}/260101_200000_Q.json`,
      ],
      env: { PODIUM_KV: kvPath, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    await waitFor(() => env.discord.channelMessages(RECORDS).length === 1, 15_000, "the backfill's post");
    const ms = Date.now() - t0;
    assert.ok(ms < 15_000, `delivered after ${ms} ms`);
  } finally {
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});
