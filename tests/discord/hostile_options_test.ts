/**
 * Every command of every set, signed as Discord signs it, with one hostile value in every string
 * option (autocomplete ones and ones with choices included: a forged interaction can send anything)
 * and typed into every autocomplete option: no reply (content, embeds, component labels, choices)
 * carries a raw mention token, a bidi override or a NUL.
 */
import assert from "node:assert/strict";
import type { APIApplicationCommandOption } from "discord-api-types/v10";
import { COMMAND_SETS, commandDefinitions, enabledSets } from "@/discord/registry.ts";
import { settled } from "@/discord/dispatch.ts";
import { discordConfig, interactionsApp, NOW, recordingDiscord, testDeps } from "@/tests/discord/_app.ts";
import { autocompleteBody, commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { configOf, taConfigFile } from "@/tests/ta/_ta.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";

/** What the reviewer typed: a user mention, bold, a right-to-left override and a NUL. */
const HOSTILE = "<@123456789012345678> **b** \u202Eevil\u0000";
const ADMIN = { permissions: String(1n << 3n | 1n << 5n) };
const SUB = 1, GROUP = 2, STR = 3, INT = 4, BOOL = 5, USER = 6, CHANNEL = 7, ROLE = 8, MENTIONABLE = 9;

type Sent = { name: string; type: number; value?: unknown; options?: Sent[]; focused?: boolean };

/**
 * A value of every leaf option: the hostile text for strings (with `listed`, the first listed
 * choice where the option has choices, so the typed text reaches what comes after), valid values
 * for the rest.
 */
function leafValue(o: APIApplicationCommandOption, listed: boolean): unknown {
  switch (o.type) {
    case STR:
      return listed && "choices" in o && o.choices?.length ? o.choices[0]!.value : HOSTILE;
    case INT:
    case 10:
      return "min_value" in o && typeof o.min_value === "number" ? o.min_value : 1;
    case BOOL:
      return true;
    case USER:
    case MENTIONABLE:
      return "200000000000000009";
    case CHANNEL:
      return "400000000000000009";
    case ROLE:
      return "700000000000000009";
    default:
      return undefined;
  }
}

/** Each way to call a command: its subcommand path and its leaf options. */
function invocations(
  options: APIApplicationCommandOption[] | undefined,
): { path: string[]; leaves: APIApplicationCommandOption[] }[] {
  const subs = (options ?? []).filter((o) => o.type === SUB || o.type === GROUP);
  if (subs.length === 0) return [{ path: [], leaves: (options ?? []).filter((o) => o.type !== 11) }];
  return subs.flatMap((s) =>
    invocations("options" in s ? s.options as APIApplicationCommandOption[] : []).map((i) => ({
      path: [s.name, ...i.path],
      leaves: i.leaves,
    }))
  );
}

function nest(path: string[], leaves: Sent[]): Sent[] {
  if (path.length === 0) return leaves;
  const [head, ...rest] = path;
  return [{ name: head!, type: rest.length ? GROUP : SUB, options: nest(rest, leaves) }];
}

/** Every displayed string of an answer (custom ids and allowed_mentions are not shown). */
function shown(value: unknown, out: string[] = [], key = ""): string[] {
  if (typeof value === "string") {
    if (key !== "custom_id" && key !== "url") out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) shown(v, out, key);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (k !== "allowed_mentions") shown(v, out, k);
  }
  return out;
}

/** What in an answer lets typed text through: a raw mention token, U+202E, NUL. */
function leaks(label: string, answer: unknown): string[] {
  return shown(answer).filter((t) =>
    /(?<!\\)<@123456789012345678/.test(t) || t.includes("\u202E") || t.includes("\u0000")
  ).map((t) => `${label}: ${JSON.stringify(t)}`);
}

Deno.test("Every string and autocomplete option of every command: typed text never comes back raw", async () => {
  const signer = await makeSigner();
  await using kv = await Deno.openKv(":memory:");
  const file = taConfigFile();
  const config = {
    ...discordConfig(
      signer.publicKeyHex,
      configOf({ ...file, servers: [...file.servers, { id: "etl", game: "etl" }] }),
    ),
    numbersEnabled: true,
  };
  const importer = new Importer(kv, { announce: false, now: () => NOW });
  for (const f of generateEtlFiles(4, { players: 8, perRound: 6 })) {
    await importer.importOne({ name: f.name, bytes: new TextEncoder().encode(f.text) });
  }
  const discord = { ...recordingDiscord(), putCommands: () => Promise.resolve([]) };
  const sets = enabledSets(config, COMMAND_SETS);
  assert.equal(sets.length, COMMAND_SETS.length, "every set is on");
  const app = interactionsApp(testDeps(kv, config, { discord }), sets, { deferAfterMs: 10_000 });
  const post = async (body: unknown) => {
    const res = await signer.post(app, body, { timestamp: Math.floor(NOW.getTime() / 1000) });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json();
  };
  let calls = 0;
  const found: string[] = [];
  for (const def of commandDefinitions(config)) {
    for (const { path, leaves } of invocations(def.options as APIApplicationCommandOption[])) {
      if (!leaves.some((o) => o.type === STR)) continue; // nothing typed to echo
      const label = `/${[def.name, ...path].join(" ")}`;
      const sent = leaves.map((o) => ({ name: o.name, type: o.type, value: leafValue(o, true) }));
      for (const listed of [false, true]) {
        const values = leaves.map((o) => ({ name: o.name, type: o.type, value: leafValue(o, listed) }));
        for (const who of [ADMIN, undefined]) {
          found.push(...leaks(label, await post(commandBody(def.name, nest(path, values), who))));
          calls++;
        }
      }
      for (const o of leaves.filter((o) => "autocomplete" in o && o.autocomplete)) {
        const typed = sent.map((s) => s.name === o.name ? { ...s, focused: true } : s);
        const body = autocompleteBody(def.name, nest(path, typed), ADMIN);
        found.push(...leaks(`${label} ${o.name} (autocomplete)`, await post(body)));
        calls++;
      }
    }
  }
  await settled();
  for (const e of discord.edits) found.push(...leaks("a deferred answer", e.body));
  assert.deepEqual(found, []);
  assert.ok(calls > 60, `${calls} interactions sent`);
});
