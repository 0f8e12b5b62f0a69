import assert from "node:assert/strict";
import type { APIApplicationCommandOption } from "discord-api-types/v10";
import { COMMAND_SETS, commandDefinitions, enabledSets } from "@/discord/registry.ts";
import type { CommandSet } from "@/discord/command.ts";
import { discordConfig } from "@/tests/discord/_app.ts";

const KEY = "ab".repeat(32);

function optionChars(o: APIApplicationCommandOption): number {
  let n = o.name.length + o.description.length;
  if ("choices" in o && o.choices) { for (const c of o.choices) n += c.name.length + String(c.value).length; }
  if ("options" in o && o.options) { for (const s of o.options) n += optionChars(s); }
  return n;
}

function checkOptions(where: string, options: APIApplicationCommandOption[] = []) {
  assert.ok(options.length <= 25, `${where}: more than 25 options`);
  let optionalSeen = false;
  for (const o of options) {
    assert.match(o.name, /^[-_\p{Ll}\p{N}]{1,32}$/u, `${where}: option name "${o.name}"`);
    assert.ok(
      o.description.length >= 1 && o.description.length <= 100,
      `${where}.${o.name}: description length`,
    );
    if ("autocomplete" in o && o.autocomplete) {
      assert.ok(!("choices" in o && o.choices), `${where}.${o.name}`);
    }
    if ("options" in o && (o.type === 1 || o.type === 2)) checkOptions(`${where} ${o.name}`, o.options ?? []);
    else {
      const required = "required" in o && o.required === true;
      assert.ok(!(required && optionalSeen), `${where}.${o.name}: a required option after an optional one`);
      if (!required) optionalSeen = true;
    }
  }
}

Deno.test("Every command of every set is a valid Discord definition (names, lengths, option order, 8,000 chars)", () => {
  const all = COMMAND_SETS.flatMap((s) => s.commands.map((c) => c.definition));
  for (const d of all) {
    assert.match(d.name, /^[-_\p{Ll}\p{N}]{1,32}$/u, d.name);
    assert.ok(d.description.length >= 1 && d.description.length <= 100, `/${d.name}: description length`);
    checkOptions(`/${d.name}`, d.options);
    const chars = d.name.length + d.description.length +
      (d.options ?? []).reduce((n, o) => n + optionChars(o), 0);
    assert.ok(chars <= 8000, `/${d.name}: ${chars} characters`);
  }
  assert.ok(all.length <= 100);
});

Deno.test("commandDefinitions(): admin commands carry default_member_permissions (Manage Guild)", () => {
  const defs = commandDefinitions(discordConfig(KEY));
  const status = defs.find((d) => d.name === "status")!;
  assert.equal(status.default_member_permissions, "32");
  const sync = defs.find((d) => d.name === "sync-commands")!;
  assert.equal(sync.default_member_permissions, "32");
  assert.equal(defs.find((d) => d.name === "records")!.default_member_permissions, undefined);
});

Deno.test("commandDefinitions(): with discord.adminRoles, /status and /sync-commands are visible to those roles", () => {
  const base = discordConfig(KEY);
  const config = { ...base, discord: { ...base.discord, adminRoles: ["300000000000000001"] } };
  const defs = commandDefinitions(config);
  for (const name of ["status", "sync-commands"]) {
    assert.equal(defs.find((d) => d.name === name)!.default_member_permissions, undefined, name);
  }
});

Deno.test("commandDefinitions(): only enabled sets; a name defined twice is an error", () => {
  const config = discordConfig(KEY);
  const a: CommandSet = {
    id: "et",
    enabled: () => false,
    commands: [{ definition: { name: "x", description: "x" }, run: () => Promise.reject() }],
  };
  assert.deepEqual(enabledSets(config, [a]), []);
  assert.deepEqual(commandDefinitions(config, [a]), []);
  const b: CommandSet = { ...a, id: "ta", enabled: () => true };
  const c: CommandSet = { ...a, id: "numbers", enabled: () => true };
  assert.throws(() => commandDefinitions(config, [b, c]), /"\/x" is defined by both "ta" and "numbers"/);
  const etlOnly = { ...config, servers: [{ id: "x", game: "etl" as "acc", timeZone: "UTC" }] };
  assert.ok(!commandDefinitions(etlOnly).some((d) => d.name === "records"));
  assert.ok(commandDefinitions(etlOnly).some((d) => d.name === "help"));
});
