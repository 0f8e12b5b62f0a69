import assert from "node:assert/strict";
import { ConfigError, loadConfig, loadIracingConfig } from "@/config.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];
const ALL = {
  IRACING_CLIENT_ID: "podium",
  IRACING_CLIENT_SECRET: "s",
  IRACING_USERNAME: "a@b.c",
  IRACING_PASSWORD: "p",
};

Deno.test("loadIracingConfig(): all four variables or none, bases overridable", () => {
  assert.equal(loadIracingConfig(env({})), null);
  const c = loadIracingConfig(env(ALL))!;
  assert.equal(c.oauthBase, "https://oauth.iracing.com/oauth2");
  assert.equal(c.dataBase, "https://members-ng.iracing.com");
  const local = loadIracingConfig(env({ ...ALL, IRACING_DATA_BASE: "http://127.0.0.1:9/" }))!;
  assert.equal(local.dataBase, "http://127.0.0.1:9");
  assert.throws(
    () => loadIracingConfig(env({ IRACING_CLIENT_ID: "x" })),
    (e) =>
      e instanceof ConfigError &&
      /set IRACING_CLIENT_SECRET and IRACING_USERNAME and IRACING_PASSWORD too/.test(e.message),
  );
  assert.throws(
    () => loadIracingConfig(env({ ...ALL, IRACING_OAUTH_BASE: "oauth" })),
    /Invalid IRACING_OAUTH_BASE/,
  );
});

Deno.test("loadConfig(): PODIUM_NUMBERS=on turns the numbers commands on without iRacing", () => {
  assert.equal(loadConfig(env({ PODIUM_KV: ":memory:" })).numbersEnabled, false);
  assert.equal(loadConfig(env({ PODIUM_KV: ":memory:", PODIUM_NUMBERS: "on" })).numbersEnabled, true);
  assert.equal(loadConfig(env({ PODIUM_KV: ":memory:", ...ALL })).iracing?.username, "a@b.c");
});
