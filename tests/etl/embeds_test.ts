import assert from "node:assert/strict";
import type { APIEmbed } from "discord-api-types/v10";
import {
  discordName,
  fitLines,
  leaderboardEmbed,
  mapResultEmbed,
  roundEmbed,
  roundSummary,
  sessionEmbed,
} from "@/discord/et/embeds.ts";
import { getRoundView, getSessionView, type RoundView } from "@/kv/etl/views.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames, importSamples } from "@/tests/etl/_etl.ts";

/** Discord's embed limits. */
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

Deno.test("discordName() escapes markdown and cuts long names", () => {
  assert.equal(discordName("*bold*_x_"), "\\*bold\\*\\_x\\_");
  assert.equal(discordName("a".repeat(30)), "a".repeat(19) + "…");
  assert.equal(discordName("  "), "(no name)");
});

Deno.test("fitLines() cuts at the limit with the count of what is left", () => {
  const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${"x".repeat(20)}`);
  const text = fitLines(lines, 200);
  assert.ok(text.length <= 200, String(text.length));
  assert.match(text, /… and \d+ more$/);
  assert.equal(fitLines(["a", "b"], 100), "a\nb");
  assert.equal(fitLines([], 100), "—");
});

sampleTest(
  "roundEmbed(), mapResultEmbed() and sessionEmbed() on a real evening stay within Discord's limits",
  async () => {
    const kv = await Deno.openKv(":memory:");
    try {
      await importSamples(
        kv,
        etlSampleNames().filter((n) => n.startsWith("2025-10-19") || n.startsWith("2025-10-26-2")),
      );
      const r1 = (await getRoundView(kv, "2025-10-19-221915-te_escape2-r1"))!;
      const r2 = (await getRoundView(kv, "2025-10-19-222424-te_escape2-r2"))!;
      const e1 = roundEmbed(r1), e2 = roundEmbed(r2);
      assertWithinLimits(e1);
      assertWithinLimits(e2);
      assert.equal(e1.title, "Round 1 · te\\_escape2");
      assert.match(e2.description!, /round 2 alone/);
      assert.match(e1.footer!.text, /2025-10-19-221915-te_escape2-round-1\.txt$/);
      const orphan = (await getRoundView(kv, "2025-10-26-200001-etl_sp_delivery-r2"))!;
      assert.match(roundEmbed(orphan).description!, /No round 1 found/);
      const map = mapResultEmbed(r1, r2, "R2 attackers 4:26 vs 7:31", [0, 2]);
      assertWithinLimits(map);
      assert.match(map.title!, /0–2/);
      const s = (await getSessionView(kv, "2025-10-19-212643"))!;
      const se = sessionEmbed(s);
      assertWithinLimits(se);
      assert.match(se.description!, /\*\*\d+ – \d+\*\*/);
    } finally {
      kv.close();
    }
  },
);

Deno.test("roundEmbed() escapes hostile names and cuts a 64-player round", () => {
  const row = (i: number) => ({
    guid: `G${i}`,
    name: i === 0 ? "@everyone **x**" : `player_${i}`,
    nameRaw: "",
    team: 1 + (i % 2),
    kills: 64 - i,
    deaths: 3,
    damageGiven: 1000,
    damageReceived: 0,
    headshots: 1,
    kd: 1,
    dpm: 1,
    accuracy: 10,
    headshotPct: 1,
    efficiency: 1,
  });
  const r = {
    id: "x",
    sourceFile: "x.txt",
    map: "supply",
    round: 1,
    status: "r1",
    winner: 1,
    defender: 1,
    timeLimitS: 600,
    actualTimeS: 600,
    playedAt: "2025-01-01T00:00:00.000Z",
    timeZone: "UTC",
    players: Array.from({ length: 64 }, (_, i) => row(i)),
  } as unknown as RoundView;
  const e = roundEmbed(r);
  assertWithinLimits(e);
  assert.ok(e.fields![0]!.value.includes("@everyone \\*\\*x\\*\\*"));
  assert.match(e.fields![0]!.value, /… and \d+ more/);
});

Deno.test("leaderboardEmbed() says when nobody qualifies", () => {
  const e = leaderboardEmbed({ label: "K/D", definition: "d", period: "7d", minRounds: 10, rows: [] });
  assert.match(e.description!, /Nobody has played 10\+ rounds/);
});

Deno.test("ET replies count in words that agree: 1 kill, 1 death, 1 head hit, min. 1 round", () => {
  const one = {
    kills: 1,
    deaths: 1,
    damageGiven: 100,
    headshots: 1,
    dpm: 100,
    accuracy: 50,
  } as unknown as Parameters<typeof roundSummary>[0][number];
  const text = roundSummary([one]);
  assert.match(text, /^1 player · 1 kill · 1 death · 100 damage · 1 head hit\n/);
  const lb = leaderboardEmbed({
    label: "K/D",
    definition: "kills / deaths",
    period: "all",
    minRounds: 2,
    rows: [],
  });
  assert.match(lb.footer!.text, /min\. 2 rounds/);
});
