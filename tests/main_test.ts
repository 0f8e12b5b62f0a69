import assert from "node:assert/strict";
import { fromFileUrl } from "@/tests/_path.ts";
import { readUntil } from "@/tests/_spawn.ts";

const MAIN = fromFileUrl(new URL("../main.ts", import.meta.url));

Deno.test("main.ts starts with zero configuration and says Discord is off", async () => {
  const dir = await Deno.makeTempDir();
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    cwd: dir,
    env: {
      PORT: String(port),
      NO_COLOR: "1",
      HOME: Deno.env.get("HOME") ?? dir,
      PATH: Deno.env.get("PATH") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
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
