import assert from "node:assert/strict";
import { discordConfig, interactionsApp, testDeps } from "@/tests/discord/_app.ts";
import { makeSigner } from "@/tests/fakes/interactions.ts";
import { lazyBody } from "@/tests/transport/_rss.ts";

Deno.test("POST /interactions streams its body against 256 KiB: a 1 GiB body is refused (413) after reading little of it", async () => {
  using kv = await Deno.openKv(":memory:");
  const signer = await makeSigner();
  const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex)), []);
  const big = lazyBody(1024 * 1024 * 1024);
  const res = await app.request("/interactions", { method: "POST", body: big.body });
  assert.equal(res.status, 413);
  assert.match((await res.json()).error, /256 KiB/);
  assert.ok(big.pulled() <= 2 * 1024 * 1024, `read ${big.pulled()} bytes`);
  const declared = await app.request("/interactions", {
    method: "POST",
    headers: { "content-length": String(1024 ** 3) },
    body: lazyBody(1024 ** 3).body,
  });
  assert.equal(declared.status, 413);
});
