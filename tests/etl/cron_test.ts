import assert from "node:assert/strict";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames, importSamples } from "@/tests/etl/_etl.ts";

sampleTest("etlSessionEnd() announces an evening once, 60 minutes after its last round", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    // The evening of 2025-10-26 after the split: 21:39 to 23:10 (server time, read as UTC).
    const evening = etlSampleNames().filter((n) => n.startsWith("2025-10-26-2") && n >= "2025-10-26-213907");
    await importSamples(kv, evening);
    const last = evening.at(-1)!;
    const lastAt = Date.UTC(
      2025,
      9,
      26,
      Number(last.slice(11, 13)),
      Number(last.slice(13, 15)),
      Number(last.slice(15, 17)),
    );
    const at = (min: number) => new Date(lastAt + min * 60_000);
    assert.equal((await etlSessionEnd({ kv }, at(59))).status, "running");
    assert.deepEqual(await etlSessionEnd({ kv }, at(60)), {
      status: "announced",
      sessionId: "2025-10-26-213907",
    });
    assert.deepEqual(await etlSessionEnd({ kv }, at(65)), {
      status: "posted-before",
      sessionId: "2025-10-26-213907",
    });
    const posts = (await listOutbox(kv)).filter((o) => o.announcement.type === "etl_session");
    assert.equal(posts.length, 1);
    assert.deepEqual(posts[0]!.announcement, {
      type: "etl_session",
      sessionId: "2025-10-26-213907",
      lastRoundId: last.replace(/-round-(\d)\.txt$/, "-r$1"),
    });
  } finally {
    kv.close();
  }
});

sampleTest(
  "etlSessionEnd() never announces a backfilled evening, and two runs at once announce once",
  async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      await importSamples(kv, [
        "2025-10-19-235307-etl_adlernest-round-1.txt",
        "2025-10-20-000043-etl_adlernest-round-2.txt",
      ]);
      assert.equal((await etlSessionEnd({ kv }, new Date("2026-01-05T12:00:00Z"))).status, "stale");
      const now = new Date(Date.UTC(2025, 9, 20, 1, 30));
      const both = await Promise.all([etlSessionEnd({ kv }, now), etlSessionEnd({ kv }, now)]);
      assert.deepEqual(both.map((r) => r.status).sort(), ["announced", "posted-before"]);
      assert.equal((await listOutbox(kv)).filter((o) => o.announcement.type === "etl_session").length, 1);
    } finally {
      kv.close();
    }
  },
);
