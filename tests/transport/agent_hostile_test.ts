import assert from "node:assert/strict";
import { startAgent } from "@/tests/transport/_hub.ts";

/** A loopback hub that never answers pushes of `stall`, and acknowledges every other file. */
function stallingHub(stall: string) {
  const received: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const file = decodeURIComponent(req.headers.get("x-podium-file") ?? "");
    await req.arrayBuffer();
    received.push(file);
    if (file === stall) await new Promise((r) => setTimeout(r, 5000));
    return Response.json({ status: "imported", file, sessionId: `s-${file}` }, { status: 201 });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, received, close: () => server.shutdown() };
}

async function run(dir: string, state: string, hub: string, flags: string[]) {
  const agent = startAgent({
    hub,
    server: "acc-eu",
    dirs: [dir],
    state,
    secret: "s",
    flags: ["--once", ...flags],
  });
  const status = await agent.status;
  return { code: status.code, out: agent.out.all.join("\n") };
}

Deno.test("agent: a file the hub never answers is tried a bounded number of times, newer files go first, --retry-failed sends it again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "podium-agent-slow-" });
  const state = `${dir}.state.json`;
  const hub = stallingHub("a_slow.json");
  try {
    await Deno.writeTextFile(`${dir}/a_slow.json`, '{"huge": true}');
    await Deno.utime(`${dir}/a_slow.json`, 1000, 1000); // the oldest: it would go first
    await Deno.writeTextFile(`${dir}/b_new.json`, '{"race": 1}');
    const r = await run(dir, state, hub.url, ["--backfill", "--timeout", "1.5"]);
    assert.match(r.out, /sent .*b_new\.json: imported/);
    assert.match(r.out, /gave up on .*a_slow\.json after 4 tries: no answer within 1.5 s/);
    const slowTries = hub.received.filter((f) => f === "a_slow.json").length;
    assert.equal(slowTries, 4);
    assert.ok(
      hub.received.indexOf("b_new.json") < hub.received.lastIndexOf("a_slow.json"),
      "moved on meanwhile",
    );
    const saved = JSON.parse(await Deno.readTextFile(state));
    const entry = Object.entries(saved.files).find(([p]) => p.endsWith("a_slow.json"))![1] as {
      status: string;
    };
    assert.equal(entry.status, "failed");

    const again = await run(dir, state, hub.url, ["--timeout", "1.5"]);
    assert.equal(
      hub.received.filter((f) => f === "a_slow.json").length,
      4,
      "a failed file is not resent by itself",
    );
    assert.equal(again.code, 0, again.out);
    await run(dir, state, hub.url, ["--timeout", "1.5", "--retry-failed"]);
    assert.equal(hub.received.filter((f) => f === "a_slow.json").length, 8, "--retry-failed sends it again");
  } finally {
    await hub.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(state).catch(() => {});
  }
});

Deno.test("agent: a state file with files: null is a clear message and exit 3, never a crash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "podium-agent-state-" });
  const state = `${dir}.state.json`;
  try {
    await Deno.writeTextFile(state, '{"version":1,"files":null}');
    const r = await run(dir, state, "http://127.0.0.1:9", []);
    assert.equal(r.code, 3, r.out);
    assert.match(r.out, /state file .* is damaged \("files" is not an object\): move it away/);
    await Deno.writeTextFile(state, '{"version":1,"files":{"/x.json":null,"/y.json":{"size":1}}}');
    const ok = await run(dir, state, "http://127.0.0.1:9", []);
    assert.equal(ok.code, 0, ok.out);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(state).catch(() => {});
  }
});

Deno.test("agent: a gamestats file is sent only once its last line has ended", async () => {
  const dir = await Deno.makeTempDir({ prefix: "podium-agent-etl-" });
  const state = `${dir}.state.json`;
  const hub = stallingHub("none");
  const name = "2025-10-17-203425-supply-round-1.txt";
  try {
    await Deno.writeTextFile(
      `${dir}/${name}`,
      "srv\\supply\\legacy3\\1\\1\\2\\12:00\\7:42\nAAAAAAAA\\Bob\\0\\1\\16 1 2",
    );
    const agent = startAgent({
      hub: hub.url,
      server: "etl",
      dirs: [dir],
      state,
      secret: "s",
      flags: ["--backfill"],
    });
    await new Promise((r) => setTimeout(r, 3500)); // past the 2 s quiet time
    assert.equal(hub.received.length, 0, "a cut last line is not sent");
    await Deno.writeTextFile(`${dir}/${name}`, " 1 0 0\n", { append: true });
    await agent.out.waitFor(/sent .*supply-round-1\.txt: imported/, 20_000);
    assert.deepEqual(hub.received, [name]);
    await agent.stop();
  } finally {
    await hub.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(state).catch(() => {});
  }
});
