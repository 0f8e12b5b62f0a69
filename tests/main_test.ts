import assert from "node:assert/strict";
import { fromFileUrl } from "@/tests/_path.ts";
import { readUntil, spawnMain } from "@/tests/_spawn.ts";

const MAIN = fromFileUrl(new URL("../main.ts", import.meta.url));

Deno.test("main.ts starts with zero configuration and says Discord is off", async () => {
  const dir = await Deno.makeTempDir();
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const child = spawnMain(dir, { PORT: String(port) });
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const log = await readUntil(reader, "listening");
    assert.match(log, /Discord is off: set DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY, DISCORD_BOT_TOKEN/);
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, "ok");
    const stat = await Deno.stat(`${dir}/data/podium.kv`);
    assert.ok(stat.isFile, "the KV file lives under ./data/");
    reader.releaseLock();
  } finally {
    child.kill();
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main.ts stops with the field's name on bad configuration", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env: { PORT: "not-a-port", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  assert.match(new TextDecoder().decode(out.stderr), /Invalid PORT "not-a-port"/);
});

Deno.test("main.ts on a taken port says so in one line and exits 3, no stack trace", async () => {
  using taken = Deno.listen({ hostname: "0.0.0.0", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env: { PORT: String(port), PODIUM_KV: ":memory:", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr).trim();
  assert.equal(out.code, 3);
  assert.equal(
    err,
    `Cannot listen on port ${port}: another program is using it (another Podium?); stop it, or start with PORT=<free port>`,
  );
  assert.doesNotMatch(err, /Uncaught|at .*main\.ts/);
});

Deno.test("main.ts reports every configuration mistake at once, each naming its field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/podium.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        servers: [{ id: "ACC EU", game: "acc", timeZone: "Mars/Olympus" }],
        discord: { channels: { records: "12" } },
      }),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN],
      env: {
        PORT: "eighty",
        PODIUM_CONFIG: path,
        DISCORD_BOT_TOKEN: "x",
        PODIUM_KV: ":memory:",
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 1);
    const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
    assert.equal(lines[0], "5 configuration problems:");
    for (
      const field of [
        /^- Invalid PORT "eighty"/,
        /servers\[0\]\.id: use lower-case/,
        /servers\[0\]\.timeZone: not an IANA time zone/,
        /discord\.channels\.records: a Discord id is 17-20 digits/,
        /^- Discord is half configured: set DISCORD_APPLICATION_ID and DISCORD_PUBLIC_KEY too/,
      ]
    ) assert.ok(lines.some((l) => field.test(l)), `${field} in:\n${lines.join("\n")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
