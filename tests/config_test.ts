import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseConfigFile } from "@/config.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("loadConfig() needs nothing: port 8000, a local KV file, Discord off", () => {
  const c = loadConfig(env({}));
  assert.equal(c.port, 8000);
  assert.equal(c.kvPath, "./data/podium.kv");
  assert.equal(c.discord.credentials, null);
  assert.deepEqual(c.servers, []);
});

Deno.test("loadConfig() uses Deno Deploy's KV there, PODIUM_KV when set", () => {
  assert.equal(loadConfig(env({ DENO_DEPLOYMENT_ID: "abc" })).kvPath, null);
  assert.equal(loadConfig(env({ PODIUM_KV: ":memory:" })).kvPath, ":memory:");
});

Deno.test("loadConfig() names the variable that is wrong", () => {
  assert.throws(() => loadConfig(env({ PORT: "eighty" })), /Invalid PORT "eighty"/);
  assert.throws(
    () => loadConfig(env({ DISCORD_BOT_TOKEN: "x" })),
    /set DISCORD_APPLICATION_ID and DISCORD_PUBLIC_KEY too/,
  );
  assert.throws(
    () => loadConfig(env({ DISCORD_BOT_TOKEN: "x", DISCORD_APPLICATION_ID: "1", DISCORD_PUBLIC_KEY: "zz" })),
    /DISCORD_PUBLIC_KEY/,
  );
  assert.throws(
    () => loadConfig(env({ PODIUM_CONFIG: "/nonexistent/podium.json" })),
    /Cannot read PODIUM_CONFIG/,
  );
});

Deno.test("parseConfigFile() names the field and the problem", () => {
  const ok = parseConfigFile(
    { servers: [{ id: "acc-eu", game: "acc", timeZone: "Europe/Berlin" }] },
    "c.json",
  );
  assert.equal(ok.servers[0]!.timeZone, "Europe/Berlin");
  assert.equal(
    parseConfigFile({ servers: [{ id: "ac1", game: "ac" }] }, "c.json").servers[0]!.timeZone,
    "UTC",
  );
  assert.throws(
    () => parseConfigFile({ servers: [{ id: "acc-eu", game: "acc", timeZone: "Mars/Olympus" }] }, "c.json"),
    (e: Error) => e instanceof ConfigError && /c\.json.*servers\[0\]\.timeZone.*IANA/.test(e.message),
  );
  assert.throws(
    () => parseConfigFile({ servers: [{ id: "x", game: "rf2" }] }, "c.json"),
    /servers\[0\]\.game/,
  );
  assert.throws(() => parseConfigFile({ sevrers: [] }, "c.json"), /c\.json/);
  assert.throws(
    () => parseConfigFile({ servers: [{ id: "a", game: "ac" }, { id: "a", game: "acc" }] }, "c.json"),
    /unique/,
  );
});

Deno.test("loadConfig() reads the JSON file PODIUM_CONFIG names", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(
      path,
      JSON.stringify({ league: { name: "Thursday GT3" }, servers: [{ id: "s1", game: "acc" }] }),
    );
    const c = loadConfig(env({ PODIUM_CONFIG: path }));
    assert.equal(c.league.name, "Thursday GT3");
    await Deno.writeTextFile(path, "{ nope");
    assert.throws(() => loadConfig(env({ PODIUM_CONFIG: path })), /not JSON/);
  } finally {
    await Deno.remove(path);
  }
});
