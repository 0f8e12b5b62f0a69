/** ET:Legacy posts on generated files: what tests/etl/announce_test.ts checks on the samples. */
import assert from "node:assert/strict";
import type { APIEmbed } from "discord-api-types/v10";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import { etlSessionRenderer } from "@/discord/et/announce.ts";
import { Importer } from "@/ingest/importer.ts";
import type { EtlAnnouncement } from "@/kv/etl/types.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { etlQuirks } from "@/fixtures/etl_quirks.ts";
import { deliveryEnv, waitFor } from "@/tests/discord/_delivery_env.ts";

const ETL = "400000000000000009";
// frostbite: R1 at 2025-06-03 22:30, R2 ten minutes later.
const [R1, R2] = etlQuirks().reconnect!;
const te = new TextEncoder();
const item = (f: typeof R1) => ({ name: f!.name, bytes: te.encode(f!.text) });

Deno.test("generated pair: a post per round and the map result after R2, delivered once each to the etl channel", async () => {
  const env = await deliveryEnv();
  try {
    (env.deps.config.discord.channels as { etl?: string }).etl = ETL;
    const imp = new Importer(env.kv, { announce: true, now: () => new Date(env.clock.t) });
    for (const f of [R1, R2, R1]) {
      await imp.importOne(item(f));
      env.clock.t += 1000;
    }
    env.delivery.kick();
    await waitFor(() => env.discord.channelMessages(ETL).length === 3, 5000, "three posts");
    await env.delivery.idle();
    const posts = env.discord.channelMessages(ETL);
    assert.equal(posts.length, 3);
    const titles = posts.map((m) => ((m.body.embeds as APIEmbed[])[0]!).title!);
    assert.deepEqual(titles.slice(0, 2), ["Round 1 · frostbite", "Round 2 · frostbite"]);
    assert.match(titles[2]!, /^🗺️ frostbite · \d–\d$/);
    for (const m of posts) assert.deepEqual(m.body.allowed_mentions, { parse: [] });
    assert.equal((await listOutbox(env.kv)).length, 0);
  } finally {
    await env.close();
  }
});

Deno.test("generated pair: an R2 first is posted as it is; its R1 brings the map result; the session summary once", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const imp = new Importer(kv, { announce: true, now: () => new Date("2026-01-05T12:00:00Z") });
    for (const f of [R2, R1]) await imp.importOne(item(f));
    const anns = (await listOutbox<EtlAnnouncement>(kv)).map((o) => o.announcement);
    assert.deepEqual(anns.map((a) => a.type).sort(), ["etl_map_result", "etl_round", "etl_round"]);
    const at = new Date(Date.UTC(2025, 5, 3, 23, 40));
    assert.equal((await etlSessionEnd({ kv }, at)).status, "announced");
    assert.equal((await etlSessionEnd({ kv }, at)).status, "posted-before");
    const session = (await listOutbox<EtlAnnouncement>(kv)).map((o) => o.announcement)
      .filter((a) => a.type === "etl_session");
    assert.equal(session.length, 1);
    // deno-lint-ignore no-explicit-any
    const deps = { kv, config: { servers: [], discord: { channels: { etl: ETL } } } } as any;
    const summary = await etlSessionRenderer.render(deps, session[0] as never);
    assert.match(summary.embeds![0]!.title!, /Session 2025-06-03/);
  } finally {
    kv.close();
  }
});
