/**
 * Time attack counts a person once (kv/ta/boards.ts): drivers an admin merged are one entry per
 * event (the person's best lap) and one line of the standings (points once), on generated files;
 * split and undo give back what was there. `/standings` and `/event` in pages, through signed
 * interactions, and `/ta pb` for a merged driver's GUID.
 */
import assert from "node:assert/strict";
import { taCommands } from "@/discord/ta/commands.ts";
import { seasonBoards } from "@/kv/ta/boards.ts";
import { computeStandings } from "@/kv/ta/standings.ts";
import { mergeIdentities, splitIdentity, undoPeopleChange } from "@/kv/people/merge.ts";
import { outboxPrefix } from "@/kv/keys.ts";
import { discordConfig, interactionsApp, testDeps } from "@/tests/discord/_app.ts";
import { commandBody, componentBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { acFile, importFiles, ta, taConfig } from "@/tests/ta/_ta.ts";

const NOW = new Date("2019-03-12T12:00:00Z"); // during event3
const INT = 4, STR = 3, SUB = 1;
let clock = NOW.getTime();
const meta = () => ({ by: "admin", now: new Date(clock += 60_000) });
const driver = (id: string) => ({ kind: "driver" as const, id });
const RBR = { track: "ks_red_bull_ring", layout: "layout_national" };
const VAL = { track: "ks_vallelunga", layout: "layout_3" };

/** 20 drivers in event1 and in event3; 3001 wins event1 ahead of 3002, 3002 wins event3 ahead of 3001. */
async function setup() {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const config = taConfig();
  const ids = Array.from({ length: 20 }, (_, i) => String(3001 + i));
  const ms1 = (i: number) => 50_000 + i * 100, ms3 = (i: number) => 70_000 + i * 100;
  await importFiles(kv, config, [
    acFile({
      at: "2019-02-20T12:00",
      ...RBR,
      laps: ids.map((guid, i) => ({ guid, name: `Driver ${i + 1}`, car: "rss_formula_rss_4", ms: ms1(i) })),
    }),
    acFile({
      at: "2019-03-10T12:00",
      ...VAL,
      // 3002 first, then 3003, then 3001: the person's best at event3 is 3002's lap.
      laps: ids.map((guid, i) => ({
        guid,
        name: `Driver ${i + 1}`,
        car: "ks_mazda_mx5_cup",
        ms: i === 0 ? ms3(2) + 50 : i === 1 ? ms3(0) : ms3(i),
      })),
    }),
  ]);
  const cfg = {
    ...discordConfig(signer.publicKeyHex),
    servers: config.servers,
    timeAttack: config.timeAttack,
  };
  const app = interactionsApp(testDeps(kv, cfg, { now: () => NOW }), [taCommands]);
  const call = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: Math.floor(NOW.getTime() / 1000) });
    assert.equal(res.status, 200, await res.clone().text());
    // deno-lint-ignore no-explicit-any
    return (await res.json()) as any;
  };
  return { kv, config, call, [Symbol.dispose]: () => kv.close() };
}

async function standingsOf(kv: Deno.Kv, config: ReturnType<typeof taConfig>) {
  const t = ta(config), season = t.seasons[0]!;
  const boards = await seasonBoards(kv, t, season);
  return { boards, st: computeStandings(season, boards) };
}

const outboxCount = async (kv: Deno.Kv) =>
  (await Array.fromAsync(kv.list({ prefix: outboxPrefix() }))).length;

Deno.test("time attack: merged drivers are one entry per event and one line of standings; split and undo", async () => {
  using s = await setup();
  const before = await standingsOf(s.kv, s.config);
  const e1 = before.boards.find((b) => b.event.key === "event1")!;
  const e3 = before.boards.find((b) => b.event.key === "event3")!;
  assert.deepEqual(e1.entries.slice(0, 2).map((e) => e.driver.id), ["3001", "3002"]);
  assert.deepEqual(e3.entries.slice(0, 3).map((e) => e.driver.id), ["3002", "3003", "3001"]);
  assert.equal(before.st.entries.length, 20);
  const posts = await outboxCount(s.kv);

  const { person } = await mergeIdentities(s.kv, {
    identities: [driver("3001"), driver("3002")],
    name: "One Person",
  }, meta());
  assert.equal(await outboxCount(s.kv), posts, "a merge announces nothing");
  const after = await standingsOf(s.kv, s.config);
  const m1 = after.boards.find((b) => b.event.key === "event1")!;
  const m3 = after.boards.find((b) => b.event.key === "event3")!;
  // Best per person per event: 3001's lap at event1, 3002's at event3; everybody else up one place.
  assert.deepEqual(m1.entries[0], { ...e1.entries[0]!, driver: { id: person.id, name: "One Person" } });
  assert.deepEqual(m3.entries[0], { ...e3.entries[0]!, driver: { id: person.id, name: "One Person" } });
  assert.equal(m1.entries.length, 19);
  assert.equal(m3.entries.length, 19);
  assert.deepEqual(
    m1.entries.slice(1).map((e) => [e.rank, e.driver.id]),
    e1.entries.slice(2).map((e, i) => [i + 2, e.driver.id]),
  );
  assert.deepEqual(m3.entries.map((e) => e.driver.id).filter((id) => id === "3001" || id === "3002"), []);
  // Standings: one line, points once per event (the winner's 101.00 twice), 19 lines in all.
  assert.equal(after.st.entries.length, 19);
  const line = after.st.entries.find((l) => l.driver.id === person.id)!;
  assert.deepEqual(line.events, { event1: 101, event3: 101 });
  assert.equal(line.points, 202);
  assert.equal(line.rank, 1);
  assert.equal(line.wins, 2);

  // Split 3002 off: the boards and standings as they were; undo: one person again.
  await splitIdentity(s.kv, driver("3002"), meta());
  assert.deepEqual(await standingsOf(s.kv, s.config), before);
  await undoPeopleChange(s.kv, null, meta());
  assert.deepEqual((await standingsOf(s.kv, s.config)).st, after.st);
  assert.equal(await outboxCount(s.kv), posts, "merges, splits and undos announce nothing");

  // /ta pb by the second driver's GUID: the person's season.
  const pb = await s.call(
    commandBody("ta", [{ name: "pb", type: SUB, options: [{ name: "player", type: STR, value: "3002" }] }]),
  );
  assert.equal(pb.data.embeds[0].title, "One Person: season 1");
  assert.match(pb.data.embeds[0].footer.text, /Standings: P1, 202\.00 points/);
});

Deno.test("/standings and /event in pages through signed interactions; forged pages clamped", async () => {
  using s = await setup();
  const st = await s.call(commandBody("standings", [{ name: "season", type: INT, value: 1 }]));
  const e = st.data.embeds[0];
  assert.equal(e.description.split("\n").length, 15);
  assert.match(e.footer.text, /20 drivers, page 1 of 2\.$/);
  const next = st.data.components[0].components[2];
  assert.equal(next.custom_id, "tas:1|1");
  const p2 = await s.call(componentBody(next.custom_id));
  assert.equal(p2.type, 7);
  const lines2 = p2.data.embeds[0].description.split("\n");
  assert.equal(lines2.length, 5);
  assert.match(lines2[0], /^\*\*16\.\*\* /);
  assert.match(lines2[4], /^\*\*20\.\*\* /);
  const forged = await s.call(componentBody("tas:1|99"));
  assert.match(forged.data.embeds[0].footer.text, /page 2 of 2\.$/);
  const noSeason = await s.call(componentBody("tas:9|0"));
  assert.equal(noSeason.data.flags, 64);
  assert.match(noSeason.data.content, /no season 9/);

  const ev = await s.call(commandBody("event", [{ name: "key", type: STR, value: "event1" }]));
  const d = ev.data.embeds[0].description.split("\n");
  assert.equal(d.filter((l: string) => /^\*\*\d+\.\*\*/.test(l)).length, 10);
  assert.doesNotMatch(ev.data.embeds[0].description, /and \d+ more/);
  assert.equal(ev.data.embeds[0].footer.text, "20 drivers, page 1 of 2");
  assert.equal(ev.data.components[0].components[2].custom_id, "tae:event1|1");
  const ev2 = await s.call(componentBody("tae:event1|1"));
  const rows = ev2.data.embeds[0].description.split("\n").filter((l: string) => /^\*\*\d+\.\*\*/.test(l));
  assert.equal(rows.length, 10);
  // Gaps stay to the event's winner on every page.
  assert.match(rows[0], /^\*\*11\.\*\* Driver 11: `51\.000` \(\+1\.000\)/);
  const far = await s.call(componentBody("tae:event1|-3"));
  assert.equal(far.data.embeds[0].footer.text, "20 drivers, page 1 of 2");
});
