/**
 * Run by tests/etl/chart_fallback_test.ts under a Deno config without `raw-imports` (as on a host
 * that refuses the renderer's imports): imports a generated evening and renders its session
 * summary twice, printing the two messages as JSON on stdout.
 */
import { etlSessionRenderer } from "@/discord/et/announce.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { loadConfig } from "@/config.ts";

const kv = await Deno.openKv(":memory:");
const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
for (const f of generateEtlFiles(6, { seed: 3, players: 8, perRound: 4 })) {
  await imp.importOne({ name: f.name, bytes: new TextEncoder().encode(f.text) });
}
const s = (await listSessions(kv)).at(-1)!;
const deps = { kv, config: loadConfig(() => undefined) };
const out = [];
for (let i = 0; i < 2; i++) {
  const a = { type: "etl_session" as const, sessionId: s.id, lastRoundId: s.rounds.at(-1)!.id };
  out.push(await etlSessionRenderer.render(deps as never, a as never));
}
console.log(JSON.stringify(out));
kv.close();
