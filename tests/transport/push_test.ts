import assert from "node:assert/strict";
import { accFile } from "@/tests/_acc_file.ts";
import { configWith, counted, pushApp, pushRequest } from "@/tests/transport/_push.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { kvReader } from "@/kv/reader.ts";
import { secretVariable } from "@/ingest/push_auth.ts";
import { StoreBusyError } from "@/kv/retry.ts";

const NOW = new Date("2026-01-05T12:00:00Z");
const SECRET = "test-secret-acc-eu";
Deno.env.set("PODIUM_SECRET_ACC_EU", SECRET);

const FILE = "260101_200000_Q.json";
const BYTES = accFile({
  track: "monza",
  cars: [{ playerId: "S1", first: "Ann", last: "Fast", laps: [101_000, 100_500] }],
}) as Uint8Array<ArrayBuffer>;

/** Every stored key outside the replay guard: a rejected push must leave this empty. */
async function stored(kv: Deno.Kv): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of kv.list({ prefix: [] })) if (e.key[0] !== "push_sig") keys.push(String(e.key[0]));
  return keys;
}

async function push(kv: Deno.Kv, opts: Partial<Parameters<typeof pushRequest>[0]> = {}, now = NOW) {
  const { app, kicks } = pushApp(kv, { now });
  const req = await pushRequest({
    secret: SECRET,
    server: "acc-eu",
    file: FILE,
    body: BYTES,
    at: now,
    ...opts,
  });
  const res = await app.fetch(req);
  return { res, body: await res.json(), kicks };
}

Deno.test("POST /api/ingest imports a signed file (201) and kicks delivery; the same bytes again are a duplicate (200)", async () => {
  using kv = await Deno.openKv(":memory:");
  const first = await push(kv);
  assert.equal(first.res.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.status, "imported");
  assert.equal(typeof first.body.sessionId, "string");
  assert.equal(first.body.records, 2, "overall and class record");
  assert.equal(first.kicks.n, 1);
  const session = await getSession(kvReader(kv), first.body.sessionId);
  assert.equal(session?.serverId, "acc-eu");
  assert.equal(session?.fileName, FILE);

  const again = await push(kv, { file: "copy.json", at: new Date(NOW.getTime() + 1000) });
  assert.equal(again.res.status, 200);
  assert.equal(again.body.status, "duplicate");
  assert.equal(again.body.sessionId, first.body.sessionId);
  assert.equal(again.kicks.n, 0);
});

Deno.test("POST /api/ingest refuses a wrong signature (401) and stores nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  const wrongSecret = await push(kv, { secret: "not-the-secret" });
  assert.equal(wrongSecret.res.status, 401);
  assert.match(wrongSecret.body.error, /Wrong signature.*PODIUM_SECRET_ACC_EU/);
  const { app } = pushApp(kv, { now: NOW });
  const signed = await pushRequest({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW });
  // The signature covers the name and the body: change either and it no longer matches.
  const renamed = new Request(signed.url, { method: "POST", headers: signed.headers, body: BYTES });
  renamed.headers.set("x-podium-file", "other.json");
  assert.equal((await app.fetch(renamed)).status, 401);
  const tampered = BYTES.slice();
  tampered[tampered.length - 4] = 0x20;
  const altered = new Request(signed.url, { method: "POST", headers: signed.headers, body: tampered });
  const res = await app.fetch(altered);
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /does not match its signed SHA-256/);
  assert.deepEqual(await stored(kv), []);
});

Deno.test("POST /api/ingest refuses a replayed request (401)", async () => {
  using kv = await Deno.openKv(":memory:");
  const { app } = pushApp(kv, { now: NOW });
  const req = await pushRequest({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW });
  const replay = req.clone();
  assert.equal((await app.fetch(req)).status, 201);
  const res = await app.fetch(replay);
  assert.equal(res.status, 401);
  assert.match((await res.json()).error, /Replayed/);
});

Deno.test("POST /api/ingest refuses a timestamp more than 5 minutes off, either way (401)", async () => {
  using kv = await Deno.openKv(":memory:");
  for (const offset of [-301_000, 301_000]) {
    const { res, body } = await push(kv, { at: new Date(NOW.getTime() + offset) });
    assert.equal(res.status, 401);
    assert.match(body.error, /Stale timestamp/);
  }
  const { res } = await push(kv, { at: new Date(NOW.getTime() - 290_000) });
  assert.equal(res.status, 201, "4 min 50 s is still fresh");
});

Deno.test("POST /api/ingest refuses an unknown server (403) and stores nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  const { res, body } = await push(kv, { server: "nobody" });
  assert.equal(res.status, 403);
  assert.match(body.error, /Unknown server "nobody".*PODIUM_SECRET_NOBODY/);
  assert.deepEqual(await stored(kv), []);
});

Deno.test("POST /api/ingest refuses a signed size over 32 MiB (413) and a body longer than its signed size (400)", async () => {
  using kv = await Deno.openKv(":memory:");
  const big = new Uint8Array(40 * 1024 * 1024).fill(0x20);
  const declared = await push(kv, { body: big });
  assert.equal(declared.res.status, 413);
  assert.match(declared.body.error, /32 MiB/);

  // A chunked body has no Content-Length: the hub stops reading once it passes the signed size.
  const { app } = pushApp(kv, { now: NOW });
  const stream = counted(big.length);
  const signed = await pushRequest({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW });
  const res = await app.fetch(
    new Request(signed.url, { method: "POST", headers: signed.headers, body: stream.body }),
  );
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /longer than its signed size/);
  assert.ok(stream.pulled() <= 2 * 1024 * 1024, `read ${stream.pulled()} bytes before refusing`);
  assert.deepEqual(await stored(kv), []);
});

Deno.test("POST /api/ingest rejects a garbage body (422) with the reason, and stores nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  const cases: [Uint8Array, RegExp][] = [
    [new TextEncoder().encode("<html>not a result</html>"), /not valid JSON/],
    [new TextEncoder().encode('{"hello": "world"}'), /not ACC result JSON/],
    [Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251), /not a readable text file/],
    [new Uint8Array(0), /empty/],
  ];
  for (const [body, reason] of cases) {
    const { res, body: answer } = await push(kv, { body });
    assert.equal(res.status, 422);
    assert.equal(answer.status, "rejected");
    assert.match(answer.reason, reason);
  }
  assert.deepEqual(await stored(kv), []);
});

Deno.test("POST /api/ingest refuses a file name with folders (400): a name never becomes a path", async () => {
  using kv = await Deno.openKv(":memory:");
  for (const file of ["../260101_200000_Q.json", "..\\x.json", "a/b.json", "..", "x\ny.json"]) {
    const { res, body } = await push(kv, { file });
    assert.equal(res.status, 400, file);
    assert.match(body.error, /x-podium-file/);
  }
  assert.deepEqual(await stored(kv), []);
});

Deno.test("POST /api/ingest refuses missing or malformed headers (400)", async () => {
  using kv = await Deno.openKv(":memory:");
  const cases: [Record<string, string | null>, RegExp][] = [
    [{ "x-podium-signature": null }, /x-podium-signature: missing/],
    [{ "x-podium-signature": "abc" }, /x-podium-signature: 64 hex/],
    [{ "x-podium-timestamp": "yesterday" }, /x-podium-timestamp/],
    [{ "x-podium-server": "ACC EU" }, /x-podium-server/],
    [{ "x-podium-file": "%E0%A4%A" }, /percent-encoding/],
  ];
  for (const [over, message] of cases) {
    const { res, body } = await push(kv, { over });
    assert.equal(res.status, 400);
    assert.match(body.error, message);
  }
});

Deno.test("POST /api/ingest accepts a non-ASCII file name, signed as decoded text", async () => {
  using kv = await Deno.openKv(":memory:");
  const { res, body } = await push(kv, { file: "Résultat 260101_200000_Q.json" });
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.equal(body.file, "Résultat 260101_200000_Q.json");
});

Deno.test("POST /api/ingest reads the secret the config names, and the server's time zone", async () => {
  using kv = await Deno.openKv(":memory:");
  Deno.env.set("LEAGUE_BERLIN_KEY", "berlin-secret");
  Deno.env.set("PODIUM_SECRET_ACC_DE", "the-default-variable");
  const config = configWith([{
    id: "acc-de",
    game: "acc",
    timeZone: "Europe/Berlin",
    secretEnv: "LEAGUE_BERLIN_KEY",
  }]);
  assert.equal(secretVariable(config, "acc-de"), "LEAGUE_BERLIN_KEY");
  assert.equal(secretVariable(config, "my.server-2"), "PODIUM_SECRET_MY_SERVER_2");
  const { app } = pushApp(kv, { now: NOW, config });
  const viaDefault = await pushRequest({
    secret: "the-default-variable",
    server: "acc-de",
    file: FILE,
    body: BYTES,
    at: NOW,
  });
  assert.equal((await app.fetch(viaDefault)).status, 401, "the configured variable wins");
  const ok = await pushRequest({
    secret: "berlin-secret",
    server: "acc-de",
    file: FILE,
    body: BYTES,
    at: NOW,
  });
  const res = await app.fetch(ok);
  const body = await res.json();
  assert.equal(res.status, 201);
  const session = await getSession(kvReader(kv), body.sessionId);
  // 20:00:00 in Berlin (UTC+1 in January) is 19:00 UTC; the session ends at the file's time.
  assert.equal(session?.finishedAt, "2026-01-01T19:00:00.000Z");
});

Deno.test("POST /api/ingest answers 503 with Retry-After when the store stays busy, and the file can be sent again", async () => {
  using kv = await Deno.openKv(":memory:");
  // A store whose commits after the replay guard's stay busy past the retry budget.
  let commits = 0;
  const busy = new Proxy(kv, {
    get(target, prop) {
      if (prop !== "atomic") {
        return Reflect.get(target, prop, target).bind?.(target) ?? Reflect.get(target, prop);
      }
      return () => {
        const op = target.atomic();
        const commit = op.commit.bind(op);
        op.commit = () =>
          ++commits > 1 ? Promise.reject(new StoreBusyError("The store stayed busy for 20 s")) : commit();
        return op;
      };
    },
  });
  const { app } = pushApp(busy, { now: NOW });
  const res = await app.fetch(
    await pushRequest({ secret: SECRET, server: "acc-eu", file: FILE, body: BYTES, at: NOW }),
  );
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("retry-after"), "2");
  assert.deepEqual(await stored(kv), []);
  const later = await push(kv, { at: new Date(NOW.getTime() + 2000) });
  assert.equal(later.res.status, 201);
});
