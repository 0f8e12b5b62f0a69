import assert from "node:assert/strict";
import type { APIEmbed } from "discord-api-types/v10";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import { etlMapResultRenderer, etlRoundRenderer, etlSessionRenderer } from "@/discord/et/announce.ts";
import { Importer } from "@/ingest/importer.ts";
import type { EtlAnnouncement } from "@/kv/etl/types.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { readSample, sampleTest } from "@/tests/_samples.ts";
import { deliveryEnv, waitFor } from "@/tests/discord/_delivery_env.ts";
import { importSamples } from "@/tests/etl/_etl.ts";

const ETL = "400000000000000009";
const R1 = "2025-10-17-231208-frostbite-round-1.txt", R2 = "2025-10-17-231411-frostbite-round-2.txt";

sampleTest(
  "a round post per round and the map result after round 2, delivered once each to the etl channel",
  async () => {
    const env = await deliveryEnv();
    try {
      (env.deps.config.discord.channels as { etl?: string }).etl = ETL;
      const imp = new Importer(env.kv, { announce: true, now: () => new Date(env.clock.t) });
      for (const name of [R1, R2, R1]) {
        await imp.importOne({ name, bytes: readSample(`etl/${name}`) });
        env.clock.t += 1000;
      }
      env.delivery.kick();
      await waitFor(() => env.discord.channelMessages(ETL).length === 3, 5000, "three posts");
      await env.delivery.idle();
      const posts = env.discord.channelMessages(ETL);
      assert.equal(posts.length, 3);
      const titles = posts.map((m) => ((m.body.embeds as APIEmbed[])[0]!).title);
      assert.deepEqual(titles, ["Round 1 · frostbite", "Round 2 · frostbite", "🗺️ frostbite · 0–2"]);
      for (const m of posts) assert.deepEqual(m.body.allowed_mentions, { parse: [] });
      assert.match(((posts[2]!.body.embeds as APIEmbed[])[0]!).description!, /R2 attackers 1:21 vs 5:07/);
      assert.equal((await listOutbox(env.kv)).length, 0);
    } finally {
      await env.close();
    }
  },
);

sampleTest(
  "an R2 that arrives first is posted as it is; its R1 brings the map result; the session summary once",
  async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      await importSamples(kv, [R2, R1], true);
      // Both imports share the test's fixed clock, so the outbox orders them by round id here.
      const anns = (await listOutbox<EtlAnnouncement>(kv)).map((o) => o.announcement);
      assert.deepEqual(anns.map((a) => a.type).sort(), ["etl_map_result", "etl_round", "etl_round"]);
      assert.equal((await etlSessionEnd({ kv }, new Date(Date.UTC(2025, 9, 18, 0, 30)))).status, "announced");
      const session = (await listOutbox<EtlAnnouncement>(kv)).map((o) => o.announcement)
        .filter((a) => a.type === "etl_session");
      assert.deepEqual(session, [{
        type: "etl_session",
        sessionId: "2025-10-17-231208",
        lastRoundId: "2025-10-17-231411-frostbite-r2",
      }]);
      // deno-lint-ignore no-explicit-any
      const deps = { kv, config: { servers: [], discord: { channels: { etl: ETL } } } } as any;
      const summary = await etlSessionRenderer.render(deps, session[0] as never);
      assert.match(summary.embeds![0]!.title!, /Session 2025-10-17/);
      // The evening's DPM chart, drawn server-side, rides along as a PNG.
      assert.equal(summary.embeds![0]!.image?.url, "attachment://session.png");
      const png = summary.files![0]!;
      assert.equal(png.name, "session.png");
      assert.deepEqual([...(png.data as Uint8Array).slice(1, 4)], [80, 78, 71]);
      assert.match(summary.embeds![0]!.description!, /⭐ MVP: \*\*/);
      assert.equal(etlSessionRenderer.channel(deps, session[0] as never), ETL);
      // Posts sort by when the rounds were played: R1, R2, map result, session.
      const keys = [
        etlRoundRenderer.orderKey!({ type: "etl_round", roundId: "2025-10-17-231208-frostbite-r1" }),
        etlRoundRenderer.orderKey!({ type: "etl_round", roundId: "2025-10-17-231411-frostbite-r2" }),
        etlMapResultRenderer.orderKey!({
          type: "etl_map_result",
          r1Id: "2025-10-17-231208-frostbite-r1",
          r2Id: "2025-10-17-231411-frostbite-r2",
        }),
        etlSessionRenderer.orderKey!(session[0] as never),
      ];
      assert.deepEqual(keys.slice().sort(), keys);
      await assert.rejects(
        etlRoundRenderer.render(deps, { type: "etl_round", roundId: "nope" }),
        /not stored/,
      );
    } finally {
      kv.close();
    }
  },
);
