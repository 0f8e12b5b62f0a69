import assert from "node:assert/strict";
import { restartedRounds } from "@/games/etl/exclusion.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { getEtlPlayer } from "@/kv/etl/players.ts";
import { setRoundOverride } from "@/kv/etl/exclusion.ts";
import { getRoundView, leaderboard } from "@/kv/etl/views.ts";
import { kvReader } from "@/kv/reader.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { importSamples } from "@/tests/etl/_etl.ts";
import { testApp } from "@/tests/_app.ts";

const NOW = () => new Date("2026-01-05T12:00:00Z");
const enc = new TextEncoder();

Deno.test("restartedRounds(): a newer R1 before any R2, within the window, on the same server", () => {
  const min = 60_000;
  const r = (id: string, round: 1 | 2, m: number, serverId?: string) => ({
    id,
    round,
    wallMs: m * min,
    ...(serverId ? { serverId } : {}),
  });
  const out = restartedRounds([
    r("a1", 1, 0),
    r("b1", 1, 13), // restarts a1
    r("b2", 2, 22),
    r("c1", 1, 30), // a new map play after a complete one: not a restart of b1
    r("d1", 1, 100),
    r("e1", 1, 150), // 50 minutes later: outside the window
    r("x1", 1, 151, "other"),
    r("y1", 1, 152), // e1 is restarted (x1 is another server's)
  ], 45 * min);
  assert.deepEqual([...out], [["a1", "b1"], ["e1", "y1"]]);
});

/** Renames generated files' player names; `bot` names get Omni-bot's `[BOT]` prefix. */
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

Deno.test("a round with bots and a filler map are kept, shown with why, and never counted", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const [r1, r2, r3] = [...generateEtlFiles(3, { seed: 4, perRound: 6, players: 6 })];
    const filler = { name: r3!.name.replace(/-[a-z_0-9]+-round-1/, "-mp_sillyctf-round-1"), text: "" };
    filler.text = r3!.text.replace(/^([^\\]*\\)[^\\]+/, "$1mp_sillyctf");
    const imp = new Importer(kv, { announce: false, now: NOW });
    const files = [{ name: r1!.name, text: withBots(r1!.text, 2) }, r2!, filler];
    const reports = [];
    for (const f of files) reports.push(await imp.importOne({ name: f.name, bytes: enc.encode(f.text) }));
    assert.deepEqual(reports.map((r) => r.status), ["imported", "imported", "imported"]);
    const bots = await getRoundView(kv, reports[0]!.sessionId!);
    assert.equal(bots?.excludedRule, "bots");
    assert.match(bots!.excludedReason!, /^2 of \d+ players are bots \(\[BOT\]Bot1, \[BOT\]Bot2\)/);
    const fill = await getRoundView(kv, reports[2]!.sessionId!);
    assert.equal(fill?.excludedRule, "filler");
    const counted = await getRoundView(kv, reports[1]!.sessionId!);
    assert.equal(counted?.excludedReason, null);
    // Only the counted R2 is in anybody's totals; the bots have no player at all.
    const lb = await leaderboard(kv, "kills", { period: "all", now: NOW(), limit: 50 });
    assert.ok(lb.rows.every((x) => x.rounds === 1), JSON.stringify(lb.rows));
    assert.ok(lb.rows.every((x) => !x.name.startsWith("[BOT]")));
    const api = await (await testApp(kv).request(`/api/etl/rounds/${reports[0]!.sessionId}`)).json();
    assert.equal(api.excludedRule, "bots");

    await t_switches_off();
  } finally {
    kv.close();
  }
});

async function t_switches_off() {
  const kv = await Deno.openKv(":memory:");
  try {
    const [r1] = [...generateEtlFiles(1, { seed: 4, perRound: 6, players: 6 })];
    const imp = new Importer(kv, {
      announce: false,
      now: NOW,
      etlRules: { restarts: false, bots: false, fillerMaps: [] },
    });
    const rep = await imp.importOne({ name: r1!.name, bytes: enc.encode(withBots(r1!.text, 2)) });
    assert.equal(
      (await getRoundView(kv, rep.sessionId!))?.excludedReason,
      null,
      "bots: false counts bot rounds",
    );
  } finally {
    kv.close();
  }
}

sampleTest(
  "a restarted R1 (2025-10-17 supply) is kept but not counted, in either order; an admin can include it",
  async () => {
    const abandoned = "2025-10-17-202140-supply-round-1.txt";
    const restart = "2025-10-17-203425-supply-round-1.txt";
    const r2 = "2025-10-17-204311-supply-round-2.txt";
    for (const order of [[abandoned, restart, r2], [r2, restart, abandoned], [restart, abandoned, r2]]) {
      const kv = await Deno.openKv(":memory:");
      try {
        await importSamples(kv, order);
        const v = await getRoundView(kv, "2025-10-17-202140-supply-r1");
        assert.equal(v?.excludedRule, "restart", order.join(" "));
        assert.match(v!.excludedReason!, /2025-10-17-203425-supply-r1/);
        assert.equal((await getRoundView(kv, "2025-10-17-203425-supply-r1"))?.excludedReason, null);
        const guid = v!.players[0]!.guid;
        const before = (await getEtlPlayer(kvReader(kv), guid))!.totals;
        assert.equal(before.rounds, 2, "restart R1 + R2 counted, the abandoned one not");

        const inc = await setRoundOverride(kv, v!.id, "include", { now: NOW() });
        assert.equal(inc.status === "done" && inc.changed, true);
        const included = (await getEtlPlayer(kvReader(kv), guid))!.totals;
        assert.equal(included.rounds, 3);
        assert.equal(included.kills, before.kills + v!.players[0]!.kills);
        assert.equal((await getRoundView(kv, v!.id))?.excludedReason, null);

        await setRoundOverride(kv, v!.id, null, { now: NOW() });
        assert.deepEqual((await getEtlPlayer(kvReader(kv), guid))!.totals, before);
        const ex = await setRoundOverride(kv, "2025-10-17-204311-supply-r2", "exclude", { now: NOW() });
        assert.equal(ex.status === "done" && ex.round.excluded?.rule, "admin");
        assert.equal((await getEtlPlayer(kvReader(kv), guid))!.totals.rounds, 1);
        assert.deepEqual(await setRoundOverride(kv, "nope", "exclude", { now: NOW() }), {
          status: "unknown",
        });
      } finally {
        kv.close();
      }
    }
  },
);
