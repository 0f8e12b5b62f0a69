import assert from "node:assert/strict";
import { etlFormat, MAX_PLAYER_LINES } from "@/games/etl/parser.ts";

const NAME = "2025-10-17-203425-supply-round-1.txt";
const HEADER = "srv\\supply\\legacy3\\1\\1\\2\\12:00\\7:42\n";

/** A player line with `fields` TAB fields, each "1" unless `at` says otherwise. */
function line(guid: string, fields = 38, at: Record<number, string> = {}): string {
  const f = Array.from({ length: fields }, (_, i) => at[i] ?? "1");
  return `${guid}\\Player ${guid}\\0\\1\\16 1 2 1 0 0 \t${f.join("\t")}\n`;
}

function parse(text: string) {
  const o = etlFormat.parse(text, { name: NAME });
  if (o.status !== "etl") throw new Error(`expected a round, got ${JSON.stringify(o)}`);
  return o.round;
}

Deno.test("etlFormat: the line width comes from the majority: one 53-field line does not make five correct lines 'cut short'", () => {
  const good = ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE"].map((g) => line(g));
  const round = parse(HEADER + good.slice(0, 2).join("") + line("FFFFFFFF", 53) + good.slice(2).join(""));
  assert.equal(round.players.length, 5);
  assert.equal(round.tabFields, 38);
  assert.equal(round.warnings.length, 1);
  assert.match(round.warnings[0]!, /^line 4 dropped: 53 TAB fields where the others have 38/);
});

Deno.test("etlFormat: a non-numeric, non-finite or negative counter drops that line with a warning naming the field", () => {
  const cases: [Record<number, string>, RegExp][] = [
    [{ 0: "abc" }, /field damageGiven \(f0\) is not a finite number/],
    [{ 0: "1e308" }, /field damageGiven \(f0\) is not a finite number/],
    [{ 1: "9".repeat(400) }, /field damageReceived \(f1\) is not a finite number/],
    [{ 0: "-99999" }, /field damageGiven \(f0\) is negative \(-99999\)/],
    [{ 22: "-1" }, /field timePlayedMinutes \(f22\) is negative/],
  ];
  for (const [at, warning] of cases) {
    const round = parse(HEADER + line("AAAAAAAA") + line("BBBBBBBB", 38, at) + line("CCCCCCCC"));
    assert.deepEqual(round.players.map((p) => p.guid), ["AAAAAAAA", "CCCCCCCC"], String(warning));
    assert.equal(round.warnings.length, 1);
    assert.match(round.warnings[0]!, warning);
    assert.ok(round.players.every((p) => p.f.every((v) => Number.isFinite(v) && v >= 0)));
  }
  const negWeapon = line("BBBBBBBB").replace("\\16 1 2 1 0 0", "\\16 1 -2 1 0 0");
  const round = parse(HEADER + line("AAAAAAAA") + negWeapon + line("CCCCCCCC"));
  assert.equal(round.players.length, 2);
  assert.match(round.warnings[0]!, /weapon 4 has a negative count/);
});

Deno.test("etlFormat: the first 60 % of a round's file is rejected, not stored with a warning", () => {
  const full = HEADER +
    ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE", "FFFFFFFF"].map((g) => line(g)).join("");
  const cut = full.slice(0, Math.floor(full.length * 0.6));
  const o = etlFormat.parse(cut, { name: NAME });
  assert.equal(o.status, "rejected");
  if (o.status === "rejected") {
    assert.match(o.reason, /last player line \(line \d\) is cut short.*incomplete/);
  }
  assert.equal(parse(full).players.length, 6);
});

Deno.test("etlFormat: a file with more player lines than any server has slots is refused with the count", () => {
  const many = Array.from({ length: MAX_PLAYER_LINES + 1 }, (_, i) => line(i.toString(16).padStart(8, "0")))
    .join("");
  const out = etlFormat.parse(HEADER + many, { name: NAME });
  assert.equal(out.status, "rejected");
  if (out.status === "rejected") assert.match(out.reason, /too many players: 257 player lines, at most 256/);
  const full = Array.from({ length: 64 }, (_, i) => line(i.toString(16).padStart(8, "0"))).join("");
  assert.equal(parse(HEADER + full).players.length, 64);
});
