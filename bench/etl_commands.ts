/**
 * ET:Legacy commands (`deno task bench --only etl-commands`, or `deno run -A bench/etl_commands.ts`):
 * `/et rank`, `/et matchup`, `/et awards <player>` (the awards of every round of theirs counted)
 * and the session summary (what its post renders: the session read, shaped and turned into the
 * embed) p50/p99 on a store of 3,000 generated rounds of 200 players, each round with its endstats
 * file, 50 players with a display name, beside one KV get measured in the same loop.
 * Figures for README and docs/etl.md, not a timed test.
 */
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { endstatsFor, playersOf } from "@/fixtures/gen_etl_endstats.ts";
import { Importer, type ImportItem } from "@/ingest/importer.ts";
import { etAwards, etMatchup, etRank } from "@/discord/et/more.ts";
import { getRoundAwards, listEndstats } from "@/kv/etl/endstats.ts";
import { kvReader } from "@/kv/reader.ts";
import { sessionEmbed } from "@/discord/et/embeds.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { getSessionView } from "@/kv/etl/views.ts";
import { listEtlPlayers } from "@/kv/etl/players.ts";
import { setDisplayName } from "@/kv/etl/display_names.ts";

const ROUNDS = Number(Deno.env.get("ETL_BENCH_ROUNDS") ?? 3000);

function pct(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(tmp: string): Promise<void> {
  const te = new TextEncoder();
  const files = [...generateEtlFiles(ROUNDS, { seed: 7, players: 200 })];
  const items: ImportItem[] = files.flatMap((f, i) => {
    const es = endstatsFor(f.name, f.text, { seed: i + 1 });
    return [{ name: f.name, bytes: te.encode(f.text) }, { name: es.name, bytes: te.encode(es.text) }];
  });
  const kv = await Deno.openKv(`${tmp}/etl.kv`);
  const t0 = performance.now();
  const counts: Record<string, number> = {};
  await new Importer(kv, { announce: false }).importMany(
    items,
    (r) => counts[r.status] = (counts[r.status] ?? 0) + 1,
  );
  console.log(
    `\n## ET:Legacy commands on ${ROUNDS} rounds + ${ROUNDS} endstats files, 200 players ` +
      `(imported in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)})`,
  );
  // Pairs that met: the first two players of each evening's roster, on opposite teams.
  const names = files.filter((_, i) => i % 20 === 0).map((f) => {
    const ps = playersOf(f.text);
    return [ps[0]!.name, ps.find((p) => p.team !== ps[0]!.team)!.name] as const;
  });
  // 50 players go by a display name (/et name): every read applies them (kv/etl/display_names.ts).
  const guids = (await listEtlPlayers(kvReader(kv))).map((p) => p.guid).slice(0, 50);
  for (const [i, guid] of guids.entries()) {
    await setDisplayName(kv, {
      guids: [guid],
      name: `Display ${i + 1}`,
      by: "bench",
      admin: false,
      now: new Date(),
      inGameNames: [],
    });
  }
  console.log(`(${guids.length} players with a display name)`);
  const sessions = await listSessions(kv);
  const N = 200;
  const floor: number[] = [], rank: number[] = [], matchup: number[] = [], summary: number[] = [];
  for (let i = 0; i < N; i++) {
    const [a, b] = names[i % names.length]!;
    let t = performance.now();
    await kv.get(["etl_player", "10000000"]);
    floor.push(performance.now() - t);
    t = performance.now();
    const r = await etRank(kv, a);
    rank.push(performance.now() - t);
    t = performance.now();
    const m = await etMatchup(kv, a, b);
    matchup.push(performance.now() - t);
    t = performance.now();
    const s = await getSessionView(kv, sessions[i % sessions.length]!.id);
    sessionEmbed(s!);
    summary.push(performance.now() - t);
    if (!r.ok || !m.ok) throw new Error(`bench reply failed: ${JSON.stringify(r.ok ? m : r)}`);
  }
  // /et awards <player> reads the endstats files and rounds of the player's rounds: 20 runs, their own floor.
  const awards: number[] = [], awardsFloor: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    await kv.get(["etl_player", "10000000"]);
    awardsFloor.push(performance.now() - t);
    t = performance.now();
    const aw = await etAwards(kv, names[i % names.length]![0]);
    awards.push(performance.now() - t);
    if (!aw.ok) throw new Error(`bench reply failed: ${JSON.stringify(aw)}`);
  }
  // What it cost before: every endstats file's awards, one awaited get after another (once).
  const tSeq = performance.now();
  for (const e of await listEndstats(kvReader(kv))) await getRoundAwards(kvReader(kv), e.roundId);
  const sequential = performance.now() - tSeq;
  const row = (label: string, xs: number[]) =>
    console.log(`${label} p50 ${ms(pct(xs, 50))}  p99 ${ms(pct(xs, 99))}`);
  row("/et rank <player>:         ", rank);
  row("/et matchup <a> <b>:       ", matchup);
  row("session summary (read+embed):", summary);
  row("floor, one KV get:         ", floor);
  row("/et awards <player> (20 runs):", awards);
  row("floor, one KV get (same 20):  ", awardsFloor);
  console.log(`(the same counts read one awaited get after another, once: ${ms(sequential)})`);
  kv.close();
}

if (import.meta.main) {
  const tmp = await Deno.makeTempDir({ prefix: "podium-etl-cmd-bench-" });
  try {
    await main(tmp);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
