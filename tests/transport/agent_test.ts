/**
 * The agent and the hub over loopback, each in its own process, the agent with README's narrow
 * permissions: files arrive exactly once whatever happens in between.
 */
import assert from "node:assert/strict";
import { accFile } from "@/tests/_acc_file.ts";
import { sha256Hex } from "@/lib/hash.ts";
import { eventually, freePort, importedHashes, startAgent, startHub } from "@/tests/transport/_hub.ts";
import { discordEnvFor, startFakeDiscord } from "@/tests/fakes/discord.ts";

const SECRET = "agent-test-secret";
const ENV = { PODIUM_SECRET_ACC_EU: SECRET };

/** A distinct ACC result file (UTF-16LE, as the server writes it), named by its minute. */
function result(i: number, laps = [100_000 + i]): { name: string; bytes: Uint8Array } {
  const hh = String(10 + Math.floor(i / 60)).padStart(2, "0"), mm = String(i % 60).padStart(2, "0");
  return {
    name: `260105_${hh}${mm}00_Q.json`,
    bytes: accFile({ track: "monza", cars: [{ playerId: `S${i}`, first: "Driver", last: `No${i}`, laps }] }),
  };
}

async function setup() {
  const root = await Deno.makeTempDir({ prefix: "podium-agent-" });
  const dir = `${root}/results`;
  await Deno.mkdir(dir);
  return { root, dir, kvPath: `${root}/hub.kv`, state: `${root}/state.json` };
}

async function hashesOf(kvPath: string): Promise<Set<string>> {
  return new Set(await importedHashes(kvPath));
}

Deno.test("agent: a hub killed and restarted in the middle of a backfill gets every file exactly once", async () => {
  const { root, dir, kvPath, state } = await setup();
  const files = Array.from({ length: 40 }, (_, i) => result(i));
  for (const [i, f] of files.entries()) {
    await Deno.writeFile(`${dir}/${f.name}`, f.bytes);
    // Oldest first: the file times say the order.
    await Deno.utime(`${dir}/${f.name}`, 1_700_000_000 + i, 1_700_000_000 + i);
  }
  const port = freePort();
  let hub = await startHub({ kvPath, port, env: ENV });
  const agent = startAgent({
    hub: hub.url,
    server: "acc-eu",
    dirs: [dir],
    state,
    secret: SECRET,
    flags: ["--backfill"],
  });
  try {
    await eventually(async () => (await hashesOf(kvPath)).size >= 8, "the first files");
    await hub.kill();
    const late = Array.from({ length: 5 }, (_, i) => result(100 + i));
    for (const f of late) await Deno.writeFile(`${dir}/${f.name}`, f.bytes);
    await agent.out.waitFor(/hub unavailable/);
    hub = await startHub({ kvPath, port, env: ENV });
    const all = [...files, ...late].map((f) => sha256Hex(f.bytes));
    await eventually(async () => (await hashesOf(kvPath)).size === all.length, "every file", 60_000);
    assert.deepEqual([...await hashesOf(kvPath)].sort(), [...all].sort());
    // Sent in order: the imported lines name the backfill oldest first.
    const sent = agent.out.all.filter((l) => / sent /.test(l)).map((l) => l.match(/(\d{6}_\d{6}_Q)/)![1]);
    const backfill = sent.filter((n) => files.some((f) => f.name.startsWith(n!)));
    assert.deepEqual(backfill, [...new Set(backfill)].sort(), "oldest first, none sent twice");
    assert.ok(agent.out.count(/hub reachable again/) >= 1);
  } finally {
    await agent.stop();
    await hub.stop();
  }
  // A restarted agent has nothing left to send.
  const hub2 = await startHub({ kvPath, env: ENV });
  try {
    const again = startAgent({
      hub: hub2.url,
      server: "acc-eu",
      dirs: [dir],
      state,
      secret: SECRET,
      flags: ["--once"],
    });
    assert.equal((await again.status).code, 0);
    assert.equal(again.out.count(/ sent /), 0, again.out.all.join("\n"));
  } finally {
    await hub2.stop();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("agent: a file written slowly in pieces, a replaced file, the same file in two folders", async (t) => {
  const { root, dir, kvPath, state } = await setup();
  const dir2 = `${root}/results 2`;
  await Deno.mkdir(dir2);
  const hub = await startHub({ kvPath, env: ENV });
  const agent = startAgent({ hub: hub.url, server: "acc-eu", dirs: [dir, dir2], state, secret: SECRET });
  try {
    await agent.out.waitFor(/watching/);

    await t.step("a file written in pieces is sent once, complete", async () => {
      const f = result(1);
      const file = await Deno.open(`${dir}/${f.name}`, { write: true, create: true });
      const piece = Math.ceil(f.bytes.length / 5);
      for (let at = 0; at < f.bytes.length; at += piece) {
        await file.write(f.bytes.subarray(at, at + piece));
        // Longer than the agent's quiet time: only the JSON check keeps it from sending a part.
        await new Promise((r) => setTimeout(r, 400));
      }
      file.close();
      await agent.out.waitFor(new RegExp(`sent .*${f.name}`));
      assert.deepEqual([...await hashesOf(kvPath)], [sha256Hex(f.bytes)]);
      assert.equal(agent.out.count(/rejected/), 0);
    });

    await t.step("a file replaced by a new version is sent again; the old version stays", async () => {
      const v1 = result(2), v2 = result(2, [99_000, 98_500]);
      await Deno.writeFile(`${dir}/${v1.name}`, v1.bytes);
      await eventually(async () => (await hashesOf(kvPath)).has(sha256Hex(v1.bytes)), "version 1");
      // Replaced the way careful writers do: a temporary file renamed over the old one.
      await Deno.writeFile(`${dir}/.${v2.name}.part`, v2.bytes);
      await Deno.rename(`${dir}/.${v2.name}.part`, `${dir}/${v2.name}`);
      await eventually(async () => (await hashesOf(kvPath)).has(sha256Hex(v2.bytes)), "version 2");
      // The hub commits before it answers: the agent's line for version 2 may follow a moment later.
      const sentLines = () => agent.out.count(new RegExp(`sent .*${v1.name}: imported`));
      await eventually(() => Promise.resolve(sentLines() >= 2), "the agent's line for version 2");
      assert.equal(sentLines(), 2);
    });

    await t.step("the same file in two folders is sent once", async () => {
      const f = result(3);
      await Deno.writeFile(`${dir}/${f.name}`, f.bytes);
      await Deno.writeFile(`${dir2}/${f.name}`, f.bytes);
      await agent.out.waitFor(/already sent .*same bytes/);
      assert.equal(agent.out.count(new RegExp(`sent .*${f.name}: (imported|duplicate)`)), 1);
      assert.equal((await hashesOf(kvPath)).size, 4);
    });
  } finally {
    await agent.stop();
    await hub.stop();
  }
  const saved = JSON.parse(await Deno.readTextFile(state));
  assert.equal(Object.keys(saved.files).length, 4, "every file acknowledged in the state file");
  await Deno.remove(root, { recursive: true });
});

Deno.test("agent --once: exit codes, first run, --dry-run, a rejected file and a wrong secret", async (t) => {
  const { root, dir, kvPath, state } = await setup();
  const old = result(1);
  await Deno.writeFile(`${dir}/${old.name}`, old.bytes);
  const hub = await startHub({ kvPath, env: ENV });
  const once = async (flags: string[], secret = SECRET, script?: string) => {
    const a = startAgent({
      hub: hub.url,
      server: "acc-eu",
      dirs: [dir],
      state,
      secret,
      flags: ["--once", ...flags],
      ...(script ? { script } : {}),
    });
    return { code: (await a.status).code, out: a.out.all.join("\n"), err: a.err.all.join("\n") };
  };
  try {
    await t.step("--dry-run sends nothing and writes no state", async () => {
      const r = await once(["--dry-run", "--backfill"]);
      assert.equal(r.code, 0);
      assert.match(r.out, new RegExp(`would send .*${old.name}`));
      await assert.rejects(Deno.stat(state));
      assert.equal((await hashesOf(kvPath)).size, 0);
    });

    await t.step("a wrong secret is one clear line and exit 3", async () => {
      const r = await once(["--backfill"], "not-the-secret");
      assert.equal(r.code, 3);
      assert.match(r.out, /refused the signature \(401\).*PODIUM_AGENT_SECRET/);
    });

    await t.step(
      "a first run without --backfill records what is there and sends only new files",
      async () => {
        const fresh = result(2);
        const r = await once([]);
        assert.equal(r.code, 0);
        assert.match(r.out, /1 file\(s\) already there recorded as sent/);
        await Deno.writeFile(`${dir}/${fresh.name}`, fresh.bytes);
        const r2 = await once([]);
        assert.equal(r2.code, 0, r2.out);
        assert.deepEqual([...await hashesOf(kvPath)], [sha256Hex(fresh.bytes)]);
      },
    );

    await t.step(
      "a file the hub rejects is logged once and not sent again; --once still exits 0",
      async () => {
        await Deno.writeTextFile(`${dir}/broken.json`, '{"not": "a result"}');
        const r = await once([]);
        assert.equal(r.code, 0);
        assert.match(r.out, /rejected .*broken\.json: unknown format/);
        const r2 = await once([]);
        assert.doesNotMatch(r2.out, /broken/);
      },
    );

    await t.step("run straight from the hub's /agent.ts, --backfill sends the old file", async () => {
      const res = await fetch(`${hub.url}/agent.ts`);
      assert.equal(res.headers.get("content-type"), "text/typescript; charset=utf-8");
      await res.body?.cancel();
      const r = await once(["--backfill"], SECRET, `${hub.url}/agent.ts`);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, new RegExp(`sent .*${old.name}: imported`));
      assert.equal((await hashesOf(kvPath)).size, 2);
    });
  } finally {
    await hub.stop();
  }

  await t.step(
    "with the hub down, --once gives up with a non-zero exit and keeps the file pending",
    async () => {
      const pending = result(3);
      await Deno.writeFile(`${dir}/${pending.name}`, pending.bytes);
      const r = await once([]);
      assert.equal(r.code, 1);
      assert.match(r.out, /hub unavailable/);
      assert.match(r.out, /1 file\(s\) not sent/);
      const saved = JSON.parse(await Deno.readTextFile(state));
      assert.equal(saved.files[`${await Deno.realPath(dir)}/${pending.name}`], undefined);
    },
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("agent: a pushed file's record is posted to Discord by the hub that imported it", async () => {
  const { root, dir, kvPath, state } = await setup();
  const RECORDS = "700000000000000101";
  const discord = await startFakeDiscord({ channels: [RECORDS] });
  await Deno.writeTextFile(
    `${root}/podium.json`,
    JSON.stringify({ discord: { channels: { records: RECORDS } } }),
  );
  const hub = await startHub({
    kvPath,
    env: {
      ...ENV,
      PODIUM_CONFIG: `${root}/podium.json`,
      ...discordEnvFor(discord),
    },
  });
  const agent = startAgent({ hub: hub.url, server: "acc-eu", dirs: [dir], state, secret: SECRET });
  try {
    await agent.out.waitFor(/watching/);
    const f = result(7);
    await Deno.writeFile(`${dir}/${f.name}`, f.bytes);
    await agent.out.waitFor(new RegExp(`sent .*${f.name}: imported`));
    await eventually(
      () => Promise.resolve(discord.channelMessages(RECORDS).length > 0),
      "the record's post",
      10_000,
    );
    assert.match(JSON.stringify(discord.channelMessages(RECORDS)[0]!.body), /No7/);
  } finally {
    await agent.stop();
    await hub.stop();
    await discord.close();
    await Deno.remove(root, { recursive: true });
  }
});
