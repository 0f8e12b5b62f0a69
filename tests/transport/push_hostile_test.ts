import assert from "node:assert/strict";
import { accFile } from "@/tests/_acc_file.ts";
import { configWith, counted, pushApp, pushHeaders, pushRequest } from "@/tests/transport/_push.ts";
import { BodyBudget } from "@/lib/body.ts";
import { parseConfigFile } from "@/config.ts";

const NOW = new Date("2026-01-05T12:00:00Z");
const SECRET = "test-secret-acc-eu";
Deno.env.set("PODIUM_SECRET_ACC_EU", SECRET);
const FILE = "260101_200000_Q.json";
const BYTES = accFile({
  track: "monza",
  cars: [{ playerId: "S1", first: "Ann", last: "Fast", laps: [101_000, 100_500] }],
}) as Uint8Array<ArrayBuffer>;

async function send(
  app: { fetch(r: Request): Response | Promise<Response> },
  headers: HeadersInit,
  body: BodyInit,
) {
  const res = await app.fetch(new Request("http://hub.test/api/ingest", { method: "POST", headers, body }));
  return { status: res.status, headers: res.headers, body: await res.json() };
}

Deno.test("POST /api/ingest answers 426 to today's format before reading its body, telling the host to restart its agent", async () => {
  using kv = await Deno.openKv(":memory:");
  const { app } = pushApp(kv, { now: NOW });
  const headers = await pushHeaders({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW });
  delete headers["x-podium-size"];
  delete headers["x-podium-sha256"];
  const stream = counted(32 * 1024 * 1024);
  const res = await send(app, headers, stream.body);
  assert.equal(res.status, 426);
  assert.match(res.body.error, /restart the agent.*\/agent\.ts/);
  assert.equal(stream.pulled(), 0);
});

Deno.test("POST /api/ingest authenticates from the headers: a wrong signature never has its body read (401)", async () => {
  using kv = await Deno.openKv(":memory:");
  const { app } = pushApp(kv, { now: NOW });
  const headers = await pushHeaders({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW });
  headers["x-podium-signature"] = "0".repeat(64);
  const stream = counted(32 * 1024 * 1024);
  const res = await send(app, headers, stream.body);
  assert.equal(res.status, 401);
  assert.equal(stream.pulled(), 0);
  const nobody = counted(1024 * 1024);
  assert.equal((await send(app, { ...headers, "x-podium-server": "nobody" }, nobody.body)).status, 403);
  assert.equal(nobody.pulled(), 0);
});

Deno.test("POST /api/ingest: server acc_eu cannot push with configured acc-eu's secret (403)", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = configWith([{ id: "acc-eu", game: "acc", timeZone: "UTC" }]);
  const { app } = pushApp(kv, { now: NOW, config });
  const req = await pushRequest({ secret: SECRET, server: "acc_eu", file: FILE, body: BYTES, at: NOW });
  const res = await app.fetch(req);
  assert.equal(res.status, 403);
  assert.match((await res.json()).error, /Unknown server "acc_eu": its id is not configured/);
  const own = await pushRequest({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW });
  assert.equal((await app.fetch(own)).status, 201);
});

Deno.test("POST /api/ingest refuses a body shorter than its signed size, or a Content-Length that disagrees (400)", async () => {
  using kv = await Deno.openKv(":memory:");
  const { app } = pushApp(kv, { now: NOW });
  const headers = await pushHeaders({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW });
  const short = await send(app, { ...headers, "content-length": "100" }, BYTES.slice(0, 100));
  assert.equal(short.status, 400);
  assert.match(short.body.error, /Content-Length 100 is not the signed size/);
  const cut = new ReadableStream({
    start(ctl) {
      ctl.enqueue(BYTES.slice(0, 100));
      ctl.close();
    },
  });
  const chunked = await send(app, headers, cut);
  assert.equal(chunked.status, 400);
  assert.match(chunked.body.error, /cut short/);
});

Deno.test("POST /api/ingest answers 503 with Retry-After past the budget for bodies in flight, and takes the file once there is room", async () => {
  using kv = await Deno.openKv(":memory:");
  const budget = new BodyBudget(BYTES.length * 2);
  const { app } = pushApp(kv, { now: NOW, bodyBudget: budget });
  const held = budget.reserve(BYTES.length + 1)!;
  const full = await app.fetch(
    await pushRequest({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW }),
  );
  assert.equal(full.status, 503);
  assert.equal(full.headers.get("retry-after"), "2");
  held();
  const ok = await app.fetch(
    await pushRequest({
      secret: SECRET,
      server: "acc-eu",
      file: FILE,
      body: BYTES,
      at: new Date(NOW.getTime() + 1000),
    }),
  );
  assert.equal(ok.status, 201);
  assert.equal(budget.used, 0, "every push gives its bytes back");
});

Deno.test("Server ids are exact: two configured ids sharing one secret variable are a start-up error", () => {
  const file = { servers: [{ id: "acc-eu", game: "acc" }, { id: "acc_eu", game: "acc" }] };
  assert.throws(() => parseConfigFile(file, "league.json"), /"acc-eu" and "acc_eu".*PODIUM_SECRET_ACC_EU/);
  const own = { servers: [{ id: "acc-eu", game: "acc" }, { id: "acc_eu", game: "acc", secretEnv: "EU2" }] };
  assert.equal(parseConfigFile(own, "league.json").servers.length, 2);
  const config = configWith([{ id: "acc-eu", game: "acc", timeZone: "UTC" }]);
  assert.equal(config.servers.length, 1);
});

Deno.test("Every signed-body route (/api/ingest, /api/live, /api/ac-content) answers a full body budget with 503 and Retry-After", async () => {
  using kv = await Deno.openKv(":memory:");
  const budget = new BodyBudget(BYTES.length * 2);
  const { app } = pushApp(kv, { now: NOW, bodyBudget: budget });
  const held = budget.reserve(BYTES.length + 1)!;
  try {
    for (const path of ["/api/ingest", "/api/live", "/api/ac-content"]) {
      const signed = await pushRequest({
        secret: SECRET,
        server: "acc-eu",
        file: FILE,
        body: BYTES,
        at: NOW,
      });
      const res = await app.fetch(new Request(`http://hub.test${path}`, signed));
      assert.equal(res.status, 503, path);
      assert.equal(res.headers.get("retry-after"), "2", path);
      assert.equal(res.headers.get("connection"), "close", path);
      assert.match((await res.json()).error, /\S/, path);
    }
  } finally {
    held();
  }
  assert.equal(budget.used, 0);
});
