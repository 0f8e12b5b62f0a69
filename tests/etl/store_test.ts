import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { PREFIXES } from "@/kv/keys.ts";
import { allRounds, getRound } from "@/kv/etl/rounds.ts";
import { getEtlPlayer } from "@/kv/etl/players.ts";
import { listSessions, loadSession, sessionIdOf } from "@/kv/etl/sessions.ts";
import { sessionScore } from "@/kv/etl/teams.ts";
import type { StoredRound } from "@/kv/etl/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { readSample, SAMPLES_DIR, sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames, importSamples, parseSample, shuffled } from "@/tests/etl/_etl.ts";
import { checkStopwatch } from "@/tests/etl/_slomix.ts";

async function round(kv: Deno.Kv, id: string): Promise<StoredRound> {
  const r = await getRound(kvReader(kv), id);
  assert.ok(r, `round ${id}`);
  return r;
}

/** Everything the ET:Legacy domain stored, for comparing stores. */
async function dump(kv: Deno.Kv): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const prefix of PREFIXES.etl) {
    for await (const e of kv.list({ prefix: [prefix] })) out.push([e.key, e.value]);
  }
  return out;
}

async function withKv(fn: (kv: Deno.Kv) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(kv);
  } finally {
    kv.close();
  }
}

const all = () => etlSampleNames();

sampleTest(
  "the whole sample set in time order: 50 R1, 36 paired R2, 10 orphans, 1 rejected (doc §11)",
  async () => {
    await withKv(async (kv) => {
      const reports = await importSamples(kv, all());
      assert.equal(reports.filter((r) => r.status === "imported").length, 96);
      assert.equal(reports.filter((r) => r.status === "rejected").length, 1);
      const counts: Record<string, number> = {};
      for (const e of (await allRounds(kv)).map((value) => ({ value }))) {
        counts[e.value.status] = (counts[e.value.status] ?? 0) + 1;
      }
      assert.deepEqual(counts, { r1: 50, paired: 36, orphan: 10 });
      const again = await importSamples(kv, ["2025-10-20-213931-etl_adlernest-round-1.txt"]);
      assert.equal(again[0]!.status, "duplicate");
    });
  },
);

sampleTest("round 2 before round 1, and the whole set in random orders, store the same stats", async () => {
  const names = all();
  let reference: unknown[] = [];
  await withKv(async (kv) => {
    await importSamples(kv, names);
    reference = await dump(kv);
  });
  const r2First = names.slice().sort((a, b) => Number(b.includes("round-2")) - Number(a.includes("round-2")));
  for (const order of [r2First, names.slice().reverse(), shuffled(names, 1), shuffled(names, 42)]) {
    await withKv(async (kv) => {
      await importSamples(kv, order);
      assert.deepEqual(await dump(kv), reference);
    });
  }
});

sampleTest("group commits (importMany) store exactly what one commit per file stores", async () => {
  const names = all();
  let reference: unknown[] = [];
  await withKv(async (kv) => {
    await importSamples(kv, names);
    reference = await dump(kv);
  });
  for (const [order, groupSize] of [[names, 50], [shuffled(names, 5), 7], [shuffled(names, 9), 2]] as const) {
    await withKv(async (kv) => {
      const imp = new Importer(kv, {
        announce: false,
        groupSize,
        now: () => new Date("2026-01-05T12:00:00Z"),
      });
      const summary = await imp.importMany(
        order.map((name) => ({ name, bytes: readSample(`etl/${name}`) })),
        () => {},
      );
      assert.deepEqual(summary, { imported: 96, duplicate: 0, skipped: 0, rejected: 1 });
      assert.deepEqual(await dump(kv), reference);
    });
  }
});

sampleTest("an R2 stored before its R1 is recomputed when the R1 arrives, in the same commit", async () => {
  await withKv(async (kv) => {
    const r2Id = "2025-10-20-214539-etl_adlernest-r2";
    await importSamples(kv, ["2025-10-20-214539-etl_adlernest-round-2.txt"]);
    const orphan = await round(kv, r2Id);
    assert.equal(orphan.status, "orphan");
    assert.equal(orphan.players.find((p) => p.guid === "2B5938F5")!.kills, 16); // cumulative
    assert.equal(await getEtlPlayer(kvReader(kv), "2B5938F5"), null); // orphans are never counted
    const [rep] = await importSamples(kv, ["2025-10-20-213931-etl_adlernest-round-1.txt"]);
    assert.equal(rep!.status, "imported");
    const paired = await round(kv, r2Id);
    assert.equal(paired.status, "paired");
    assert.equal(paired.r1Id, "2025-10-20-213931-etl_adlernest-r1");
    // The doc's worked example (§5.4), as Slomix computes it.
    const p = paired.players.find((x) => x.guid === "2B5938F5")!;
    assert.deepEqual([p.kills, p.deaths, p.damageGiven, p.headshots, p.timePlayedS], [7, 11, 1522, 8, 318]);
    const hits = p.weapons.reduce((n, w) => n + w[1], 0), shots = p.weapons.reduce((n, w) => n + w[2], 0);
    assert.deepEqual([hits, shots], [68, 196]);
    // Per-round fields are copied from R2 even where lower than R1.
    assert.deepEqual([p.xp, p.headshotKills, p.deniedS], [39, 0, 37]);
    const player = (await getEtlPlayer(kvReader(kv), "2B5938F5"))!;
    assert.equal(player.totals.rounds, 2);
    assert.equal(player.totals.kills, 9 + 7);
    assert.equal(player.totals.damageGiven, 3535);
  });
});

sampleTest(
  "special case: a restarted R1 — the R2 pairs with the later R1, whichever arrives last",
  async () => {
    const files = [
      "2025-10-17-202140-supply-round-1.txt",
      "2025-10-17-203425-supply-round-1.txt",
      "2025-10-17-204311-supply-round-2.txt",
    ];
    for (const order of [files, [files[2]!, files[1]!, files[0]!], [files[0]!, files[2]!, files[1]!]]) {
      await withKv(async (kv) => {
        await importSamples(kv, order);
        assert.equal((await round(kv, "2025-10-17-204311-supply-r2")).r1Id, "2025-10-17-203425-supply-r1");
      });
    }
  },
);

sampleTest("special case: a pair across midnight pairs (the previous day is searched)", async () => {
  await withKv(async (kv) => {
    await importSamples(kv, [
      "2025-10-20-000043-etl_adlernest-round-2.txt",
      "2025-10-19-235307-etl_adlernest-round-1.txt",
    ]);
    assert.equal(
      (await round(kv, "2025-10-20-000043-etl_adlernest-r2")).r1Id,
      "2025-10-19-235307-etl_adlernest-r1",
    );
  });
});

sampleTest(
  "special case: the same map three times in one evening pairs each R2 with the latest R1",
  async () => {
    await withKv(async (kv) => {
      const names = all().filter((n) => n.startsWith("2025-10-19") && n.includes("te_escape2"));
      assert.equal(names.length, 6);
      await importSamples(kv, shuffled(names, 7));
      const pairs: [string, string][] = [
        ["2025-10-19-222424-te_escape2-r2", "2025-10-19-221915-te_escape2-r1"],
        ["2025-10-19-223403-te_escape2-r2", "2025-10-19-222945-te_escape2-r1"],
        ["2025-10-19-224215-te_escape2-r2", "2025-10-19-223859-te_escape2-r1"],
      ];
      for (const [r2, r1] of pairs) assert.equal((await round(kv, r2)).r1Id, r1);
    });
  },
);

sampleTest("special case: a reconnect during R2 (counters lower than R1) uses the raw R2 line", async () => {
  await withKv(async (kv) => {
    await importSamples(kv, all().filter((n) => n.startsWith("2025-10-26-20")));
    const r = await round(kv, "2025-10-26-203013-etl_sp_delivery-r2");
    assert.equal(r.status, "paired");
    const fallback = r.players.filter((p) => p.resetFallback);
    assert.deepEqual(fallback.map((p) => p.guid), ["C74FB315"]);
    assert.equal(fallback[0]!.name, "Imb3cil");
  });
});

sampleTest(
  "special case: a player only in R2 counts from R2; a player moved to spectator has a zero differential",
  async () => {
    await withKv(async (kv) => {
      await importSamples(kv, [
        "2025-10-25-155900-supply-round-1.txt",
        "2025-10-25-161002-supply-round-2.txt",
      ]);
      const r = await round(kv, "2025-10-25-161002-supply-r2");
      const sub = r.players.find((p) => p.guid === "EA326149")!;
      assert.equal(sub.onlyInR2, true);
      assert.equal(sub.nameRaw, "^eMaccabros^7Licious");
      assert.ok(sub.damageGiven > 0);
      const spec = r.players.find((p) => p.guid === "BF52721D")!;
      assert.equal(spec.team, 3);
      assert.deepEqual([spec.kills, spec.deaths, spec.damageGiven, spec.timePlayedS], [0, 0, 0, 0]);
    });
  },
);

sampleTest(
  "special case: a name change between R1 and R2 — the newest name wins, in either order",
  async () => {
    const pair = [
      "2025-10-12-224530-sw_goldrush_te-round-1.txt",
      "2025-10-12-225242-sw_goldrush_te-round-2.txt",
    ];
    for (const order of [pair, pair.slice().reverse()]) {
      await withKv(async (kv) => {
        await importSamples(kv, order);
        const r1 = await round(kv, "2025-10-12-224530-sw_goldrush_te-r1");
        const guid = r1.players.find((p) => p.nameRaw === "^eSmetarski^dMedic")!.guid;
        const p = (await getEtlPlayer(kvReader(kv), guid))!;
        assert.equal(p.nameRaw, "^eSmetarski^dLoto");
        assert.equal(p.name, "SmetarskiLoto");
      });
    }
  },
);

sampleTest(
  "special case: an orphan R2 (bogus 71:05 actual time) is stored raw, marked, and not counted",
  async () => {
    await withKv(async (kv) => {
      await importSamples(kv, all());
      const r = await round(kv, "2025-10-26-200001-etl_sp_delivery-r2");
      assert.equal(r.status, "orphan");
      assert.equal(r.r1Id, null);
      const orphans: string[] = [];
      for (const e of (await allRounds(kv)).map((value) => ({ value }))) {
        if (e.value.status === "orphan") orphans.push(e.value.fileName);
      }
      assert.equal(orphans.length, 10);
      assert.ok(orphans.includes("2025-10-12-220306-te_escape2-round-2.txt"));
    });
  },
);

sampleTest("special case: f25 far above f22 — time dead is capped to time played", async () => {
  await withKv(async (kv) => {
    await importSamples(kv, ["2025-10-19-214330-supply-round-1.txt", "2025-10-19-215817-supply-round-2.txt"]);
    const r = await round(kv, "2025-10-19-215817-supply-r2");
    for (const p of r.players) assert.ok(p.timeDeadS <= p.timePlayedS, p.name);
  });
});

sampleTest(
  "f23 (tank/meatshield) is per round: Podium copies R2's value where Slomix subtracts R1's (its bug)",
  async () => {
    await withKv(async (kv) => {
      await importSamples(kv, all());
      let checked = 0;
      for (const e of (await allRounds(kv)).map((value) => ({ value }))) {
        const r = e.value;
        if (r.status !== "paired") continue;
        const raw = parseSample(r.fileName).players;
        for (const p of r.players) {
          if (p.resetFallback || p.onlyInR2) continue;
          assert.equal(p.tankMeatshield, raw.find((x) => x.guid === p.guid)!.f[23]);
          checked++;
        }
      }
      assert.ok(checked > 100);
    });
  },
);

sampleTest(
  "time played is rounded to whole seconds: Slomix truncates 4.1*60 to 245, Podium says 246",
  async () => {
    await withKv(async (kv) => {
      await importSamples(kv, all());
      for (const e of (await allRounds(kv)).map((value) => ({ value }))) {
        for (const p of e.value.players) assert.equal(p.timePlayedS % 6, 0, `${e.value.id} ${p.name}`);
      }
    });
  },
);

sampleTest(
  "sessions: 27 over the samples, the same in any import order, split at 60-minute gaps (doc §6.1)",
  async () => {
    // The doc counts 28 (20 singletons): one singleton is the header-only file, which Podium rejects.
    let ref: string[] = [];
    for (const order of [all(), shuffled(all(), 3)]) {
      await withKv(async (kv) => {
        await importSamples(kv, order);
        const sessions = await listSessions(kv);
        assert.equal(sessions.length, 27);
        assert.equal(sessions.filter((s) => s.rounds.length > 1).length, 8);
        const ids = sessions.map((s) => `${s.id}:${s.rounds.length}`);
        if (ref.length) assert.deepEqual(ids, ref);
        ref = ids;
        const split = sessions.find((s) =>
          s.rounds.some((r) => r.id === "2025-10-17-211309-etl_adlernest-r2")
        )!;
        assert.ok(!split.rounds.some((r) => r.id === "2025-10-17-225145-supply-r1"), "98-minute gap splits");
        const r = await round(kv, "2025-10-26-213907-etl_adlernest-r1");
        assert.equal(await sessionIdOf(kv, r), "2025-10-26-213907");
      });
    }
  },
);

/** Map scores from samples/SOURCES.md: "R2 file -> [R1 attackers, R2 attackers]". */
function sourcesScores(): Map<string, [number, number]> {
  const text = Deno.readTextFileSync(`${SAMPLES_DIR}/SOURCES.md`);
  const out = new Map<string, [number, number]>();
  for (const line of text.split("\n")) {
    const m = /^\| `etl\/([^`]+-round-2\.txt)`.*map score R1att (\d)-(\d) R2att/.exec(line);
    if (m) out.set(m[1]!, [Number(m[2]), Number(m[3])]);
  }
  return out;
}

sampleTest(
  "stopwatch map results match Slomix's on all 36 scored pairs (25 0-2, 9 2-0, 2 double full holds)",
  async () => {
    await withKv(async (kv) => {
      await importSamples(kv, shuffled(all(), 11));
      const want = sourcesScores();
      assert.equal(want.size, 36);
      const tally = await checkStopwatch(kv, want);
      assert.deepEqual(tally, { "0-2": 25, "2-0": 9, "1-1": 2 });
    });
  },
);

sampleTest(
  "sessionScore() keeps teams across the side swap: an evening's points add up per roster",
  async () => {
    await withKv(async (kv) => {
      await importSamples(kv, all().filter((n) => n.startsWith("2025-10-19")));
      const s = (await listSessions(kv)).find((x) => x.id === "2025-10-19-212643")!;
      const score = sessionScore((await loadSession(kv, s)).maps);
      const [a, b] = score.teams;
      assert.equal(a.points + b.points, score.maps.length * 2);
      assert.equal(a.guids.filter((g) => b.guids.includes(g)).length, 0);
      assert.ok(a.guids.length >= 3 && b.guids.length >= 3);
    });
  },
);

Deno.test("readSample is the only door to the samples", () => assert.ok(typeof readSample === "function"));

sampleTest("two importers on one store, R1 and R2 at the same moment: the R2 still pairs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (let run = 0; run < 3; run++) {
      const path = `${dir}/race-${run}.kv`;
      const [a, b] = [await Deno.openKv(path), await Deno.openKv(path)];
      try {
        await Promise.all([
          importSamples(a, ["2025-10-20-214539-etl_adlernest-round-2.txt"]),
          importSamples(b, ["2025-10-20-213931-etl_adlernest-round-1.txt"]),
        ]);
        const r2 = await round(a, "2025-10-20-214539-etl_adlernest-r2");
        assert.equal(r2.status, "paired");
        assert.equal((await getEtlPlayer(kvReader(a), "2B5938F5"))!.totals.kills, 16);
      } finally {
        a.close();
        b.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

sampleTest(
  "every key an ET:Legacy import writes is under a prefix kv/keys.ts gives to etl (or core, delivery)",
  async () => {
    await withKv(async (kv) => {
      await importSamples(kv, all(), true);
      const allowed = new Set<string>([...PREFIXES.etl, ...PREFIXES.core, ...PREFIXES.delivery]);
      for await (const e of kv.list({ prefix: [] })) {
        assert.ok(allowed.has(String(e.key[0])), `key ${JSON.stringify(e.key)}`);
        assert.ok(JSON.stringify(e.value ?? null).length < 60_000, `value of ${JSON.stringify(e.key)}`);
      }
    });
  },
);
