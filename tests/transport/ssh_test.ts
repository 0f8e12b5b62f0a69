/** SSH against a real OpenSSH sshd on loopback: the client, and the poll that imports through it. */
import assert from "node:assert/strict";
import { type Sshd, sshdTest, startSshd } from "@/tests/fakes/sshd.ts";
import { connectSsh, HostKeyMismatch } from "@/lib/ssh.ts";
import { pollSource, pollSources } from "@/ingest/ssh_poll.ts";
import { sshPoll } from "@/crons/ssh_poll.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { configWith } from "@/tests/transport/_push.ts";
import type { AppDeps } from "@/deps.ts";
import type { SshSource } from "@/config.ts";
import { RankCache } from "@/kv/racing/rank_cache.ts";
import { ViewCache } from "@/kv/view_cache.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { kvReader } from "@/kv/reader.ts";
import { sshLeaseKey } from "@/kv/transport/keys.ts";

const NOW = new Date("2026-01-05T12:00:00Z");

function target(s: Sshd) {
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    privateKey: s.privateKey,
    hostKeyFingerprint: s.hostKeyFingerprint,
  };
}

function source(s: Sshd, over: Partial<SshSource> = {}): SshSource {
  return {
    id: "etl-main",
    server: "acc-eu",
    host: s.host,
    port: s.port,
    user: s.user,
    privateKeyEnv: "PODIUM_TEST_SSH_KEY",
    remoteDir: `${s.root}/results`,
    pattern: "*.json",
    hostKeyFingerprint: s.hostKeyFingerprint,
    ...over,
  };
}

function depsWith(kv: Deno.Kv, sources: SshSource[]): AppDeps {
  const config = { ...configWith(), sshSources: sources };
  return {
    kv,
    config,
    now: () => NOW,
    rankCache: new RankCache(),
    viewCache: new ViewCache(),
    discord: null,
    delivery: null,
  };
}

/** Writes the i-th distinct ACC result file into the remote folder, with a file time in order. */
async function remoteResult(dir: string, i: number, laps = [100_000 + i]): Promise<string> {
  const name = `260105_${String(10 + Math.floor(i / 60)).padStart(2, "0")}${
    String(i % 60).padStart(2, "0")
  }00_Q.json`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(`${dir}/${name}`, accFile({ track: "spa", cars: [{ playerId: `S${i}`, laps }] }));
  await Deno.utime(`${dir}/${name}`, 1_700_000_000 + i, 1_700_000_000 + i);
  return name;
}

const env = (s: Sshd) => (name: string) => name === "PODIUM_TEST_SSH_KEY" ? s.privateKey : undefined;

sshdTest("connectSsh() lists, reads, writes and runs commands; Nagle off, host key checked", async (s) => {
  await Deno.writeTextFile(`${s.root}/hello.txt`, "hello");
  await Deno.mkdir(`${s.root}/sub`);
  const ssh = await connectSsh(target(s), { timeoutMs: 5000 });
  try {
    const files = await ssh.list(s.root);
    assert.deepEqual(files.map((f) => [f.name, f.size]), [["hello.txt", 5]], "files only, no folders");
    assert.ok(Math.abs(files[0]!.mtimeMs - (await Deno.stat(`${s.root}/hello.txt`)).mtime!.getTime()) < 1000);
    assert.equal(new TextDecoder().decode(await ssh.read(`${s.root}/hello.txt`)), "hello");
    await ssh.write(`${s.root}/written.json`, new TextEncoder().encode('{"a":1}'));
    assert.equal(await Deno.readTextFile(`${s.root}/written.json`), '{"a":1}');
    assert.deepEqual(await ssh.exec("echo out; echo err >&2; exit 3"), {
      code: 3,
      stdout: "out\n",
      stderr: "err\n",
    });
    await assert.rejects(ssh.read(`${s.root}/missing.txt`), /Failed reading ".*missing.txt"/);
  } finally {
    await ssh.close();
  }
  await assert.rejects(
    connectSsh({ ...target(s), hostKeyFingerprint: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }),
    (err) => err instanceof HostKeyMismatch && err.message.includes(s.hostKeyFingerprint),
  );
});

sshdTest(
  "pollSource() imports new files once, oldest first, and downloads nothing it has seen",
  async (s, t) => {
    using kv = await Deno.openKv(":memory:");
    const dir = `${s.root}/results`;
    const names = [await remoteResult(dir, 2), await remoteResult(dir, 1), await remoteResult(dir, 3)];
    await Deno.writeTextFile(`${dir}/notes.txt`, "not matched by the pattern");
    const lines: string[] = [];
    const deps = depsWith(kv, [source(s)]);
    const opts = { env: env(s), log: (l: string) => lines.push(l) };

    await t.step("the first poll imports every file", async () => {
      const { ms, ...r } = await pollSource(deps, source(s), NOW, opts);
      assert.ok(ms.list >= 0 && ms.login > 0);
      assert.deepEqual(r, {
        source: "etl-main",
        status: "ok",
        listed: 3,
        fetched: 3,
        imported: 3,
        duplicate: 0,
        rejected: 0,
      });
      const order = lines.map((l) => l.match(/imported (\S+)/)?.[1]);
      assert.deepEqual(order, [names[1], names[0], names[2]], "oldest first");
      const id = lines[0]!.match(/session (\S+)/)![1]!;
      assert.equal((await getSession(kvReader(kv), id))?.serverId, "acc-eu");
    });

    await t.step("the next poll downloads nothing", async () => {
      const r = await pollSource(deps, source(s), NOW, opts);
      assert.equal(r.fetched, 0);
      assert.equal(r.listed, 3);
    });

    await t.step(
      "a new file and a changed file are downloaded; the same bytes again are a duplicate",
      async () => {
        await remoteResult(dir, 4);
        await remoteResult(dir, 1, [99_000]); // a new version of the same name
        await Deno.copyFile(`${dir}/${names[2]}`, `${dir}/copy_of_it.json`);
        const r = await pollSource(deps, source(s), NOW, opts);
        assert.equal(r.fetched, 3);
        assert.equal(r.imported, 2);
        assert.equal(r.duplicate, 1);
      },
    );
  },
);

sshdTest("pollSource() refuses a changed host key with a clear line, and imports nothing", async (s) => {
  using kv = await Deno.openKv(":memory:");
  await remoteResult(`${s.root}/results`, 1);
  // The same server restarted with a new host key: the configured fingerprint no longer matches.
  const other = await startSshd();
  await other.close();
  const lines: string[] = [];
  const src = source(s, { hostKeyFingerprint: other.hostKeyFingerprint });
  const r = await pollSource(depsWith(kv, [src]), src, NOW, { env: env(s), log: (l) => lines.push(l) });
  assert.equal(r.status, "failed");
  assert.equal(r.fetched, 0);
  assert.match(
    lines.join("\n"),
    new RegExp(
      `ssh etl-main: Refused .*its host key is ${
        s.hostKeyFingerprint.replace(/[+/]/g, "\\$&")
      }, the config expects`,
    ),
  );
  assert.equal((await Array.fromAsync(kv.list({ prefix: ["file"] }))).length, 0);
});

sshdTest("pollSources(): a source that hangs times out while another still imports", async (s) => {
  using kv = await Deno.openKv(":memory:");
  await remoteResult(`${s.root}/results`, 1);
  // A tarpit: accepts the connection and never says a word.
  const tarpit = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    for await (const c of tarpit) held.push(c);
  })().catch(() => {});
  const hanging = source(s, { id: "hangs", port: (tarpit.addr as Deno.NetAddr).port });
  const lines: string[] = [];
  const started = Date.now();
  try {
    const reports = await pollSources(depsWith(kv, [hanging, source(s)]), NOW, {
      env: env(s),
      timeoutMs: 1500,
      log: (l) => lines.push(l),
    });
    const [hung, ok] = reports;
    assert.equal(hung?.status, "failed");
    assert.match(hung!.error!, /Timed out/);
    assert.equal(ok?.status, "ok");
    assert.equal(ok?.imported, 1);
    assert.ok(Date.now() - started < 6000, "the hanging source did not hold the run");
  } finally {
    tarpit.close();
    for (const c of held) c.close();
  }
});

sshdTest(
  "pollSource(): overlapping polls never handle a file twice; a lease left behind expires",
  async (s) => {
    using kv = await Deno.openKv(":memory:");
    for (let i = 0; i < 20; i++) await remoteResult(`${s.root}/results`, i);
    const deps = depsWith(kv, [source(s)]);
    const opts = { env: env(s), log: () => {} };
    const [a, b] = await Promise.all([
      pollSource(deps, source(s), NOW, opts),
      pollSource(deps, source(s), NOW, opts),
    ]);
    assert.deepEqual([a.status, b.status].sort(), ["busy", "ok"]);
    assert.equal(a.fetched + b.fetched, 20);
    assert.equal(a.imported + b.imported, 20);

    // A poll that died holding the lease: others wait until it expires, then carry on.
    await kv.set(sshLeaseKey("etl-main"), { owner: "crashed", untilMs: NOW.getTime() + 60_000 });
    await remoteResult(`${s.root}/results`, 30);
    assert.equal((await pollSource(deps, source(s), NOW, opts)).status, "busy");
    const later = await pollSource(deps, source(s), new Date(NOW.getTime() + 61_000), opts);
    assert.equal(later.status, "ok");
    assert.equal(later.imported, 1);
  },
);

sshdTest(
  "sshPoll() (the cron body) polls the configured sources with the key from the environment",
  async (s) => {
    using kv = await Deno.openKv(":memory:");
    await remoteResult(`${s.root}/results`, 1);
    Deno.env.set("PODIUM_TEST_SSH_KEY", btoa(s.privateKey)); // base64 is accepted too
    const src = source(s, { timeZone: "America/New_York" });
    const [r] = await sshPoll(depsWith(kv, [src]), NOW);
    assert.equal(r?.imported, 1);
    const file = (await Array.fromAsync(kv.list<{ sessionId: string }>({ prefix: ["file"] })))[0]!;
    // 10:01:00 New York time (UTC-5 in January) is 15:01 UTC.
    assert.equal(
      (await getSession(kvReader(kv), file.value.sessionId))?.finishedAt,
      "2026-01-05T15:01:00.000Z",
    );
    assert.deepEqual(await sshPoll(depsWith(kv, []), NOW), []);
  },
);

sshdTest("connectSsh(): a step that hangs times out and closes the connection", async (s) => {
  // Reading a named pipe nobody writes blocks the SFTP server: the read must give up on its own.
  const fifo = `${s.root}/stuck.json`;
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert.ok(made.success);
  const ssh = await connectSsh(target(s), { timeoutMs: 800 });
  const started = Date.now();
  await assert.rejects(ssh.read(fifo), /Timed out after 800 ms reading ".*stuck.json"/);
  assert.ok(Date.now() - started < 3000);
  await ssh.close();
  // Let the stuck SFTP server go: a writer that opens and closes the pipe gives it end of file.
  await new Deno.Command("timeout", { args: ["5", "sh", "-c", `: > '${fifo}'`] }).output();
});

sshdTest(
  "pollSource(): a poll that lost its lease stops before the next file and leaves the seen files alone",
  async (s) => {
    using kv = await Deno.openKv(":memory:");
    await remoteResult(`${s.root}/results`, 1);
    const src = source(s);
    // The clock has moved on (the lease is due for renewal) and another poll took the source meanwhile.
    const deps = { ...depsWith(kv, [src]), now: () => new Date(NOW.getTime() + 100_000) };
    const r = await pollSource(deps, src, NOW, {
      env: env(s),
      log: () => {},
      connect: async (target, opts) => {
        await kv.set(sshLeaseKey(src.id), { owner: "another poll", untilMs: NOW.getTime() + 200_000 });
        return await connectSsh(target, opts);
      },
    });
    assert.equal(r.status, "failed");
    assert.match(r.error!, /lost the lease of "etl-main"/);
    assert.equal(r.fetched, 0);
    assert.equal((await Array.fromAsync(kv.list({ prefix: ["ssh_seen"] }))).length, 0);
    assert.equal((await kv.get<{ owner: string }>(sshLeaseKey(src.id))).value?.owner, "another poll");
  },
);
