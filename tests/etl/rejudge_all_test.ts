/** A changed `etl.exclude` config applied to the rounds already stored (kv/etl/rejudge_all.ts). */
import assert from "node:assert/strict";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { setRoundOverride } from "@/kv/etl/exclusion.ts";
import { listEtlPlayers } from "@/kv/etl/players.ts";
import { exclusionFingerprint, rejudgeAllRounds } from "@/kv/etl/rejudge_all.ts";
import { getRoundView, leaderboard } from "@/kv/etl/views.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { kvReader } from "@/kv/reader.ts";
import { DEFAULT_EXCLUSION, type EtlExclusionConfig } from "@/games/etl/exclusion.ts";
import { readUntil, spawnMain } from "@/tests/_spawn.ts";

const NOW = new Date("2026-01-05T12:00:00Z");
const enc = new TextEncoder();
const OFF: EtlExclusionConfig = { restarts: true, bots: false, fillerMaps: [] };

/** Renames generated files' first `count` players to Omni-bot's `[BOT]` names. */
function withBots(text: string, count: number): string {
  let n = 0;
  return text.split("\n").map((l, i) => {
    if (i === 0 || !l.includes("\\") || n >= count) return l;
    n++;
    const p = l.split("\\");
    p[1] = `[BOT]Bot${n}`;
    return p.join("\\");
  }).join("\n");
}

/** Three R1s on different maps: one with bots, one on the filler map, one plain; and a fourth the admin excludes. */
function files() {
  const [r1, r2, r3, r4] = [...generateEtlFiles(4, { seed: 4, perRound: 6, players: 6 })];
  const filler = {
    name: r3!.name.replace(/-[a-z_0-9]+-round-1/, "-mp_sillyctf-round-1"),
    text: r3!.text.replace(/^([^\\]*\\)[^\\]+/, "$1mp_sillyctf"),
  };
  return [{ name: r1!.name, text: withBots(r1!.text, 2) }, r2!, filler, r4!];
}

async function store(kv: Deno.Kv): Promise<string[]> {
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  const ids: string[] = [];
  for (const f of files()) {
    ids.push((await imp.importOne({ name: f.name, bytes: enc.encode(f.text) })).sessionId!);
  }
  return ids;
}

const totalRounds = async (kv: Deno.Kv) =>
  (await listEtlPlayers(kvReader(kv))).reduce((n, p) => n + p.totals.rounds, 0);

/** Player rows the stored rounds should count, from their pages: not orphans, not excluded. */
async function countedRows(kv: Deno.Kv, ids: string[]): Promise<number> {
  let n = 0;
  for (const id of ids) {
    const r = (await getRoundView(kv, id))!;
    if (r.status !== "orphan" && r.excludedReason === null) n += r.players.length;
  }
  return n;
}

Deno.test("rejudgeAllRounds(): a switch flipped moves stored rounds in and out; admin overrides stay; batches resume", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const [bots, plain, filler, admin] = await store(kv);
    await setRoundOverride(kv, admin!, "exclude", { now: NOW });
    assert.equal((await getRoundView(kv, bots!))?.excludedRule, "bots");
    assert.equal((await getRoundView(kv, filler!))?.excludedRule, "filler");
    const before = await totalRounds(kv);
    assert.equal(before, await countedRows(kv, [plain!]), "only the plain round counts");
    // The first run learns the config the rounds were judged by: nothing moves.
    const first = await rejudgeAllRounds(kv, DEFAULT_EXCLUSION);
    assert.deepEqual([first.status, first.rounds, first.changed], ["done", 4, 0]);
    assert.equal((await rejudgeAllRounds(kv, DEFAULT_EXCLUSION)).status, "current");
    // Bots and filler switched off, one round per batch, stopped after two batches (a process that stopped).
    const part = await rejudgeAllRounds(kv, OFF, { batch: 1, maxBatches: 2 });
    assert.deepEqual([part.status, part.rounds], ["partial", 2]);
    const rest = await rejudgeAllRounds(kv, OFF, { batch: 1 });
    assert.deepEqual([rest.status, rest.rounds, part.changed + rest.changed], ["done", 2, 2]);
    assert.equal((await getRoundView(kv, bots!))?.excludedReason, null);
    assert.equal((await getRoundView(kv, filler!))?.excludedReason, null);
    assert.equal((await getRoundView(kv, plain!))?.excludedReason, null);
    assert.equal((await getRoundView(kv, admin!))?.excludedRule, "admin", "the admin's word is kept");
    assert.equal(await totalRounds(kv), await countedRows(kv, [bots!, plain!, filler!]));
    assert.ok(await totalRounds(kv) > before);
    const lb = await leaderboard(kv, "rounds", { period: "all", now: NOW, limit: 50 });
    assert.ok(lb.rows.some((r) => r.name.startsWith("[BOT]")), "the bots are players now");
    // And back: the totals are what they were, and nothing was announced.
    await rejudgeAllRounds(kv, DEFAULT_EXCLUSION);
    assert.equal(await totalRounds(kv), before);
    const back = await leaderboard(kv, "rounds", { period: "all", now: NOW, limit: 50 });
    assert.ok(back.rows.every((r) => !r.name.startsWith("[BOT]")));
    assert.equal((await listOutbox(kv)).length, 0);
  } finally {
    kv.close();
  }
});

Deno.test("exclusionFingerprint(): filler maps in any order and case are one config", () => {
  assert.equal(
    exclusionFingerprint({ restarts: true, bots: true, fillerMaps: ["A", "b"] }),
    exclusionFingerprint({ restarts: true, bots: true, fillerMaps: ["B", "a", "a"] }),
  );
  assert.notEqual(exclusionFingerprint(DEFAULT_EXCLUSION), exclusionFingerprint(OFF));
});

Deno.test("main.ts started again with a flipped etl.exclude: the stored rounds' totals change", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const kvPath = `${dir}/podium.kv`;
    let kv = await Deno.openKv(kvPath);
    const ids = await store(kv);
    const bots = ids[0]!;
    const before = await totalRounds(kv);
    kv.close();
    await Deno.writeTextFile(`${dir}/podium.json`, JSON.stringify({ etl: { exclude: OFF } }));
    const child = spawnMain(dir, { PORT: "0", PODIUM_KV: kvPath, PODIUM_CONFIG: `${dir}/podium.json` });
    try {
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const log = await readUntil(reader, "judged again");
      assert.match(log, /ET:Legacy: 4 round\(s\) judged again, 2 changed/);
      reader.releaseLock();
    } finally {
      child.kill();
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
    }
    kv = await Deno.openKv(kvPath);
    try {
      assert.equal((await getRoundView(kv, bots))?.excludedReason, null);
      assert.equal(await totalRounds(kv), await countedRows(kv, ids));
      assert.ok(await totalRounds(kv) > before, "the bots' and the filler map's rows count now");
    } finally {
      kv.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
