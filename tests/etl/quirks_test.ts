/**
 * ET:Legacy on the project's own quirk files (fixtures/etl_quirks.ts): every special case the real
 * samples show (tests/etl/parse_test.ts, store_test.ts), on files a fresh clone generates.
 */
import assert from "node:assert/strict";
import { etlFormat } from "@/games/etl/parser.ts";
import { stripColors } from "@/games/etl/names.ts";
import { rawPlayerRound } from "@/games/etl/stats.ts";
import { prepareFile } from "@/ingest/pipeline.ts";
import { Importer } from "@/ingest/importer.ts";
import { getRound } from "@/kv/etl/rounds.ts";
import { getEtlPlayer } from "@/kv/etl/players.ts";
import type { StoredRound } from "@/kv/etl/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { type EtlFile, etlQuirkFiles, etlQuirks } from "@/fixtures/etl_quirks.ts";
import { shuffled } from "@/tests/etl/_etl.ts";

const Q = etlQuirks();
const te = new TextEncoder();
const idOf = (f: EtlFile) => f.name.replace(/-round-(\d)\.txt$/, "-r$1");

function parse(f: EtlFile) {
  const out = etlFormat.parse(f.text, { name: f.name });
  if (out.status !== "etl") throw new Error(`${f.name}: ${out.status}`);
  return out.round;
}

async function withImported(files: EtlFile[], fn: (kv: Deno.Kv) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
    for (const f of files) await imp.importOne({ name: f.name, bytes: te.encode(f.text) });
    await fn(kv);
  } finally {
    kv.close();
  }
}

async function round(kv: Deno.Kv, f: EtlFile): Promise<StoredRound> {
  const r = await getRound(kvReader(kv), idOf(f));
  assert.ok(r, idOf(f));
  return r;
}

Deno.test("quirk files: old Lua builds (33/36/37 TAB fields) read with the missing fields as 0", () => {
  for (const [i, n] of [33, 36, 37].entries()) {
    const r = parse(Q.oldLua![i]!);
    assert.equal(r.tabFields, n);
    for (const p of r.players) for (let j = n; j < 38; j++) assert.equal(p.f[j], 0);
  }
});

Deno.test("quirk files: a header-only file is rejected with its reason; every other file is stored", () => {
  for (const f of etlQuirkFiles()) {
    const p = prepareFile(te.encode(f.text), { name: f.name });
    if (f.name === Q.headerOnly![0]!.name) {
      assert.equal(p.outcome.status, "rejected");
      assert.match(
        (p.outcome as { reason: string }).reason,
        /^ET:Legacy stats: header only, no player lines/,
      );
    } else {
      assert.equal(p.outcome.status, "etl", f.name);
    }
  }
});

Deno.test("quirk files: a 1-player warm-up, R2 times of 0:00 and 71:05, names kept readable", () => {
  const w = parse(Q.warmup![0]!);
  assert.deepEqual([w.players.length, w.header.config, w.players[0]!.name], [1, "defaultpublic", ".wjs:)"]);
  assert.equal(parse(Q.zeroTime![1]!).header.actualTimeS, 0);
  const bogus = parse(Q.bogusOrphan![0]!);
  assert.equal(bogus.header.actualTimeS, 71 * 60 + 5);
  const names = new Set(
    etlQuirkFiles().filter((f) => f.name !== Q.headerOnly![0]!.name).flatMap((f) =>
      parse(f).players.map((p) => p.name)
    ),
  );
  for (const want of ["i p k i s s", "edo?", ".wjs:)", "fnx NO MERCY", "AlphaOne"]) {
    assert.ok(names.has(want), want);
  }
  const raw = parse(Q.nameChange![0]!).players.find((p) => p.nameRaw.includes("^/"))!.nameRaw;
  assert.equal(stripColors(raw), "fnx NO MERCY");
  assert.ok(raw.replace(/\^[0-9a-zA-Z]/g, "").includes("^/"), "Slomix's regex would leave ^/");
});

Deno.test("quirk files: an R2 before its R1 is recomputed when the R1 arrives; an orphan is never counted", async () => {
  const [r1, r2] = Q.nameChange!;
  await withImported([r2!], async (kv) => {
    const orphan = await round(kv, r2!);
    assert.equal(orphan.status, "orphan");
    assert.equal(await getEtlPlayer(kvReader(kv), "A1000001"), null);
    await new Importer(kv, { announce: false }).importOne({ name: r1!.name, bytes: te.encode(r1!.text) });
    const paired = await round(kv, r2!);
    assert.equal(paired.status, "paired");
    assert.equal(paired.r1Id, idOf(r1!));
    const raw = (f: EtlFile) => {
      const r = parse(f);
      return rawPlayerRound(r.players.find((p) => p.guid === "A1000001")!, r.header);
    };
    const [a, b] = [raw(r1!), raw(r2!)];
    const mine = paired.players.find((p) => p.guid === "A1000001")!;
    assert.deepEqual([mine.kills, mine.damageGiven], [b.kills - a.kills, b.damageGiven - a.damageGiven]);
    assert.ok(a.kills > 0 && b.kills > a.kills, "R2's line is cumulative");
    assert.equal((await getEtlPlayer(kvReader(kv), "A1000001"))!.totals.rounds, 2);
  });
  await withImported(Q.bogusOrphan!, async (kv) => {
    const r = await round(kv, Q.bogusOrphan![0]!);
    assert.deepEqual([r.status, r.r1Id], ["orphan", null]);
  });
});

Deno.test("quirk files: a restarted R1, a pair across midnight, one map three times: each R2 finds its R1", async () => {
  const [early, late, r2] = Q.restart!;
  for (const order of [[early!, late!, r2!], [r2!, late!, early!], [early!, r2!, late!]]) {
    await withImported(order, async (kv) => assert.equal((await round(kv, r2!)).r1Id, idOf(late!)));
  }
  await withImported([Q.midnight![1]!, Q.midnight![0]!], async (kv) => {
    assert.equal((await round(kv, Q.midnight![1]!)).r1Id, idOf(Q.midnight![0]!));
  });
  await withImported(shuffled(Q.threeTimes!, 7), async (kv) => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await round(kv, Q.threeTimes![2 * i + 1]!)).r1Id, idOf(Q.threeTimes![2 * i]!));
    }
  });
});

Deno.test("quirk files: a reconnect uses the raw R2 line; a late joiner counts from R2; a spectator has zero", async () => {
  await withImported(Q.reconnect!, async (kv) => {
    const r = await round(kv, Q.reconnect![1]!);
    assert.equal(r.status, "paired");
    assert.deepEqual(r.players.filter((p) => p.resetFallback).map((p) => p.guid), ["A1000001"]);
  });
  await withImported(Q.spectatorAndLateJoin!, async (kv) => {
    const r = await round(kv, Q.spectatorAndLateJoin![1]!);
    const late = r.players.find((p) => p.guid === "A1000099")!;
    assert.equal(late.onlyInR2, true);
    assert.equal(late.nameRaw, "^eLate^7Joiner");
    const spec = r.players.find((p) => p.guid === "A1000004")!;
    assert.equal(spec.team, 3);
    assert.deepEqual([spec.kills, spec.deaths, spec.damageGiven, spec.timePlayedS], [0, 0, 0, 0]);
  });
});

Deno.test("quirk files: the newest name wins in either order; time dead is capped; f23 is R2's own", async () => {
  for (const order of [Q.nameChange!, [...Q.nameChange!].reverse()]) {
    await withImported(order, async (kv) => {
      const p = (await getEtlPlayer(kvReader(kv), "A1000006"))!;
      assert.deepEqual([p.nameRaw, p.name], ["^eSmetarski^dLoto", "SmetarskiLoto"]);
    });
  }
  await withImported(Q.deadAbovePlayed!, async (kv) => {
    const r = await round(kv, Q.deadAbovePlayed![1]!);
    for (const p of r.players) assert.ok(p.timeDeadS <= p.timePlayedS, p.name);
    const raw = parse(Q.deadAbovePlayed![1]!).players;
    for (const p of r.players) {
      if (!p.resetFallback && !p.onlyInR2) {
        assert.equal(
          p.tankMeatshield,
          raw.find((x) => x.guid === p.guid)!.f[23],
        );
      }
      assert.equal(p.timePlayedS % 6, 0);
    }
  });
});
