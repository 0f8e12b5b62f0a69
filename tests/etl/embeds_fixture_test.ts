/** ET:Legacy embeds over generated rounds: what tests/etl/embeds_test.ts checks on a real evening. */
import assert from "node:assert/strict";
import type { APIEmbed } from "discord-api-types/v10";
import { mapResultEmbed, roundEmbed, sessionEmbed } from "@/discord/et/embeds.ts";
import { Importer } from "@/ingest/importer.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { getRoundView, getSessionView } from "@/kv/etl/views.ts";
import { etlQuirks } from "@/fixtures/etl_quirks.ts";

function assertWithinLimits(e: APIEmbed): void {
  assert.ok((e.title ?? "").length <= 256);
  assert.ok((e.description ?? "").length <= 4096);
  assert.ok((e.fields ?? []).length <= 25);
  let total = (e.title ?? "").length + (e.description ?? "").length + (e.footer?.text ?? "").length;
  for (const f of e.fields ?? []) {
    assert.ok(f.name.length <= 256 && f.value.length <= 1024 && f.value.length > 0, f.name);
    total += f.name.length + f.value.length;
  }
  assert.ok(total <= 6000, `embed of ${total} characters`);
}

Deno.test("roundEmbed(), mapResultEmbed() and sessionEmbed() on a generated evening stay within Discord's limits", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const q = etlQuirks();
    const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
    for (const f of [...q.threeTimes!, ...q.bogusOrphan!]) {
      await imp.importOne({ name: f.name, bytes: new TextEncoder().encode(f.text) });
    }
    const id = (n: string) => n.replace(/-round-(\d)\.txt$/, "-r$1");
    const r1 = (await getRoundView(kv, id(q.threeTimes![0]!.name)))!;
    const r2 = (await getRoundView(kv, id(q.threeTimes![1]!.name)))!;
    const e1 = roundEmbed(r1), e2 = roundEmbed(r2);
    assertWithinLimits(e1);
    assertWithinLimits(e2);
    assert.equal(e1.title, "Round 1 · etl\\_sp\\_delivery");
    assert.match(e2.description!, /round 2 alone/);
    assert.ok(e1.footer!.text.endsWith(q.threeTimes![0]!.name));
    const orphan = (await getRoundView(kv, id(q.bogusOrphan![0]!.name)))!;
    assert.match(roundEmbed(orphan).description!, /No round 1 found/);
    const map = mapResultEmbed(r1, r2, "R2 attackers 4:26 vs 7:31", [0, 2]);
    assertWithinLimits(map);
    assert.match(map.title!, /0–2/);
    const session = (await listSessions(kv)).find((s) => s.rounds.length === 6)!;
    const se = sessionEmbed((await getSessionView(kv, session.id))!);
    assertWithinLimits(se);
    assert.match(se.description!, /\*\*\d+ – \d+\*\*/);
  } finally {
    kv.close();
  }
});
