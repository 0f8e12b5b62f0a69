/**
 * The rotation's state in KV: which event was last announced, which final results are still due,
 * a lease so that one instance at a time runs a rotation step, and what each kept Discord message
 * (live leaderboard, standings, schedule) last showed. Every change is a checked atomic commit, so
 * a cron fired twice, late, or on two instances at once announces each change exactly once.
 */
import { commitWithRetry } from "@/kv/retry.ts";
import { keptStateKey, rotationKey, rotationLeaseKey } from "@/kv/ta/keys.ts";

/** A final result waiting for the restart's last file (30 minutes of grace after the switch). */
export interface DueFinal {
  season: number;
  event: string;
  dueMs: number;
}

/** What the rotation last announced. */
export interface RotationState {
  season: number;
  /** The current event's key; null between events or outside the schedule. */
  event: string | null;
  changedAt: string;
  finals: DueFinal[];
  /** `season/event` the game server was last switched to (when the server switch is configured). */
  switched?: string;
  /** `season/event` whose restart warning went out, and when (`kickBeforeRestart`). */
  warned?: string;
  warnedAtMs?: number;
}

/** The rotation state and its versionstamp (null before the first rotation). */
export async function getRotation(kv: Deno.Kv): Promise<Deno.KvEntryMaybe<RotationState>> {
  return await kv.get<RotationState>(rotationKey());
}

/** Adds the rotation state's write, guarded by the entry it was planned on, to `op`. */
export function setRotation(
  op: Deno.AtomicOperation,
  seen: Deno.KvEntryMaybe<RotationState>,
  next: RotationState,
): Deno.AtomicOperation {
  return op.check(seen).set(rotationKey(), next);
}

interface Lease {
  holder: string;
  untilMs: number;
}

/** Takes the rotation lease for `ms` unless another holder has it; true when taken. */
export async function takeLease(kv: Deno.Kv, holder: string, nowMs: number, ms: number): Promise<boolean> {
  const key = rotationLeaseKey();
  const seen = await kv.get<Lease>(key);
  if (seen.value && seen.value.holder !== holder && seen.value.untilMs > nowMs) return false;
  const res = await commitWithRetry(
    () => kv.atomic().check(seen).set(key, { holder, untilMs: nowMs + ms }, { expireIn: ms }).commit(),
    "time-attack lease",
  );
  return res.ok;
}

/** Gives the lease back if `holder` still has it. */
export async function releaseLease(kv: Deno.Kv, holder: string): Promise<void> {
  const key = rotationLeaseKey();
  const seen = await kv.get<Lease>(key);
  if (seen.value?.holder !== holder) return;
  await commitWithRetry(() => kv.atomic().check(seen).delete(key).commit(), "time-attack lease");
}

/** What a kept message last showed, and when it may be edited next. */
export interface KeptState {
  /** The inputs it was built from (the changes stamp and the config): equal means nothing to do. */
  inputs: string | null;
  /** Hash of the last payload sent; null when the last send failed (so the next run sends again). */
  hash: string | null;
  lastEditMs: number;
  /** Set when a change was first seen while edits are throttled. */
  pendingSinceMs: number | null;
}

/** A kept message's state entry. */
export async function getKeptState(
  kv: Deno.Kv,
  kind: "live" | "standings" | "schedule",
  season: number,
  event = "",
): Promise<Deno.KvEntryMaybe<KeptState>> {
  return await kv.get<KeptState>(keptStateKey(kind, season, event));
}

/** Writes a kept message's state if nobody changed it since `seen`; false when another instance did. */
export async function setKeptState(
  kv: Deno.Kv,
  seen: Deno.KvEntryMaybe<KeptState>,
  next: KeptState,
): Promise<boolean> {
  const res = await commitWithRetry(
    () => kv.atomic().check(seen).set(seen.key, next).commit(),
    "time-attack message state",
  );
  return res.ok;
}
