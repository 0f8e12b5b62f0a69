/** The ET:Legacy session-end cron on generated files: what tests/etl/cron_test.ts checks on the samples. */
import assert from "node:assert/strict";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import { Importer } from "@/ingest/importer.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { etlQuirks } from "@/fixtures/etl_quirks.ts";

Deno.test("etlSessionEnd() on generated files: a backfilled evening is stale; two runs at once announce once", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
    // R1 at 23:53, R2 at 00:00:43 the next day.
    for (const f of etlQuirks().midnight!) {
      await imp.importOne({ name: f.name, bytes: new TextEncoder().encode(f.text) });
    }
    assert.equal((await etlSessionEnd({ kv }, new Date("2026-01-05T12:00:00Z"))).status, "stale");
    const now = new Date(Date.UTC(2025, 5, 4, 1, 30));
    const both = await Promise.all([etlSessionEnd({ kv }, now), etlSessionEnd({ kv }, now)]);
    assert.deepEqual(both.map((r) => r.status).sort(), ["announced", "posted-before"]);
    assert.equal((await listOutbox(kv)).filter((o) => o.announcement.type === "etl_session").length, 1);
  } finally {
    kv.close();
  }
});
