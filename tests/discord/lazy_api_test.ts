import assert from "node:assert/strict";
import { lazyDiscordApi } from "@/discord/lazy_api.ts";
import { recordingDiscord } from "@/tests/discord/_app.ts";

Deno.test("lazyDiscordApi() loads the client once, on the first call, and again after a failed load", async () => {
  let loads = 0;
  const real = recordingDiscord();
  let fail = true;
  const api = lazyDiscordApi(() => {
    loads++;
    if (fail) return Promise.reject(new Error("cannot load"));
    return Promise.resolve(real);
  });
  assert.equal(loads, 0);
  await assert.rejects(() => api.editOriginal("t", { content: "x" }), /cannot load/);
  fail = false;
  await api.editOriginal("t", { content: "a" });
  await api.editOriginal("t", { content: "b" });
  assert.equal(loads, 2);
  assert.equal(real.edits.length, 2);
});
