import assert from "node:assert/strict";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { getSession, listSessions, stampOfId } from "@/kv/etl/sessions.ts";
import { etlSampleNames, importSamples } from "@/tests/etl/_etl.ts";

const SIXTY = {
  etl: {
    sessionSummaryAfterMinutes: 60,
    exclude: { restarts: true, bots: true, fillerMaps: [] },
    teamNames: {},
  },
};

sampleTest(
  "etlSessionEnd() announces an evening once, 60 minutes (as configured) after its last round",
  async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      // The evening of 2025-10-26 after the split: 21:39 to 23:10 (server time, read as UTC).
      const evening = etlSampleNames().filter((n) =>
        n.startsWith("2025-10-26-2") && n >= "2025-10-26-213907"
      );
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
      assert.equal((await etlSessionEnd({ kv, config: SIXTY }, at(59))).status, "running");
      assert.deepEqual(await etlSessionEnd({ kv, config: SIXTY }, at(60)), {
        status: "announced",
        sessionId: "2025-10-26-213907",
      });
      assert.deepEqual(await etlSessionEnd({ kv, config: SIXTY }, at(65)), {
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
  },
);

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

Deno.test("etlSessionEnd() posts 30 minutes after the last round by default, and again when the session grows", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const files = [...generateEtlFiles(4, { seed: 9, perRound: 6, players: 12 })];
    const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
    const enc = new TextEncoder();
    for (const f of files.slice(0, 2)) await imp.importOne({ name: f.name, bytes: enc.encode(f.text) });
    const end = (f: { name: string }) =>
      Date.parse(
        f.name.slice(0, 10) + "T" + f.name.slice(11, 13) + ":" + f.name.slice(13, 15) + ":" +
          f.name.slice(15, 17) + "Z",
      );
    const at = (f: { name: string }, min: number) => new Date(end(f) + min * 60_000);
    assert.equal((await etlSessionEnd({ kv }, at(files[1]!, 29))).status, "running");
    assert.equal((await etlSessionEnd({ kv }, at(files[1]!, 30))).status, "announced");
    assert.equal((await etlSessionEnd({ kv }, at(files[1]!, 35))).status, "posted-before");
    // Two more rounds join the same evening: its summary is posted again, once.
    for (const f of files.slice(2)) await imp.importOne({ name: f.name, bytes: enc.encode(f.text) });
    assert.equal((await etlSessionEnd({ kv }, at(files[3]!, 31))).status, "announced");
    assert.equal((await etlSessionEnd({ kv }, at(files[3]!, 40))).status, "posted-before");
    const posts = (await listOutbox<{ type: string }>(kv)).filter((i) =>
      i.announcement.type === "etl_session"
    );
    assert.equal(posts.length, 2);
  } finally {
    kv.close();
  }
});

Deno.test("getSession() reads one session from its start, and only a session's first round names it", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const files = [...generateEtlFiles(45, { seed: 3, perRound: 6, players: 12 })];
    const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
    for (const f of files) await imp.importOne({ name: f.name, bytes: new TextEncoder().encode(f.text) });
    const all = await listSessions(kv);
    assert.equal(all.length, 3);
    for (const s of all) {
      const got = await getSession(kv, s.id);
      assert.deepEqual(got?.rounds.map((r) => r.id), s.rounds.map((b) => b.id));
    }
    assert.equal(await getSession(kv, stampOfId(all[1]!.rounds[1]!.id)), null);
    assert.equal(await getSession(kv, "2024-01-01-000000"), null);
    assert.equal(await getSession(kv, "nope"), null);
  } finally {
    kv.close();
  }
});
