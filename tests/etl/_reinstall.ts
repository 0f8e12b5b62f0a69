/**
 * One evening where a player reinstalls mid-way (tests/etl/people_*_test.ts): 5 players, 10
 * generated rounds under OLD, then 10 more where that player is NEW, imported into a new in-memory
 * KV (with an endstats file per round when asked), and the admin merge of OLD and NEW.
 */
import assert from "node:assert/strict";
import { generateEtlFiles, stampOf } from "@/fixtures/gen_etl.ts";
import { endstatsFor } from "@/fixtures/gen_etl_endstats.ts";
import { Importer } from "@/ingest/importer.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { mergeIdentities } from "@/kv/people/merge.ts";
import { NOW } from "@/tests/discord/_app.ts";

/** The player's GUID before the reinstall, after it, and the name the admin merges them under. */
export const OLD = "10001EEF", NEW = "ABCDEF01", NAME = "Re Installed";

const stampMs = (name: string) => {
  const m = /^(\d{4})-(\d\d)-(\d\d)-(\d\d)(\d\d)(\d\d)/.exec(name)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
};

/** The evening imported (one session), its id, and the KV (closed on dispose). */
export async function reinstallEvening(opts: { endstats?: boolean } = {}) {
  const kv = await Deno.openKv(":memory:");
  const first = [...generateEtlFiles(10, { seed: 6, players: 5, perRound: 8, mapsPerNight: 5 })];
  const start = stampMs(first.at(-1)!.name) + 5 * 60_000;
  const second = [
    ...generateEtlFiles(10, { seed: 7, players: 5, perRound: 8, mapsPerNight: 5, start: new Date(start) }),
  ].map((f) => ({ ...f, text: f.text.replaceAll(`\n${OLD}\\`, `\n${NEW}\\`) }));
  assert.ok(first.every((f) => f.text.includes(`\n${OLD}\\`)), "OLD plays every early round");
  assert.ok(second.every((f) => f.text.includes(`\n${NEW}\\`)), "NEW plays every late round");
  assert.ok(stampOf(start) < second[0]!.name);
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  const enc = new TextEncoder();
  for (const [i, f] of [...first, ...second].entries()) {
    assert.equal((await imp.importOne({ name: f.name, bytes: enc.encode(f.text) })).status, "imported");
    if (!opts.endstats) continue;
    const es = endstatsFor(f.name, f.text, { seed: i + 1 });
    assert.equal((await imp.importOne({ name: es.name, bytes: enc.encode(es.text) })).status, "imported");
  }
  const sessions = await listSessions(kv);
  assert.equal(sessions.length, 1, "one evening, one session");
  return { kv, sessionId: sessions[0]!.id, [Symbol.dispose]: () => kv.close() };
}

/** The admin merge of OLD and NEW under NAME. */
export const mergeReinstalled = (kv: Deno.Kv) =>
  mergeIdentities(kv, { identities: [{ kind: "etl", id: OLD }, { kind: "etl", id: NEW }], name: NAME }, {
    by: "admin",
    now: NOW,
  });
