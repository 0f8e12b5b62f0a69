/**
 * ET:Legacy display names (docs/etl.md "Display names"): the name a member chose for their GUIDs
 * (`/et name`), or an admin chose and locked (`/et admin name`), shown instead of the name in the
 * files on pages, posts, replies and the API (the GUID never changes). Precedence, per GUID: a
 * display name set here (an admin's, locked, or the member's own), else the name of the person
 * the GUID belongs to (`/admin merge`, config aliases), else the newest name in the files.
 *
 * Stored names are never rewritten: read-only readers (`kvReader`) apply them as rounds and
 * players are read (kv/etl/rounds.ts, kv/etl/players.ts: `displayNames` once per reader, `named`); transactions see the files' names.
 */
import { cleanText } from "@/lib/text.ts";
import { changesKey } from "@/kv/keys.ts";
import type { KvReader } from "@/kv/reader.ts";
import { etlDisplayNameIndexKey, etlDisplayNameKey, etlDisplayNamePrefix } from "@/kv/etl/keys.ts";
import { getPerson, type PersonOf } from "@/kv/people/people.ts";
import { etlPeople } from "@/kv/etl/people.ts";
import { peopleAuditKey, personOfKey } from "@/kv/people/keys.ts";
import { newAuditId, type PeopleAuditEntry } from "@/kv/people/regroup.ts";
import type { EtlPlayer } from "@/kv/etl/types.ts";
import type { EtlPlayerRound } from "@/games/etl/stats.ts";

/** A display name as stored for one GUID. */
export interface StoredDisplayName {
  guid: string;
  name: string;
  /** Discord user id of who set it. */
  by: string;
  at: string;
  /** Set by an admin: the member cannot change it. */
  locked: boolean;
}

/** Shortest and longest display name, in characters. */
export const DISPLAY_NAME_LENGTH = { min: 2, max: 32 } as const;

/** At most this many display names are read per reader (one range read; people: kv/etl/people.ts). */
const MAX_NAMES = 5000;

/** A display name as compared for uniqueness: case, width and runs of spaces do not count. */
export function foldName(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** A typed display name made clean, or why it cannot be one. */
export function validateDisplayName(text: string): { name: string } | { error: string } {
  const name = cleanText(text).normalize("NFC").replace(/\s+/g, " ").trim();
  const n = [...name].length;
  if (n < DISPLAY_NAME_LENGTH.min || n > DISPLAY_NAME_LENGTH.max) {
    return {
      error: `A display name has ${DISPLAY_NAME_LENGTH.min} to ${DISPLAY_NAME_LENGTH.max} characters`,
    };
  }
  if (/[@<>`\\^]/.test(name)) {
    return { error: "A display name cannot have @ < > ` \\ or ^ (mentions, markup, colour codes)" };
  }
  if (/^[0-9a-f]{8,32}$/i.test(name)) return { error: "A display name cannot look like a GUID" };
  if (!/\p{L}|\p{N}/u.test(name)) return { error: "A display name needs a letter or a digit" };
  return { name };
}

/**
 * The display name of every GUID that has one (a set one, else its person's), read once per
 * reader; null on readers without a memo (transactions: they see the files' names).
 */
export function displayNames(r: Partial<KvReader>): Promise<Map<string, string>> | null {
  if (!r.memo || !r.list || !r.getMany) return null;
  let got = r.memo.get("etl_display_names") as Promise<Map<string, string>> | undefined;
  if (!got) {
    got = loadDisplayNames(r as KvReader);
    r.memo.set("etl_display_names", got);
  }
  return got;
}

async function loadDisplayNames(r: KvReader): Promise<Map<string, string>> {
  const [set, people] = await Promise.all([
    r.list<StoredDisplayName>(etlDisplayNamePrefix(), MAX_NAMES),
    etlPeople(r),
  ]);
  const out = new Map<string, string>();
  for (const [guid, p] of people) out.set(guid, cleanText(p.name));
  for (const e of set) out.set(e.value.guid, e.value.name);
  return out;
}

/** A row or player with its display name (the file's name kept as `gameName`). */
export function named<T extends Pick<EtlPlayerRound | EtlPlayer, "guid" | "name" | "nameRaw" | "gameName">>(
  p: T,
  names: Map<string, string>,
): T {
  const d = names.get(p.guid);
  if (d === undefined) return p;
  // `gameName` marks a name applied on read, even one equal to the files' (kv/etl/people.ts keeps it).
  return { ...p, name: d, nameRaw: d, gameName: p.gameName ?? p.name };
}

/** What setting a display name did, or why not. */
export type SetNameResult =
  | { status: "set"; name: string; guids: string[] }
  | { status: "cleared"; guids: string[] }
  | { status: "locked"; name: string }
  | { status: "taken"; by: "display" | "player"; guid: string };

/**
 * Sets (or with `name` null clears) the display name of `guids` (a member's linked GUIDs), with
 * an audit entry, in one atomic write. A member cannot change a locked name; an admin's name is
 * locked. `inGameNames` are the other players' newest names in the files (a display name may not
 * be one of them); the caller reads them.
 */
export async function setDisplayName(
  kv: Deno.Kv,
  req: {
    guids: string[];
    name: string | null;
    by: string;
    admin: boolean;
    now: Date;
    inGameNames: { guid: string; name: string }[];
  },
): Promise<SetNameResult> {
  const guids = [...new Set(req.guids)];
  for (let attempt = 1;; attempt++) {
    const olds: Deno.KvEntryMaybe<StoredDisplayName>[] = [];
    for (let i = 0; i < guids.length; i += 10) {
      olds.push(...await kv.getMany<StoredDisplayName[]>(guids.slice(i, i + 10).map(etlDisplayNameKey)));
    }
    const locked = olds.find((o) => o.value?.locked);
    if (locked?.value && !req.admin) return { status: "locked", name: locked.value.name };
    const op = kv.atomic();
    for (const o of olds) op.check(o);
    const folded = req.name === null ? null : foldName(req.name);
    if (folded !== null) {
      const other = req.inGameNames.find((p) => !guids.includes(p.guid) && foldName(p.name) === folded);
      if (other) return { status: "taken", by: "player", guid: other.guid };
      const idx = await kv.get<{ guids: string[] }>(etlDisplayNameIndexKey(folded));
      const holder = idx.value?.guids.find((g) => !guids.includes(g));
      if (holder) return { status: "taken", by: "display", guid: holder };
      op.check(idx).set(etlDisplayNameIndexKey(folded), { guids });
    }
    // The old names' index entries lose these GUIDs.
    const oldFolds = [...new Set(olds.flatMap((o) => o.value ? [foldName(o.value.name)] : []))]
      .filter((f) => f !== folded);
    for (const f of oldFolds) {
      const idx = await kv.get<{ guids: string[] }>(etlDisplayNameIndexKey(f));
      op.check(idx);
      const rest = (idx.value?.guids ?? []).filter((g) => !guids.includes(g));
      if (rest.length) op.set(etlDisplayNameIndexKey(f), { guids: rest });
      else op.delete(etlDisplayNameIndexKey(f));
    }
    for (const g of guids) {
      if (req.name === null) op.delete(etlDisplayNameKey(g));
      else {
        op.set(
          etlDisplayNameKey(g),
          {
            guid: g,
            name: req.name,
            by: req.by,
            at: req.now.toISOString(),
            locked: req.admin,
          } satisfies StoredDisplayName,
        );
      }
    }
    const before = olds.map((o) => o.value?.name).find((n) => n) ?? null;
    const audit: PeopleAuditEntry = {
      id: newAuditId(req.now),
      at: req.now.toISOString(),
      by: req.by,
      action: "name",
      summary: `ET:Legacy display name of ${guids.map((g) => `etl:${g}`).join(", ")}: ${
        before === null ? "(none)" : JSON.stringify(before)
      } → ${req.name === null ? "(none)" : JSON.stringify(req.name)}${req.admin ? " (admin, locked)" : ""}`,
      before: [],
      after: [],
    };
    op.set(peopleAuditKey(audit.id), audit);
    // The read caches (views, leaderboards, pages) rest on the changes key's versionstamp: rewritten
    // as it is (not an import, so "last import" stays), unchecked like every writer of it.
    op.set(changesKey(), (await kv.get(changesKey())).value ?? {});
    if ((await op.commit()).ok) {
      return req.name === null ? { status: "cleared", guids } : { status: "set", name: req.name, guids };
    }
    if (attempt >= 5) throw new Error("Cannot set the display name: the store kept changing");
  }
}

/** The GUIDs a member's display name covers: every ET:Legacy GUID of their linked GUID's person. */
export async function memberGuids(kv: Deno.Kv, linkedGuid: string): Promise<string[]> {
  const of = (await kv.get<PersonOf>(personOfKey("etl", linkedGuid))).value;
  const p = of?.personId ? await getPerson(kv, of.personId) : null;
  return p && p.etl.includes(linkedGuid) ? [...p.etl] : [linkedGuid];
}

/** A GUID's display name as set (not a person's), or null. */
export async function getDisplayName(kv: Deno.Kv, guid: string): Promise<StoredDisplayName | null> {
  return (await kv.get<StoredDisplayName>(etlDisplayNameKey(guid))).value;
}
