import assert from "node:assert/strict";
import { runRegister } from "@/discord/register.ts";
import { createDiscordApi } from "@/discord/rest.ts";
import { settled } from "@/discord/dispatch.ts";
import { core } from "@/discord/core/commands.ts";
import { racing } from "@/discord/racing/commands.ts";
import { DISCORD_ERRORS, discordEnvFor, startFakeDiscord } from "@/tests/fakes/discord.ts";
import { commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";

const GUILD = "300000000000000001";

async function withFake() {
  const fake = await startFakeDiscord();
  const env: Record<string, string> = {
    PODIUM_KV: ":memory:",
    ...discordEnvFor(fake, "ab".repeat(32)),
  };
  const lines: string[] = [];
  const io = {
    env: (n: string) => env[n],
    makeApi: createDiscordApi,
    log: (l: string) => lines.push(l),
  };
  return { fake, env, io, lines, [Symbol.asyncDispose]: () => fake.close() };
}

const names = (cmds: unknown[] | null | undefined) =>
  (cmds ?? []).map((c) => (c as { name: string }).name).sort();

Deno.test("deno task register --guild ID overwrites that server's commands with the enabled sets", async () => {
  await using f = await withFake();
  assert.equal(await runRegister(["--guild", GUILD], f.io), 0);
  const registered = f.fake.commands.guilds.get(GUILD)!;
  assert.deepEqual(names(registered), [
    "admin",
    "help",
    "leaders",
    "link",
    "pb",
    "recent",
    "records",
    "status",
    "sync-commands",
    "tracks",
    "unlink",
    "whoami",
  ]);
  const status = registered.find((c) => (c as { name: string }).name === "status") as Record<string, unknown>;
  assert.equal(status.default_member_permissions, "32");
  assert.match(f.lines[0]!, /^Registered 12 commands in server 300000000000000001: \/help /);
  assert.equal(f.fake.commands.global, null);
});

Deno.test("deno task register (global) and its refusals: bad guild id, Discord off, Discord says no", async () => {
  await using f = await withFake();
  assert.equal(await runRegister([], f.io), 0);
  assert.equal(names(f.fake.commands.global).length, 12);
  assert.match(f.lines.at(-1)!, /Global commands can take a while/);

  assert.equal(await runRegister(["--guild", "abc"], f.io), 2);
  assert.match(f.lines.at(-1)!, /Invalid --guild "abc"/);

  const off = { ...f.io, env: (n: string) => (n === "PODIUM_KV" ? ":memory:" : undefined) };
  assert.equal(await runRegister([], off), 2);
  assert.match(f.lines.at(-1)!, /Discord is off: set DISCORD_APPLICATION_ID.*docs\/discord\.md/);

  assert.equal(await runRegister(["--help"], f.io), 0);
  assert.match(f.lines.at(-1)!, /with the hub's environment \(PODIUM_CONFIG and the DISCORD_\* variables\)/);

  f.fake.injectFailure({ failure: DISCORD_ERRORS.invalidForm, method: "PUT" });
  assert.equal(await runRegister(["--guild", GUILD], f.io), 1);
  assert.match(f.lines.at(-1)!, /Discord refused the commands/);
});

Deno.test("/sync-commands (admin) registers in this server and edits its deferred answer", async () => {
  await using f = await withFake();
  const signer = await makeSigner();
  using kv = await Deno.openKv(":memory:");
  const discord = createDiscordApi({
    token: f.fake.token,
    applicationId: f.fake.applicationId,
    apiBase: f.fake.apiBase,
  });
  const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex), { discord }), [core, racing]);
  const ts = Math.floor(NOW.getTime() / 1000);
  const refused = await (await signer.post(app, commandBody("sync-commands"), { timestamp: ts })).json();
  assert.match(refused.data.content, /Only league admins/);
  const res =
    await (await signer.post(app, commandBody("sync-commands", [], { permissions: "8", guildId: GUILD }), {
      timestamp: ts,
    })).json();
  assert.deepEqual(res, { type: 5, data: { flags: 64 } });
  await settled();
  assert.equal(names(f.fake.commands.guilds.get(GUILD)).length, 12);
  const answer = f.fake.messages.find((m) => m.kind === "original")!;
  assert.match(String(answer.body.content), /^Registered 12 commands in this server: \/help/);
});
