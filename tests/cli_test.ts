import assert from "node:assert/strict";
import { accFile } from "@/tests/_acc_file.ts";
import { fromFileUrl } from "@/tests/_path.ts";

const CLI = fromFileUrl(new URL("../ingest/cli.ts", import.meta.url));

async function runCli(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("import CLI imports folders recursively, lists rejections and ends with the counts", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/results/old`, { recursive: true });
    await Deno.writeFile(
      `${dir}/results/260101_200000_Q.json`,
      accFile({ cars: [{ playerId: "S1", laps: [100_000] }] }),
    );
    await Deno.writeFile(
      `${dir}/results/old/260101_190000_R.json`,
      accFile({ type: "R", cars: [{ playerId: "S1", laps: [500_000, 101_000] }] }),
    );
    await Deno.writeFile(
      `${dir}/results/old/260101_190000_entrylist.json`,
      new TextEncoder().encode('{"entries": []}'),
    );
    await Deno.writeFile(`${dir}/results/broken_R.json`, new TextEncoder().encode('{"sessionResult": '));
    await Deno.writeFile(`${dir}/results/notes.md`, new TextEncoder().encode("not a result"));
    // Refused from its size alone, before it is read.
    await Deno.truncate(`${dir}/results/huge_R.json`, 33 * 1024 * 1024).catch(async () => {
      await Deno.writeFile(`${dir}/results/huge_R.json`, new Uint8Array());
      await Deno.truncate(`${dir}/results/huge_R.json`, 33 * 1024 * 1024);
    });
    const env = { PODIUM_KV: `${dir}/kv.sqlite` };
    const first = await runCli(["--no-announce", `${dir}/results`], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /rejected .*broken_R\.json: /);
    assert.match(first.stdout, /rejected .*huge_R\.json: 33\.0 MiB is over the 32 MiB limit/);
    assert.match(first.stdout, /^imported 2, duplicate 0, skipped 1, rejected 2$/m);
    assert.match(
      first.stdout,
      /^skipped by reason \(--verbose lists the files\):\n {2}1 {2}entry list, not a result$/m,
    );
    assert.doesNotMatch(first.stdout, /skipped {3}/, "files are listed only with --verbose");
    const verbose = await runCli(["--verbose", `${dir}/results/old`], env);
    assert.match(verbose.stdout, /^skipped {3}.*260101_190000_entrylist\.json: entry list, not a result$/m);
    assert.match(verbose.stdout, /^skipped by reason:$/m);
    const again = await runCli([`${dir}/results/260101_200000_Q.json`], env);
    assert.match(again.stdout, /^imported 0, duplicate 1, skipped 0, rejected 0$/m);
    await using kv = await Deno.openKv(`${dir}/kv.sqlite`);
    const outbox = await Array.fromAsync(kv.list({ prefix: ["outbox"] }));
    assert.equal(outbox.length, 0, "--no-announce queued nothing");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import CLI exits 2 with a reason when it cannot run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const env = { PODIUM_KV: `${dir}/kv.sqlite` };
    const missing = await runCli([`${dir}/nope`], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder/);
    const noArgs = await runCli([], env);
    assert.equal(noArgs.code, 2);
    assert.match(noArgs.stderr, /Usage: deno task import/);
    const server = await runCli(["--server", "eu", dir], env);
    assert.equal(server.code, 2);
    assert.match(server.stderr, /Unknown server "eu"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import CLI reads file-name times in the --server's configured time zone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/podium.json`,
      JSON.stringify({ servers: [{ id: "acc-eu", game: "acc", timeZone: "Europe/Berlin" }] }),
    );
    await Deno.writeFile(
      `${dir}/260715_210000_Q.json`,
      accFile({ cars: [{ playerId: "S1", laps: [100_000] }] }),
    );
    const env = { PODIUM_KV: `${dir}/kv.sqlite`, PODIUM_CONFIG: `${dir}/podium.json` };
    const run = await runCli(["--server", "acc-eu", `${dir}/260715_210000_Q.json`], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^imported 1, duplicate 0, skipped 0, rejected 0$/m);
    await using kv = await Deno.openKv(`${dir}/kv.sqlite`);
    const sessions = await Array.fromAsync(
      kv.list<{ finishedAt: string; serverId: string }>({ prefix: ["session"] }),
    );
    assert.equal(sessions.length, 1);
    assert.equal(
      sessions[0]!.value.finishedAt,
      "2026-07-15T19:00:00.000Z",
      "21:00 in Berlin is 19:00 UTC in summer",
    );
    assert.equal(sessions[0]!.value.serverId, "acc-eu");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
