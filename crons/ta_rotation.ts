/**
 * Time attack's rotation, run every minute (crons/mod.ts) and after imports (the live board).
 *
 * One step, under a KV lease so that one instance at a time runs it:
 * 1. The current event is computed from the schedule. When it differs from the one last
 *    announced, one checked commit records it and adds "event changed" to the outbox; the old
 *    event's final result becomes due 30 minutes after its end (the restart's last file arrives
 *    in that grace).
 * 2. Due final results are committed to the outbox, each with the state change that removes it.
 * 3. The kept messages are brought up to date: the schedule (when the config changed), the
 *    standings and the current event's live leaderboard (when laps changed; the live board at most
 *    once per 5 seconds).
 * A cron fired twice or on two instances finds the lease taken or the state already advanced; a
 * late cron does what is due at its `now`. Instants come from Temporal, so DST nights are right.
 */
import type { Config, TimeAttackConfig } from "@/config.ts";
import type { TaAnnouncement, TaOutput } from "@/discord/ta/announce.ts";
import { type ConnectSsh, switchServer, switchTarget } from "@/crons/ta_server_switch.ts";
import { liveBoardMessage, scheduleMessage, standingsMessage, type TaMessage } from "@/discord/ta/embeds.ts";
import { lapsStamp } from "@/kv/ta/boards.ts";
import { queueLiveCommands } from "@/kv/live/commands.ts";
import { getLiveState } from "@/kv/live/state.ts";
import { kvReader } from "@/kv/reader.ts";
import { commitWithRetry } from "@/kv/retry.ts";
import {
  type DueFinal,
  getKeptState,
  getRotation,
  type KeptState,
  releaseLease,
  type RotationState,
  setKeptState,
  setRotation,
  takeLease,
} from "@/kv/ta/rotation.ts";
import { currentSeason, eventAt, findSeason, GRACE_MS, seasonEvents } from "@/kv/ta/schedule.ts";
import { eventBoardView, eventNames, eventView, seasonStandings, seasonView } from "@/kv/ta/views.ts";
import { loadAcNames } from "@/kv/ac_content/names.ts";
import type { AcNames } from "@/games/ac/names.ts";

/** What the rotation needs. `taOutput` is null when Discord is off (state still advances). */
export interface TaDeps {
  kv: Deno.Kv;
  config: Config;
  taOutput: TaOutput | null;
  /** For `timeAttack.serverSwitch` (lib/ssh.ts `connectSsh`). */
  connectSsh?: ConnectSsh;
  /** Where the switch's private key is read from (default the process environment). */
  env?: (name: string) => string | undefined;
}

/** What one step did. */
export interface RotationReport {
  status: "off" | "busy" | "done";
  changed?: boolean;
  finals?: number;
  live?: KeepResult;
  /** The server switch: done now, already done, or why it failed (tried again next run). */
  switch?: "switched" | "same" | "warned" | { error: string };
}

const LEASE_MS = 55_000;
/** A burst of laps edits the live leaderboard at most once per this. */
export const LIVE_EDIT_INTERVAL_MS = 5_000;

/** Runs one rotation step at `now` (see the module doc). */
export async function rotateTimeAttack(deps: TaDeps, now: Date): Promise<RotationReport> {
  const ta = deps.config.timeAttack;
  if (!ta) return { status: "off" };
  const holder = crypto.randomUUID();
  if (!await takeLease(deps.kv, holder, now.getTime(), LEASE_MS)) return { status: "busy" };
  try {
    const changed = await advance(deps, ta, now);
    const finals = await postDueFinals(deps, ta, now);
    if (changed || finals > 0) deps.taOutput?.kick();
    const sw = await syncServer(deps, ta, now);
    await keepSchedule(deps, ta, now);
    await keepStandings(deps, ta, now);
    const live = await refreshLiveBoard(deps, now);
    const report: RotationReport = { status: "done", changed, finals, live };
    if (sw) report.switch = sw;
    return report;
  } finally {
    await releaseLease(deps.kv, holder);
  }
}

function sourceId(kind: string, season: number, event: string | null, now: Date): string {
  return `ta-${kind}-${season}-${event ?? "none"}-${now.getTime()}`;
}

/** Records a change of the current event with its announcement; false when nothing changed. */
async function advance(deps: TaDeps, ta: TimeAttackConfig, now: Date): Promise<boolean> {
  const nowMs = now.getTime();
  const season = currentSeason(ta, nowMs);
  const current = eventAt(seasonEvents(season), nowMs);
  const seen = await getRotation(deps.kv);
  const st = seen.value;
  if (st && st.season === season.season && st.event === (current?.key ?? null)) return false;
  const finals: DueFinal[] = [...st?.finals ?? []];
  const prevSeason = st?.event ? findSeason(ta, st.season) : null;
  const prev = prevSeason ? seasonEvents(prevSeason).find((e) => e.key === st!.event) : undefined;
  if (prev) {
    const endedAt = prev.endMs !== null && prev.endMs <= nowMs ? prev.endMs : nowMs;
    finals.push({ season: prev.season, event: prev.key, dueMs: endedAt + GRACE_MS });
  }
  const next: RotationState = {
    season: season.season,
    event: current?.key ?? null,
    changedAt: now.toISOString(),
    finals,
  };
  const names = await loadAcNames(deps.kv, deps.config);
  const items: TaAnnouncement[] = current
    ? [{ type: "ta_event_changed", season: season.season, event: eventView(current, names) }]
    : [];
  const res = await commitWithRetry(() => {
    const op = setRotation(deps.kv.atomic(), seen, next);
    if (items.length) {
      deps.taOutput?.addAnnouncements(op, items, now, sourceId("on", season.season, next.event, now));
    }
    return op.commit();
  }, "time-attack rotation");
  return res.ok;
}

/** Commits the final results that are due, one checked commit each; returns how many. */
async function postDueFinals(deps: TaDeps, ta: TimeAttackConfig, now: Date): Promise<number> {
  let posted = 0;
  for (;;) {
    const seen = await getRotation(deps.kv);
    const st = seen.value;
    const due = st?.finals.find((f) => f.dueMs <= now.getTime());
    if (!st || !due) return posted;
    const season = findSeason(ta, due.season);
    const names = await loadAcNames(deps.kv, deps.config);
    const board = season ? await eventBoardView(deps.kv, ta, season, due.event, names) : null;
    const name = season?.events.find((e) => e.key === due.event)?.name ?? due.event;
    const next = { ...st, finals: st.finals.filter((f) => f !== due) };
    const items: TaAnnouncement[] = board
      ? [{
        type: "ta_event_result",
        season: due.season,
        name,
        board: { ...board, entries: board.entries.slice(0, 10) },
      }]
      : [];
    const res = await commitWithRetry(() => {
      const op = setRotation(deps.kv.atomic(), seen, next);
      if (items.length) {
        deps.taOutput?.addAnnouncements(op, items, now, sourceId("final", due.season, due.event, now));
      }
      return op.commit();
    }, "time-attack final result");
    if (!res.ok) return posted;
    if (items.length) posted++;
  }
}

/** Switches the game server to the recorded current event unless it already was. */
async function syncServer(deps: TaDeps, ta: TimeAttackConfig, now: Date): Promise<RotationReport["switch"]> {
  const sw = ta.serverSwitch;
  if (!sw || !deps.connectSsh) return undefined;
  const seen = await getRotation(deps.kv);
  const st = seen.value;
  if (!st?.event) return undefined;
  const id = `${st.season}/${st.event}`;
  if (st.switched === id) return "same";
  const season = findSeason(ta, st.season);
  const event = season && seasonEvents(season).find((e) => e.key === st.event);
  if (!event) return undefined;
  if (sw.kickBeforeRestart && await warnBeforeRestart(deps, ta, now, { seen, id })) return "warned";
  try {
    const session = await deps.connectSsh(switchTarget(sw, deps.env));
    try {
      await switchServer(session, sw, event);
    } finally {
      await session.close();
    }
  } catch (err) {
    const error = `Cannot switch the time-attack server to "${event.key}": ${(err as Error).message}`;
    console.error(error);
    return { error };
  }
  await commitWithRetry(
    () => setRotation(deps.kv.atomic(), seen, { ...st, switched: id }).commit(),
    "time-attack server switch",
  );
  return "switched";
}

/**
 * The seed's "kick all players before restart", through the live-timing agent: a chat warning
 * first (recorded, so it goes out once), then, `warnSeconds` later, a kick for every car still
 * on. True while the warning is still running: the restart waits for a later run.
 */
async function warnBeforeRestart(
  deps: TaDeps,
  ta: TimeAttackConfig,
  now: Date,
  at: { seen: Deno.KvEntryMaybe<RotationState>; id: string },
): Promise<boolean> {
  const kick = ta.serverSwitch!.kickBeforeRestart!;
  const st = at.seen.value!;
  const waitMs = kick.warnSeconds * 1000;
  if (st.warned !== at.id) {
    const text = kick.message.replaceAll("{seconds}", String(kick.warnSeconds));
    await queueLiveCommands(deps.kv, ta.server, [{ kind: "say", text }], now);
    if (waitMs > 0) {
      await commitWithRetry(
        () =>
          setRotation(deps.kv.atomic(), at.seen, { ...st, warned: at.id, warnedAtMs: now.getTime() })
            .commit(),
        "time-attack restart warning",
      );
      return true;
    }
  } else if (now.getTime() - (st.warnedAtMs ?? 0) < waitMs) return true;
  const on = (await getLiveState(kvReader(deps.kv), ta.server)).cars.filter((c) => c.connected);
  if (on.length > 0) {
    await queueLiveCommands(
      deps.kv,
      ta.server,
      on.map((c) => ({ kind: "kick" as const, carId: c.carId })),
      now,
    );
  }
  return false;
}

/** What keeping one message did. */
export type KeepResult =
  | { status: "off" | "same" | "raced" | "sent" | "unchanged" }
  | { status: "waiting"; dueMs: number };

async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Brings one kept message up to date. `inputs` names what it is built from: when equal to last
 * time, nothing is read. With `throttleMs`, a change is sent at once when the last edit is at
 * least `throttleMs` old, else when it becomes so (one edit for everything meanwhile); the first
 * post is never held back.
 */
async function keep(
  deps: TaDeps,
  opts: {
    kind: "live" | "standings" | "schedule";
    season: number;
    event?: string;
    channel: string | undefined;
    inputs: string;
    now: Date;
    throttleMs?: number;
    build: () => Promise<TaMessage>;
  },
): Promise<KeepResult> {
  const out = deps.taOutput;
  if (!out || !opts.channel) return { status: "off" };
  const nowMs = opts.now.getTime();
  const seen = await getKeptState(deps.kv, opts.kind, opts.season, opts.event);
  const st = seen.value;
  if (st && st.inputs === opts.inputs) return { status: "same" };
  if (st && st.hash !== null && opts.throttleMs) {
    // A change after a quiet spell goes out at once (a live lap shows within a second); changes
    // within throttleMs of the last edit wait for one edit at its end.
    const dueMs = st.lastEditMs + opts.throttleMs;
    if (nowMs < dueMs) {
      if (st.pendingSinceMs !== null) return { status: "waiting", dueMs };
      const ok = await setKeptState(deps.kv, seen, { ...st, pendingSinceMs: nowMs });
      return ok ? { status: "waiting", dueMs } : { status: "raced" };
    }
  }
  const payload = await opts.build();
  const hash = await sha256(JSON.stringify(payload));
  const changed = hash !== st?.hash;
  const next: KeptState = {
    inputs: opts.inputs,
    hash,
    lastEditMs: changed ? nowMs : st?.lastEditMs ?? nowMs,
    pendingSinceMs: null,
  };
  if (!await setKeptState(deps.kv, seen, next)) return { status: "raced" };
  if (!changed) return { status: "unchanged" };
  const key = `ta:${opts.kind}:${opts.season}${opts.event ? `:${opts.event}` : ""}`;
  try {
    await out.upsertKeptMessage(key, opts.channel, payload);
  } catch (err) {
    // Sent nothing: forget the hash so that the next run sends again.
    const after = await getKeptState(deps.kv, opts.kind, opts.season, opts.event);
    if (after.value?.hash === hash) await setKeptState(deps.kv, after, { ...next, inputs: null, hash: null });
    throw err;
  }
  return { status: "sent" };
}

function configId(ta: TimeAttackConfig, season: number): string {
  return JSON.stringify(findSeason(ta, season));
}

/** What the season's messages show of the content names (a name sent by an agent changes it). */
function namesId(ta: TimeAttackConfig, season: number, names: AcNames): string {
  const s = findSeason(ta, season);
  return JSON.stringify(s ? seasonEvents(s).map((e) => eventNames(e, names)) : null);
}

async function keepSchedule(deps: TaDeps, ta: TimeAttackConfig, now: Date): Promise<KeepResult> {
  const season = currentSeason(ta, now.getTime());
  const current = eventAt(seasonEvents(season), now.getTime())?.key ?? null;
  const names = await loadAcNames(deps.kv, deps.config);
  return await keep(deps, {
    kind: "schedule",
    season: season.season,
    channel: ta.channels.schedule,
    inputs: `${configId(ta, season.season)}|${current}|${namesId(ta, season.season, names)}|${
      JSON.stringify(ta.emoji)
    }`,
    now,
    build: () => Promise.resolve(scheduleMessage(seasonView(season, names), current, ta.emoji)),
  });
}

async function keepStandings(deps: TaDeps, ta: TimeAttackConfig, now: Date): Promise<KeepResult> {
  const season = currentSeason(ta, now.getTime());
  return await keep(deps, {
    kind: "standings",
    season: season.season,
    channel: ta.channels.standings,
    inputs: `${await lapsStamp(deps.kv, seasonEvents(season), ta.server)}|${configId(ta, season.season)}`,
    now,
    build: async () => {
      const st = await seasonStandings(deps.kv, ta, season);
      return standingsMessage(st, new Map(season.events.map((e) => [e.key, e.name ?? e.key])));
    },
  });
}

/**
 * Brings the current event's live leaderboard up to date: posted when the event starts, then
 * edited in place when its laps change, at most once per LIVE_EDIT_INTERVAL_MS. A `waiting`
 * answer says when to call again. Safe to call from every instance after every import.
 */
export async function refreshLiveBoard(deps: TaDeps, now: Date): Promise<KeepResult> {
  const ta = deps.config.timeAttack;
  if (!ta) return { status: "off" };
  const season = currentSeason(ta, now.getTime());
  const event = eventAt(seasonEvents(season), now.getTime());
  if (!event) return { status: "off" };
  const names = await loadAcNames(deps.kv, deps.config);
  return await keep(deps, {
    kind: "live",
    season: season.season,
    event: event.key,
    channel: ta.channels.leaderboard,
    // Only laps on the event's track (and its neighbours', for the grace) can change the board.
    inputs: `${await lapsStamp(deps.kv, seasonEvents(season), ta.server)}|${configId(ta, season.season)}|${
      namesId(ta, season.season, names)
    }`,
    now,
    throttleMs: LIVE_EDIT_INTERVAL_MS,
    build: async () =>
      liveBoardMessage((await eventBoardView(deps.kv, ta, season, event.key, names))!, event.name),
  });
}
