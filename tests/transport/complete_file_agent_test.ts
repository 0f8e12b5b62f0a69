/**
 * "A complete file wins" end to end: a real hub and the real agent over loopback, with the fake
 * Discord. A gamestats file whose first 60 % the agent sent (it ended at a line end and was quiet
 * for 2 s) is replaced when the game finishes writing it: one round with every player, one post,
 * edited to show the complete round.
 * A results file (JSON) is never sent before it parses, so its complete version is imported
 * normally, once.
 */
import assert from "node:assert/strict";
import { accFile } from "@/tests/_acc_file.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { getRound } from "@/kv/etl/rounds.ts";
import { kvReader } from "@/kv/reader.ts";
import { eventually, startAgent, startHub } from "@/tests/transport/_hub.ts";
import { discordEnvFor, startFakeDiscord } from "@/tests/fakes/discord.ts";
import { readSample, sampleTest } from "@/tests/_samples.ts";
import { prefixAtLine } from "@/tests/etl/_etl.ts";

const SECRET = "complete-file-secret";
const ETL = "700000000000000151";
const RECORDS = "700000000000000152";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function roundPlayers(kvPath: string, id: string): Promise<number | null> {
  const kv = await Deno.openKv(kvPath);
  try {
    return (await getRound(kvReader(kv), id))?.players.length ?? null;
  } finally {
    kv.close();
  }
}

async function throughAgent(etl: { name: string; bytes: Uint8Array }): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "podium-complete-" });
  const dir = `${root}/results`;
  await Deno.mkdir(dir);
  const discord = await startFakeDiscord({ channels: [ETL, RECORDS] });
  await Deno.writeTextFile(
    `${root}/podium.json`,
    JSON.stringify({ discord: { channels: { etl: ETL, records: RECORDS } } }),
  );
  const kvPath = `${root}/hub.kv`;
  const hub = await startHub({
    kvPath,
    env: {
      PODIUM_SECRET_ACC_EU: SECRET,
      PODIUM_CONFIG: `${root}/podium.json`,
      ...discordEnvFor(discord),
    },
  });
  const agent = startAgent({
    hub: hub.url,
    server: "acc-eu",
    dirs: [dir],
    state: `${root}/state.json`,
    secret: SECRET,
  });
  try {
    await agent.out.waitFor(/watching/);
    // The game has written 60 % of the stats file, then pauses longer than the agent's quiet time.
    await Deno.writeFile(`${dir}/${etl.name}`, prefixAtLine(etl.bytes));
    const first = await agent.out.waitFor(new RegExp(`sent .*${etl.name}: imported as session (\\S+)`));
    const roundId = first.match(/imported as session (\S+)/)![1]!;
    await eventually(() => Promise.resolve(discord.channelMessages(ETL).length === 1), "the round's post");
    const short = await roundPlayers(kvPath, roundId);
    const posted = JSON.stringify(discord.channelMessages(ETL)[0]!.body);
    await Deno.writeFile(`${dir}/${etl.name}`, etl.bytes);
    await agent.out.waitFor(/completing the shorter file sent before/);
    // The round's post is edited to show the complete round.
    await eventually(() => Promise.resolve(discord.channelMessages(ETL)[0]!.edits === 1), "the post's edit");
    assert.notEqual(JSON.stringify(discord.channelMessages(ETL)[0]!.body), posted);

    // A results file: the agent holds a JSON prefix back (it does not parse), then sends it whole.
    const acc = accFile({
      track: "monza",
      cars: [
        { playerId: "S1", first: "Ann", last: "Fast", laps: [101_000, 100_500] },
        { playerId: "S2", first: "Bob", last: "Quick", laps: [102_000, 101_500] },
      ],
    });
    const accName = "260105_200000_Q.json";
    await Deno.writeFile(`${dir}/${accName}`, acc.slice(0, Math.floor(acc.length * 0.3) & ~1));
    await sleep(3000); // past the JSON quiet time: nothing parses, nothing is sent
    assert.equal(agent.out.count(new RegExp(accName)), 0, agent.out.all.join("\n"));
    await Deno.writeFile(`${dir}/${accName}`, acc);
    await agent.out.waitFor(new RegExp(`sent .*${accName}: imported`));
    await eventually(() => Promise.resolve(discord.channelMessages(RECORDS).length > 0), "the record posts");
    await sleep(1500); // time for any second post to show

    const players = new TextDecoder().decode(etl.bytes).trimEnd().split("\n").length - 1;
    assert.ok(short! < players);
    assert.equal(await roundPlayers(kvPath, roundId), players, "one round with every player");
    assert.equal(discord.channelMessages(ETL).length, 1, "the round is posted once");
    assert.equal(discord.channelMessages(ETL)[0]!.edits, 1, "and edited once");
    const records = discord.channelMessages(RECORDS).map((m) => JSON.stringify(m.body));
    assert.equal(new Set(records).size, records.length, "no record post twice");
    assert.equal(agent.out.count(new RegExp(`sent .*${accName}`)), 1);
  } finally {
    await agent.stop();
    await hub.stop();
    await discord.close();
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("agent: a gamestats file sent 60 % written is replaced by the complete file, posted once; a results file waits until it parses (generated)", async () => {
  const f = generateEtlFiles(1, { perRound: 12, seed: 15 }).next().value!;
  await throughAgent({ name: f.name, bytes: new TextEncoder().encode(f.text) });
});

sampleTest(
  "agent: a real gamestats file sent 60 % written is replaced by the complete file, posted once",
  async () => {
    const name = "2025-10-12-221244-te_escape2-round-1.txt";
    await throughAgent({ name, bytes: readSample(`etl/${name}`) });
  },
);
