/**
 * "A complete file wins" (docs/security.md): a round stored from the beginning of a gamestats
 * file (the agent sent it while the game was still writing) is replaced by the complete file with
 * the same name, through the push route: the store ends as if only the complete file had come,
 * and the round is announced once. Any other file with that name stays refused. A results file
 * (JSON) has no such prefix: its beginning does not parse and is refused, and the complete file is
 * imported normally later.
 */
import assert from "node:assert/strict";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { endstatsFor } from "@/fixtures/gen_etl_endstats.ts";
import { getEndstats } from "@/kv/etl/endstats.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { etlSessionEnd } from "@/crons/etl_session_end.ts";
import { getRound } from "@/kv/etl/rounds.ts";
import { kvReader } from "@/kv/reader.ts";
import { pushApp, pushRequest } from "@/tests/transport/_push.ts";
import { readSample, sampleTest } from "@/tests/_samples.ts";
import { prefixAtLine } from "@/tests/etl/_etl.ts";
import { accFile } from "@/tests/_acc_file.ts";

const NOW = new Date("2026-01-05T12:00:00Z");
const SECRET = "test-secret-etl-complete";
Deno.env.set("PODIUM_SECRET_ACC_EU", SECRET);
const enc = new TextEncoder();

let clock = 0;
async function push(kv: Deno.Kv, file: string, body: Uint8Array) {
  const { app } = pushApp(kv, { now: NOW });
  // A fresh timestamp per request: the replay guard refuses a signature seen before.
  const at = new Date(NOW.getTime() - 240_000 + 1000 * ++clock);
  const res = await app.fetch(await pushRequest({ secret: SECRET, server: "acc-eu", file, body, at }));
  return { status: res.status, body: await res.json() };
}

/** Everything the ET:Legacy model stores (rounds, raw text, players, indexes, maps). */
async function etlState(kv: Deno.Kv): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for await (const e of kv.list({ prefix: [] })) {
    const head = String(e.key[0]);
    if (head.startsWith("etl_") && head !== "etl_failed") out.set(JSON.stringify(e.key), e.value);
  }
  return out;
}

/** The announcements waiting in the outbox: new posts, and edits of posts (`edit: true`). */
async function announced(kv: Deno.Kv, edits = false): Promise<string[]> {
  return (await listOutbox(kv, 1000)).filter((i) => (i.announcement.edit === true) === edits)
    .map((i) => JSON.stringify(i.announcement)).sort();
}

/** Pushes the first 60 % of round 1, then (with `r2` before) the complete file, and compares with a store that got only the complete files. */
async function partialThenComplete(files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  const [r1, ...rest] = files;
  using kv = await Deno.openKv(":memory:");
  const partial = prefixAtLine(r1!.bytes);
  const first = await push(kv, r1!.name, partial);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const roundId = first.body.sessionId as string;
  const short = await getRound(kvReader(kv), roundId);
  for (const f of rest) assert.equal((await push(kv, f.name, f.bytes)).status, 201);

  const done = await push(kv, r1!.name, r1!.bytes);
  assert.equal(done.status, 201, JSON.stringify(done.body));
  assert.equal(done.body.sessionId, roundId);
  assert.equal(done.body.replaced, short!.sha256, "the answer names the shorter file it replaced");
  assert.equal(done.body.announcements, 0, "already announced: nothing twice");
  const full = await getRound(kvReader(kv), roundId);
  assert.ok(full!.players.length > short!.players.length, "the complete file's players are stored");

  // The store is what the complete files alone give: rounds, differentials, totals, maps, indexes.
  using fresh = await Deno.openKv(":memory:");
  for (const f of files) assert.equal((await push(fresh, f.name, f.bytes)).status, 201);
  assert.deepEqual(await etlState(kv), await etlState(fresh));
  assert.deepEqual(await announced(kv), await announced(fresh), "one round post each, one map result");
  // The post the shorter file got (and the map result it is part of) is edited, not posted again.
  const edits = (await announced(kv, true)).map((a) => JSON.parse(a));
  assert.deepEqual(
    edits.map((e) => e.type).sort(),
    files.length > 1 ? ["etl_map_result", "etl_round"] : ["etl_round"],
  );
  assert.ok(edits.every((e) => e.roundId === roundId || e.r1Id === roundId));

  // The shorter file again is a duplicate; another beginning of it or a different file is refused.
  const again = await push(kv, r1!.name, partial);
  assert.equal(again.status, 200);
  assert.equal(again.body.status, "duplicate");
  const shorter = await push(kv, r1!.name, prefixAtLine(r1!.bytes, 0.4));
  assert.equal(shorter.status, 422);
  assert.match(shorter.body.reason, /already stored from a more complete file with the same name/);
  const text = new TextDecoder().decode(r1!.bytes);
  // The same round with another value in the last player line's last counter.
  const last = text.at(-2) === "7" ? "8" : "7";
  const other = await push(kv, r1!.name, enc.encode(`${text.slice(0, -2)}${last}\n`));
  assert.equal(other.status, 422);
  assert.match(other.body.reason, /already stored from a different file with the same name/);
  assert.deepEqual(await etlState(kv), await etlState(fresh), "a refused file changes nothing");
}

function generated(): { name: string; bytes: Uint8Array }[] {
  return [...generateEtlFiles(2, { perRound: 12, seed: 15 })].map((f) => ({
    name: f.name,
    bytes: enc.encode(f.text),
  }));
}

Deno.test("a round stored from the first 60 % of its file is replaced by the complete file (generated R1)", async () => {
  const [r1] = generated();
  await partialThenComplete([r1!]);
});

Deno.test("a completed R1 recomputes the R2 already paired with it (generated R1 and R2)", async () => {
  await partialThenComplete(generated());
});

sampleTest(
  "a round stored from the first 60 % of a real gamestats file is replaced by the complete file",
  async () => {
    const names = ["2025-10-12-221244-te_escape2-round-1.txt", "2025-10-12-221603-te_escape2-round-2.txt"];
    await partialThenComplete(names.map((name) => ({ name, bytes: readSample(`etl/${name}`) })));
  },
);

Deno.test("a results file's beginning is refused (it does not parse) and stores nothing; the complete file is then imported once", async () => {
  using kv = await Deno.openKv(":memory:");
  const name = "260105_200000_Q.json";
  const bytes = accFile({
    track: "monza",
    cars: [{ playerId: "S1", first: "Ann", last: "Fast", laps: [101_000, 100_500] }],
  });
  const part = await push(kv, name, bytes.slice(0, Math.floor(bytes.length * 0.6) & ~1));
  assert.equal(part.status, 422);
  assert.match(part.body.reason, /ACC|JSON|parse/i);
  assert.equal((await listOutbox(kv)).length, 0);
  const whole = await push(kv, name, bytes);
  assert.equal(whole.status, 201, JSON.stringify(whole.body));
  assert.equal(whole.body.records, 2, "overall and class record, announced once");
  assert.equal(whole.body.replaced, undefined);
  assert.equal((await push(kv, name, bytes)).body.status, "duplicate");
  const outbox = (await listOutbox(kv)).map((i) => i.announcement.type);
  assert.equal(outbox.length, whole.body.announcements);
});

Deno.test("an endstats file stored from its first 60 % is replaced by the complete file; its awards post is edited", async () => {
  using kv = await Deno.openKv(":memory:");
  const [r1] = generated();
  const es = endstatsFor(r1!.name, new TextDecoder().decode(r1!.bytes), { vs: true });
  const bytes = enc.encode(es.text);
  assert.equal((await push(kv, r1!.name, r1!.bytes)).status, 201);
  const part = await push(kv, es.name, prefixAtLine(bytes));
  assert.equal(part.status, 201, JSON.stringify(part.body));
  const roundId = part.body.sessionId as string;
  const short = await getEndstats(kvReader(kv), roundId);
  const done = await push(kv, es.name, bytes);
  assert.equal(done.status, 201, JSON.stringify(done.body));
  assert.equal(done.body.replaced, short!.sha256);
  const full = await getEndstats(kvReader(kv), roundId);
  assert.ok(full!.vs.length + full!.awards.length > short!.vs.length + short!.awards.length);

  using fresh = await Deno.openKv(":memory:");
  assert.equal((await push(fresh, r1!.name, r1!.bytes)).status, 201);
  assert.equal((await push(fresh, es.name, bytes)).status, 201);
  const { importedAt: _a, ...kept } = full!;
  const { importedAt: _b, ...alone } = (await getEndstats(kvReader(fresh), roundId))!;
  assert.deepEqual(kept, alone, "as if only the complete file had come");
  assert.deepEqual(await announced(kv), await announced(fresh), "one awards post");
  assert.deepEqual((await announced(kv, true)).map((a) => JSON.parse(a)), [
    { type: "etl_awards", roundId, edit: true },
  ]);
  const other = await push(kv, es.name, enc.encode(es.text.replace(/\d(\D*)$/, "9$1")));
  assert.equal(other.status, 422);
  assert.match(other.body.reason, /already has endstats from a different file with the same name/);
});

Deno.test("a round completed after the evening's summary was posted edits that summary too (and only then)", async () => {
  using kv = await Deno.openKv(":memory:");
  const [r1, r2] = generated();
  const first = await push(kv, r1!.name, prefixAtLine(r1!.bytes));
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const second = await push(kv, r2!.name, r2!.bytes);
  assert.equal(second.status, 201, JSON.stringify(second.body));
  const last = await getRound(kvReader(kv), second.body.sessionId as string);
  const end = await etlSessionEnd({ kv }, new Date(Date.parse(last!.playedAt) + 31 * 60_000));
  assert.equal(end.status, "announced");

  const done = await push(kv, r1!.name, r1!.bytes);
  assert.equal(done.status, 201, JSON.stringify(done.body));
  assert.equal(done.body.announcements, 0);
  const edits = (await announced(kv, true)).map((a) => JSON.parse(a));
  assert.deepEqual(
    edits.filter((e) => e.type === "etl_session"),
    [{ type: "etl_session", sessionId: end.sessionId, lastRoundId: last!.id, edit: true }],
  );
  assert.deepEqual(edits.map((e) => e.type).sort(), ["etl_map_result", "etl_round", "etl_session"]);
  // The summary is not posted again: one summary in the outbox, from the cron.
  assert.equal((await announced(kv)).filter((a) => JSON.parse(a).type === "etl_session").length, 1);
});
