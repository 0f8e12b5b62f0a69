/** A personal-best post says what happened on the board, in numbers the board agrees with. */
import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { personalBestEmbed, rankMove } from "@/discord/racing/announce_embeds.ts";
import type { PersonalBestAnnouncement } from "@/kv/racing/announcements.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { testApp } from "@/tests/_app.ts";

const driver = (n: number, last: string, laps: number[]) => ({
  playerId: `S7656119000000090${n}`,
  first: "Pb",
  last,
  laps,
});

Deno.test("A PB pushed down by faster newcomers in the same session says so, and agrees with the board", async () => {
  await using kv = await Deno.openKv(":memory:");
  const importer = new Importer(kv, { announce: true, now: () => new Date("2026-01-03T12:00:00Z") });
  const first = await importer.importOne({
    name: "260101_200000_Q.json",
    bytes: accFile({
      track: "monza",
      cars: [driver(1, "Alpha", [90_000]), driver(2, "Bravo", [91_000]), driver(3, "Charlie", [92_000])],
    }),
  });
  assert.equal(first.status, "imported");
  // Charlie improves past Bravo (3rd -> would be 2nd), but two newcomers are faster still.
  const second = await importer.importOne({
    name: "260102_200000_Q.json",
    bytes: accFile({
      track: "monza",
      cars: [driver(4, "Newcomer", [89_000]), driver(5, "Rookie", [89_500]), driver(3, "Charlie", [90_500])],
    }),
  });
  assert.equal(second.status, "imported");
  const pbs = (await listOutbox<PersonalBestAnnouncement>(kv, 100))
    .map((o) => o.announcement).filter((a) => a.type === "personal_best");
  assert.equal(pbs.length, 1);
  const pb = pbs[0]!;
  assert.deepEqual(
    [pb.driver.name, pb.rankBefore, pb.rankAfter, pb.passed, pb.pushedDown, pb.of],
    ["Pb Charlie", 3, 4, 1, 2, 5],
  );
  const text = personalBestEmbed(pb).description!;
  assert.match(text, /📉 Down 1 position: 2 drivers went faster in the same session \(passed 1\)\./);
  assert.match(text, /Rank \*\*#4\*\* of 5 \(was #3\)/);
  assert.doesNotMatch(text, /Held their place/);
  const board = await (await testApp(kv).request("/api/records?game=acc&track=monza&kind=Q")).json();
  assert.equal(board.of, 5);
  assert.equal(board.entries[3].driver.name, "Pb Charlie", "4th on the board, as the post says");
});

Deno.test("rankMove() words each case with numbers that add up", () => {
  const m = (rankBefore: number, rankAfter: number, passed?: number, pushedDown?: number) =>
    rankMove({ rankBefore, rankAfter, passed, pushedDown });
  assert.equal(m(5, 2, 3, 0), "🚀 Moved up 3 positions on the leaderboard!");
  assert.equal(m(2, 2, 0, 0), "💪 Held their place on the leaderboard.");
  assert.equal(
    m(5, 3, 3, 1),
    "🚀 Moved up 2 positions: passed 3, and 1 driver went faster in the same session.",
  );
  assert.equal(m(4, 4, 2, 2), "💪 Held #4: passed 2, and 2 drivers went faster in the same session.");
  assert.equal(m(2, 7, 0, 5), "📉 Down 5 positions: 5 drivers went faster in the same session.");
  assert.equal(m(6, 4), "🚀 Moved up 2 positions on the leaderboard!", "a post queued before the counts");
});
