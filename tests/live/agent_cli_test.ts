import assert from "node:assert/strict";
import dgram from "node:dgram";
import { AGENT_PATH } from "@/tests/transport/_hub.ts";

async function agent(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", AGENT_PATH, ...args],
    env: { PODIUM_AGENT_SECRET: "s", NO_COLOR: "1" },
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, out: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("the agent's --ac-plugin: bad ports are a usage error, a port in use says so and exits 3", async () => {
  const dir = await Deno.makeTempDir();
  const busy = dgram.createSocket("udp4");
  await new Promise<void>((r) => busy.bind(0, "127.0.0.1", () => r()));
  try {
    const base = ["--hub", "http://127.0.0.1:9", "--server", "ac-ta"];
    const none = await agent(base, dir);
    assert.equal(none.code, 2);
    assert.match(none.out, /at least one --dir \(or --ac-plugin\) is needed/);
    const bad = await agent([...base, "--ac-plugin", "12000"], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--ac-plugin needs LISTEN_PORT:SERVER_PORT/);
    const inUse = await agent([...base, "--ac-plugin", `${busy.address().port}:11000`], dir);
    assert.equal(inUse.code, 3, inUse.out);
    assert.match(inUse.out, /Cannot relay AC plugin events on 127\.0\.0\.1:\d+/);
  } finally {
    busy.close();
    await Deno.remove(dir, { recursive: true });
  }
});
