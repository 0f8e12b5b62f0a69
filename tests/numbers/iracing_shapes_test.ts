import assert from "node:assert/strict";
import { GENERATED_LEAGUES, generatedIracingAnswers, type IracingAnswers } from "@/fixtures/iracing.ts";
import { sampleIracingAnswers } from "@/tests/fakes/_iracing_samples.ts";
import { sampleTest } from "@/tests/_samples.ts";

/**
 * A JSON value's shape: every path (object keys, `[]` for array items) with the types seen there.
 * Arrays merge their items' shapes, so a roster whose numbers are text or null reads
 * `roster[].car_number: null|string`.
 */
function shapeOf(value: unknown, path = "$", out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const type = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (!out.has(path)) out.set(path, new Set());
  out.get(path)!.add(type);
  if (Array.isArray(value)) { for (const item of value) shapeOf(item, `${path}[]`, out); }
  else if (type === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) shapeOf(v, `${path}.${k}`, out);
  }
  return out;
}

/** The shape as sorted lines, `path: type|type`, for a readable diff. */
function shapeLines(value: unknown): string[] {
  return [...shapeOf(value)].map(([p, t]) => `${p}: ${[...t].sort().join("|")}`).sort();
}

function sameShape(generated: unknown, sample: unknown, what: string): void {
  assert.deepEqual(shapeLines(generated), shapeLines(sample), `${what}: the generated shape differs`);
}

sampleTest("the generated iRacing answers have the samples' shapes (keys and types)", () => {
  const s: IracingAnswers = sampleIracingAnswers();
  const g = generatedIracingAnswers();
  const { main, licensed, single } = GENERATED_LEAGUES;
  // The three leagues, each against the sample it stands for: numbers as text with one null
  // (7058), licences (10651), one member without a number and no caller's view (8234).
  sameShape(g.leagues.get(main.id), s.leagues.get(7058), "league with numbers as text");
  sameShape(g.leagues.get(licensed.id), s.leagues.get(10651), "league with licences");
  sameShape(g.leagues.get(single.id), s.leagues.get(8234), "one-member league");
  sameShape(g.link.content, s.link.content, "link envelope");
  assert.deepEqual(Object.keys(g.link.headers).sort(), Object.keys(s.link.headers).sort());
  sameShape(g.rosterEnvelope, s.rosterEnvelope, "league_roster envelope");
  for (const kind of ["401", "403", "503", "504"] as const) {
    const [ge, se] = [g.errors[kind], s.errors[kind]];
    assert.equal(ge.statuscode, se.statuscode, kind);
    assert.deepEqual(Object.keys(ge.headers).sort(), Object.keys(se.headers).sort(), `${kind} headers`);
    assert.equal(ge.contentType, se.contentType, `${kind} content type`);
    sameShape(ge.content, se.content, `${kind} body`);
  }
  // member/info: the generator writes the documented keys, each with the sample's type.
  for (const [k, v] of Object.entries(g.memberInfo)) {
    assert.equal(typeof v, typeof s.memberInfo[k], `member/info ${k}`);
  }
});

Deno.test("the generated iRacing answers keep the documented facts (docs/racing-formats.md D2-D5)", () => {
  const g = generatedIracingAnswers();
  const { main, licensed, single } = GENERATED_LEAGUES;
  const roster = (id: number) => g.leagues.get(id)!.roster as Record<string, unknown>[];
  // D4: the roster inline, with the fields a number bot reads.
  for (const m of roster(main.id)) {
    for (
      const k of ["cust_id", "display_name", "helmet", "owner", "admin", "league_member_since", "car_number"]
    ) {
      assert.ok(k in m, k);
    }
    assert.equal(typeof m.cust_id, "number");
    assert.ok(m.car_number === null || typeof m.car_number === "string");
  }
  assert.equal(roster(main.id).length, main.members);
  assert.equal(g.leagues.get(main.id)!.roster_count, main.members);
  // D5: numbers are text, leading zeros make a distinct number, some members have none.
  const numbers = roster(main.id).map((m) => m.car_number);
  assert.ok(numbers.includes("07") && numbers.includes("7"));
  assert.ok(numbers.includes(null));
  assert.ok(numbers.some((n) => typeof n === "string" && n.length === 3));
  // Licences: one per category (oval, road, dirt oval, dirt road, sports car).
  const lic = roster(licensed.id)[0]!.licenses as Record<string, unknown>[];
  assert.deepEqual(lic.map((l) => l.category), ["oval", "road", "dirt_oval", "dirt_road", "sports_car"]);
  for (const k of ["category_id", "license_level", "safety_rating", "irating", "group_name"]) {
    assert.ok(k in lic[0]!);
  }
  assert.ok(roster(single.id).length === 1 && roster(single.id)[0]!.car_number === null);
  // D3: the link envelope and the roster's data_url hop.
  assert.deepEqual(Object.keys(g.link.content as object).sort(), ["expires", "link"]);
  assert.equal(g.rosterEnvelope.type, "league_roster");
  assert.match(String(g.rosterEnvelope.data_url), /X-Amz-Expires=900/);
  // D2: rate-limit headers and the error bodies; the 504 is CloudFront's HTML page.
  assert.deepEqual(Object.keys(g.link.headers).sort(), [
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
  ]);
  assert.deepEqual(g.errors["401"].content, { error: "Unauthorized" });
  assert.deepEqual(g.errors["403"].content, { error: "Forbidden" });
  assert.equal((g.errors["503"].content as { error: string }).error, "Site Maintenance");
  assert.equal(g.errors["504"].contentType, "text/html");
  assert.match(String(g.errors["504"].content), /<TITLE>ERROR: The request could not be satisfied<\/TITLE>/);
  assert.match(String(g.errors["504"].content), /CloudFront/);
});
