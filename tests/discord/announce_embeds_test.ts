import assert from "node:assert/strict";
import type { APIEmbed } from "discord-api-types/v10";
import type { CarResult } from "@/games/racing/types.ts";
import type {
  PersonalBestAnnouncement,
  RaceResultAnnouncement,
  TrackRecordAnnouncement,
} from "@/kv/racing/announcements.ts";
import {
  COLORS,
  personalBestEmbed,
  raceResultEmbed,
  safeName,
  standingsLines,
  trackRecordEmbed,
} from "@/discord/racing/announce_embeds.ts";
import { fitMessage, joinLines, LIMITS, textLength } from "@/discord/message_limits.ts";
import { messageLimitError } from "@/tests/fakes/_discord_limits.ts";

const base = {
  game: "acc" as const,
  track: "barcelona",
  trackName: "Barcelona",
  kind: "Q" as const,
  cls: "all",
  driver: { id: "S1", name: "Mokey Bytes" },
  car: { model: "30", name: "BMW M4 GT3", class: "GT3" },
  lapMs: 102_123,
  splitsMs: [30_000, 40_000, 32_123],
  sessionId: "acc-20260101-200000-q-1",
  setAt: "2026-01-01T20:00:00.000Z",
};

function embedText(e: APIEmbed): string {
  return [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text].join(
    "\n",
  );
}

function car(pos: number, name: string, extra: Partial<CarResult> = {}): CarResult {
  return {
    position: pos,
    carId: 1000 + pos,
    car: { model: "30", name: "BMW M4 GT3", class: "GT3" },
    drivers: [{ id: `D${pos}`, name }],
    bestLapMs: 103_000 + pos * 100,
    bestSplitsMs: null,
    totalTimeMs: 1_534_123 + (pos - 1) * 12_456,
    lapCount: 15,
    penalties: [],
    disqualified: false,
    ...extra,
  };
}

const race: RaceResultAnnouncement = {
  type: "race_result",
  game: "acc",
  track: "barcelona",
  trackName: "Barcelona",
  sessionType: "R",
  sessionId: "acc-20260101-210000-r-1",
  finishedAt: "2026-01-01T21:00:00.000Z",
};

Deno.test("trackRecordEmbed() is gold: who, time, car, by how much the old record fell and whose it was", () => {
  const a: TrackRecordAnnouncement = {
    type: "track_record",
    ...base,
    previous: { driver: { id: "S2", name: "Speed Demon" }, lapMs: 102_357 },
  };
  const e = trackRecordEmbed(a);
  assert.equal(e.color, COLORS.record);
  assert.equal(e.title, "🏆 New track record! Barcelona · Qualifying");
  assert.match(e.description!, /by \*\*0\.234s\*\*/);
  assert.match(e.description!, /Previous: 1:42\.357 by Speed Demon/);
  const text = embedText(e);
  assert.match(text, /1:42\.123/);
  assert.match(text, /BMW M4 GT3/);
  assert.match(text, /<t:1767297600:f> \(<t:1767297600:R>\)/, "a Discord timestamp");
  const cls = trackRecordEmbed({ ...a, cls: "GT4", previous: null });
  assert.match(cls.title!, /GT4 class/);
  assert.match(cls.description!, /first GT4 record/);
});

Deno.test("personalBestEmbed() is green: moved up N positions, rank N of M", () => {
  const a: PersonalBestAnnouncement = {
    type: "personal_best",
    ...base,
    kind: "R",
    previousMs: 102_500,
    rankBefore: 5,
    rankAfter: 2,
    positionsGained: 3,
    of: 15,
  };
  const e = personalBestEmbed(a);
  assert.equal(e.color, COLORS.personalBest);
  assert.match(e.title!, /Personal best! Barcelona · Race/);
  assert.match(e.description!, /Moved up 3 positions/);
  assert.match(e.description!, /Rank \*\*#2\*\* of 15 \(was #5\)/);
  assert.match(e.description!, /0\.377s faster/);
  assert.match(
    personalBestEmbed({ ...a, rankBefore: 3, positionsGained: 1 }).description!,
    /Moved up 1 position on/,
  );
});

Deno.test("raceResultEmbed() is blue: standings with gaps and best laps, fastest marked, lapped, DSQ and penalties", () => {
  const cars = [
    car(1, "Mokey Bytes"),
    car(2, "Speed Demon", { bestLapMs: 102_900 }),
    car(3, "Fast Larry", {
      penalties: [{ reason: "Cutting", penalty: "TimePenalty", value: 5, postRace: true }],
    }),
    car(4, "Lapped Lou", { lapCount: 13 }),
    car(5, "Cheater", { disqualified: true, bestLapMs: 90_000 }),
  ];
  const e = raceResultEmbed(race, { cars, serverName: "League Night #1" });
  assert.equal(e.color, COLORS.result);
  assert.equal(e.title, "🏁 Race results: Barcelona");
  const lines = standingsLines(cars);
  assert.equal(lines[0], "🥇 Mokey Bytes — 25:34.123 (Best: 1:43.100)");
  assert.equal(lines[1], "🥈 Speed Demon — +12.456 (Best: 1:42.900 🔥)");
  assert.match(lines[2]!, /^🥉 Fast Larry — \+24\.912 \(Best: 1:43\.300\) ⚠️ TimePenalty 5 \(Cutting\)$/);
  assert.match(lines[3]!, /^4\. Lapped Lou — \+2 laps/);
  assert.equal(lines[4], "🚫 ~~Cheater~~ — DSQ", "a DSQ'd car's fast lap is not the fastest");
  assert.match(e.description!, /Fastest lap: 1:42\.900 by Speed Demon/);
  assert.match(e.footer!.text, /League Night #1/);
});

Deno.test("names are escaped: @everyone, ** and <script> stay text", () => {
  assert.equal(safeName("**bold** _x_"), "\\*\\*bold\\*\\* \\_x\\_");
  assert.equal(
    safeName("@everyone"),
    "@everyone",
    "mentions are disarmed by allowed_mentions, not by mangling",
  );
  assert.equal(safeName("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
  assert.equal(safeName("<@123456789012345678>"), "\\<@123456789012345678\\>", "never the look of a mention");
  assert.equal(safeName("# Big\n- list"), "\\# Big - list", "one line: no heading, no list");
  assert.equal(
    safeName("[click](https://evil.example)"),
    "\\[click](https://evil.example)",
    "no masked link",
  );
  const e = trackRecordEmbed({
    type: "track_record",
    ...base,
    driver: { id: "X", name: "**@everyone**" },
    previous: null,
  });
  assert.match(embedText(e), /\\\*\\\*@everyone\\\*\\\*/);
});

Deno.test("a 7,000-character standings list is cut with '... and N more' and Discord accepts the message", () => {
  const cars = Array.from({ length: 120 }, (_, i) => car(i + 1, `Driver ${i + 1} ${"x".repeat(45)}`));
  assert.ok(standingsLines(cars).join("\n").length > 7000);
  const e = raceResultEmbed(race, { cars });
  assert.ok(textLength(e.description) <= LIMITS.description);
  assert.match(e.description!, /\n\.\.\. and \d+ more$/);
  const shown = e.description!.split("\n").filter((l) => /^(🥇|🥈|🥉|\d+\.) /.test(l)).length;
  const more = Number(/and (\d+) more$/.exec(e.description!)![1]);
  assert.equal(shown + more, 120, "every car is either shown or counted");
  assert.equal(messageLimitError({ embeds: [e] }), null);
});

Deno.test("fitMessage() keeps 25 fields, 6,000 characters in all, and cuts long text", () => {
  const fields = Array.from({ length: 30 }, (_, i) => ({ name: `F${i}`, value: "v".repeat(300) }));
  const fitted = fitMessage({ embeds: [{ title: "t".repeat(300), fields }] });
  const e = fitted.embeds[0]!;
  assert.equal(textLength(e.title), 256);
  assert.ok(e.fields!.length <= 25);
  assert.match(e.fields!.at(-1)!.value, /^\.\.\. and \d+ more$/);
  const kept = e.fields!.length - 1;
  assert.equal(kept + Number(/(\d+)/.exec(e.fields!.at(-1)!.value)![1]), 30);
  assert.equal(messageLimitError(fitted), null);
  const two = fitMessage({
    embeds: [{ description: "a\n".repeat(2040) }, { description: "b\n".repeat(2040) }],
  });
  assert.equal(messageLimitError(two), null);
  assert.equal(fitMessage({ content: "c".repeat(2500) }).content!.length, 2000);
});

Deno.test("joinLines() keeps what fits and counts the rest", () => {
  assert.equal(joinLines(["a", "b"], 10), "a\nb");
  assert.equal(
    joinLines(["a".repeat(8), "b".repeat(8), "c".repeat(8), "d".repeat(8)], 25),
    "aaaaaaaa\n... and 3 more",
  );
});
