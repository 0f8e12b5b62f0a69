import assert from "node:assert/strict";
import { testApp } from "@/tests/_app.ts";
import { notModified } from "@/routes/site/_cache.ts";

Deno.test("GET /api/sessions/<id over 2 KB> answers 400, not 500", async () => {
  using kv = await Deno.openKv(":memory:");
  const res = await testApp(kv).request(`/api/sessions/${"a".repeat(2100)}`);
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /"id": longer than 200/);
});

Deno.test("API answers carry the security headers pages carry that matter for JSON", async () => {
  using kv = await Deno.openKv(":memory:");
  const res = await testApp(kv).request("/api/sessions/nope");
  await res.body?.cancel();
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("x-frame-options"), "DENY");
  assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  assert.equal(res.headers.get("referrer-policy"), "no-referrer");
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
});

Deno.test("notModified() ignores an If-Modified-Since in the future", () => {
  const now = Date.parse("2026-01-05T12:00:00Z");
  const last = Date.parse("2026-01-05T11:00:00Z");
  assert.equal(notModified(undefined, "Mon, 05 Jan 2026 11:30:00 GMT", "x", last, now), true);
  assert.equal(notModified(undefined, "Fri, 01 Jan 2100 00:00:00 GMT", "x", last, now), false);
});
