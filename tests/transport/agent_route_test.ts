import assert from "node:assert/strict";
import { pushApp } from "@/tests/transport/_push.ts";

const AGENT_DIR = new URL("../../agent/", import.meta.url);

Deno.test("GET /agent.ts redirects to the agent's folder, where its modules resolve", async () => {
  using kv = await Deno.openKv(":memory:");
  const { app } = pushApp(kv, { now: new Date() });
  const res = await app.request("/agent.ts");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/agent/agent.ts");
});

Deno.test("GET /agent/<name>.ts serves each .ts file of agent/ as it is", async () => {
  using kv = await Deno.openKv(":memory:");
  const { app } = pushApp(kv, { now: new Date() });
  const names = [...Deno.readDirSync(AGENT_DIR)].filter((e) => e.name.endsWith(".ts")).map((e) => e.name);
  assert.ok(names.includes("agent.ts"));
  for (const name of names) {
    const res = await app.request(`/agent/${name}`);
    assert.equal(res.status, 200, name);
    assert.equal(res.headers.get("content-type"), "text/typescript; charset=utf-8");
    assert.equal(await res.text(), await Deno.readTextFile(new URL(name, AGENT_DIR)));
  }
});

Deno.test("GET /agent/... serves nothing else: no other files, no folders, no traversal", async () => {
  using kv = await Deno.openKv(":memory:");
  const { app } = pushApp(kv, { now: new Date() });
  for (
    const path of [
      "/agent/missing.ts",
      "/agent/agent.js",
      "/agent/AGENT.TS",
      "/agent/..%2Fdeno.json",
      "/agent/..%2Fmain.ts",
      "/agent/%2E%2E%2Fapp.ts",
      "/agent/../main.ts",
      "/agent/",
      "/agent/sub/agent.ts",
    ]
  ) {
    const res = await app.request(path);
    assert.ok(res.status === 404, `${path}: ${res.status}`);
    assert.doesNotMatch(await res.text(), /import|Deno\./, path);
  }
});
