import assert from "node:assert/strict";
import { ETL_RENDERERS } from "@/discord/et/announce.ts";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import type { EtlAnnouncement } from "@/kv/etl/types.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { importSamples } from "@/tests/etl/_etl.ts";

const deps = (kv: Deno.Kv) => ({ kv, config: { discord: { channels: { etl: "123456789012345678" } } } });

async function render(kv: Deno.Kv, ann: EtlAnnouncement) {
  const r = ETL_RENDERERS.find((x) => x.type === ann.type)!;
  // deno-lint-ignore no-explicit-any
  return { channel: r.channel(deps(kv), ann as any), message: await r.render(deps(kv), ann as any) };
}

sampleTest(
  "a round post per round and the map result after round 2, through the outbox, exactly once",
  async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      const r1 = "2025-10-17-231208-frostbite-round-1.txt", r2 = "2025-10-17-231411-frostbite-round-2.txt";
      await importSamples(kv, [r1, r2, r1], true);
      const anns = (await listOutbox(kv)).map((o) => o.announcement as EtlAnnouncement);
      assert.deepEqual(anns, [
        { type: "etl_round", roundId: "2025-10-17-231208-frostbite-r1" },
        { type: "etl_round", roundId: "2025-10-17-231411-frostbite-r2" },
        {
          type: "etl_map_result",
          r1Id: "2025-10-17-231208-frostbite-r1",
          r2Id: "2025-10-17-231411-frostbite-r2",
        },
      ]);
      for (const ann of anns) {
        const { channel, message } = await render(kv, ann);
        assert.equal(channel, "123456789012345678");
        assert.deepEqual(message.allowed_mentions, { parse: [] });
        assert.equal(message.embeds.length, 1);
      }
      const map = await render(kv, anns[2]!);
      assert.match(map.message.embeds[0]!.title!, /frostbite · 0–2/);
      assert.match(map.message.embeds[0]!.description!, /R2 attackers 1:21 vs 5:07/);
    } finally {
      kv.close();
    }
  },
);

sampleTest("an R2 that arrives first is posted as it is; its R1 brings the map result", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await importSamples(kv, [
      "2025-10-17-231411-frostbite-round-2.txt",
      "2025-10-17-231208-frostbite-round-1.txt",
    ], true);
    // Both imports share the test's fixed clock, so the outbox orders them by round id here.
    const types = (await listOutbox(kv)).map((o) => o.announcement.type).sort();
    assert.deepEqual(types, ["etl_map_result", "etl_round", "etl_round"]);
    const { message } = await render(kv, { type: "etl_session", sessionId: "2025-10-17-231208" });
    assert.match(message.embeds[0]!.title!, /Session 2025-10-17/);
    assert.equal((await etlSessionEnd({ kv }, new Date(Date.UTC(2025, 9, 18, 0, 30)))).status, "announced");
    const session = (await listOutbox(kv)).filter((o) => o.announcement.type === "etl_session");
    assert.deepEqual(session.map((o) => o.announcement), [{
      type: "etl_session",
      sessionId: "2025-10-17-231208",
    }]);
    const none = await render(kv, { type: "etl_round", roundId: "nope" });
    assert.match(none.message.embeds[0]!.description!, /no longer stored/);
  } finally {
    kv.close();
  }
});
