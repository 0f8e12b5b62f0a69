/**
 * Live timing from the Assetto Corsa server's UDP plugin (docs/live.md): the events the agent
 * relays (agent/ac_plugin.ts), parsed at the hub's door, and the pure fold of a batch of them
 * into a server's live state. Which laps come out of a batch, and which of them may count for
 * bests, is decided here; storing them is kv/live/'s job.
 */
import { z } from "zod";
import { cleanText } from "@/lib/text.ts";
import { DEFAULT_LAP_LIMITS, implausibleReason, type LapLimits } from "@/games/racing/laps.ts";
import type { CarResult, Lap, NormalizedSession, SessionKind } from "@/games/racing/types.ts";

/** AC's untimed lap. */
const NO_TIME = 999999999;

/** The plugin's session types: 0 booking, 1 practice, 2 qualifying, 3 race. */
export function kindOfAcSession(type: number): SessionKind {
  return type === 2 ? "Q" : type === 3 ? "R" : "FP";
}

/** The record track id of an AC track and layout, as the results-file parser builds it. */
export function acTrackId(track: string, layout: string): string {
  return layout ? `${track}@${layout}` : track;
}

const Str = z.string().max(1024);
/** A name people read (driver, session, server): made inert like every name from a game file. */
const Name = Str.transform(cleanText);
const Int = z.number().int().min(0).max(0xffffffff);

/** One relayed event: its sequence number, when the agent received it, and the decoded message. */
export const LiveEventIn = z.object({ seq: z.number().int().min(1), at: z.number(), type: Str }).loose();
export type LiveEventIn = z.infer<typeof LiveEventIn>;

/** A batch the agent sends to `POST /api/live`. */
export const LiveBatch = z.object({
  stream: z.string().min(1).max(64),
  sentAt: z.number(),
  events: z.array(LiveEventIn).max(1000),
  done: z.array(z.string().max(80)).max(200).default([]),
});
export type LiveBatch = z.infer<typeof LiveBatch>;

const SessionEv = z.object({
  isNew: z.boolean(),
  track: Str,
  layout: Str,
  name: Name,
  sessionType: Int,
  serverName: Name.default(""),
  elapsedMs: z.number().int(),
});
const DriverEv = z.object({ carId: Int, driver: Name, guid: Str, model: Str });
const CarEv = DriverEv.extend({ connected: z.boolean() });
const LapEv = z.object({
  carId: Int,
  lapMs: Int,
  cuts: Int,
  board: z.array(z.object({ carId: Int, laps: Int })).max(256).default([]),
});

/** The session a server is running. */
export interface LiveSession {
  kind: SessionKind;
  track: string;
  layout: string;
  name: string;
  serverName: string;
  startedAt: string;
  endedAt: string | null;
}

/** A car slot as the live page shows it. */
export interface LiveCar {
  carId: number;
  driver: string;
  guid: string;
  model: string;
  connected: boolean;
  laps: number;
  bestLapMs: number | null;
  lastLapMs: number | null;
  lastCuts: number | null;
}

/** A server's live state: where its event stream is, and what it shows. */
export interface LiveState {
  stream: string | null;
  lastSeq: number;
  session: LiveSession | null;
  cars: LiveCar[];
  updatedAt: string | null;
}

/** A lap the batch completed, with what the hub needs to count it. */
export interface LiveLap {
  /** The lap-completed event's sequence number in its stream. */
  seq: number;
  carId: number;
  guid: string;
  driver: string;
  model: string;
  lapMs: number;
  cuts: number;
  atMs: number;
  /** The car's lap number in the session (1-based), as the server counts it when it says. */
  n: number;
  /** Timed, without cuts, by a known driver: may set a best. */
  countsForBest: boolean;
}

/** The state of a server before any event. */
export function emptyLiveState(): LiveState {
  return { stream: null, lastSeq: 0, session: null, cars: [], updatedAt: null };
}

function newCar(carId: number): LiveCar {
  return {
    carId,
    driver: "",
    guid: "",
    model: "",
    connected: false,
    laps: 0,
    bestLapMs: null,
    lastLapMs: null,
    lastCuts: null,
  };
}

function resetTimes(c: LiveCar): LiveCar {
  return { ...c, laps: 0, bestLapMs: null, lastLapMs: null, lastCuts: null };
}

/**
 * Folds a batch into the state (`limits`: the lap plausibility rule's, as for results files). Events at or below the stream's last sequence number were
 * applied before and are skipped (a batch sent again after a lost answer); a new stream (a new
 * agent queue) starts over at its own numbers. Returns the new state and the laps completed.
 */
export function reduceLive(
  prev: LiveState,
  batch: Pick<LiveBatch, "stream" | "events">,
  limits: LapLimits = DEFAULT_LAP_LIMITS,
): { state: LiveState; laps: LiveLap[]; applied: number } {
  const state: LiveState = structuredClone(prev);
  if (state.stream !== batch.stream) {
    state.stream = batch.stream;
    state.lastSeq = 0;
  }
  const laps: LiveLap[] = [];
  let applied = 0;
  const car = (id: number) => {
    let c = state.cars.find((x) => x.carId === id);
    if (!c) {
      c = newCar(id);
      state.cars.push(c);
      state.cars.sort((a, b) => a.carId - b.carId);
    }
    return c;
  };
  const seat = (d: z.infer<typeof DriverEv>, connected: boolean) => {
    const c = car(d.carId);
    if (c.guid !== d.guid) Object.assign(c, resetTimes(c));
    Object.assign(c, { driver: d.driver, guid: d.guid, model: d.model, connected });
  };
  for (const ev of batch.events) {
    if (ev.seq <= state.lastSeq) continue;
    state.lastSeq = ev.seq;
    applied++;
    const at = new Date(ev.at).toISOString();
    state.updatedAt = at;
    if (ev.type === "session") {
      const s = SessionEv.safeParse(ev);
      if (!s.success) continue;
      const next: LiveSession = {
        kind: kindOfAcSession(s.data.sessionType),
        track: s.data.track,
        layout: s.data.layout,
        name: s.data.name,
        serverName: s.data.serverName,
        startedAt: new Date(ev.at - Math.max(0, s.data.elapsedMs)).toISOString(),
        endedAt: null,
      };
      const cur = state.session;
      const same = cur && !cur.endedAt && cur.track === next.track && cur.layout === next.layout &&
        cur.kind === next.kind && cur.name === next.name;
      if (s.data.isNew || !same) {
        state.session = next;
        state.cars = state.cars.filter((c) => c.connected).map(resetTimes);
      }
    } else if (ev.type === "connect" || ev.type === "disconnect") {
      const d = DriverEv.safeParse(ev);
      if (d.success) seat(d.data, ev.type === "connect");
    } else if (ev.type === "car") {
      const d = CarEv.safeParse(ev);
      if (!d.success) continue;
      // An empty slot answers too: it is only worth a line when someone is or was in it.
      if (d.data.connected || d.data.guid || state.cars.some((c) => c.carId === d.data.carId)) {
        seat(d.data, d.data.connected);
      }
    } else if (ev.type === "end") {
      if (state.session) state.session.endedAt = at;
    } else if (ev.type === "lap") {
      const l = LapEv.safeParse(ev);
      if (!l.success) continue;
      const c = car(l.data.carId);
      const timed = l.data.lapMs > 0 && l.data.lapMs < NO_TIME;
      c.laps++;
      // The server's own count covers laps driven before the agent started.
      const own = l.data.board.find((b) => b.carId === c.carId)?.laps ?? 0;
      if (own > c.laps) c.laps = own;
      c.lastLapMs = timed ? l.data.lapMs : null;
      c.lastCuts = l.data.cuts;
      // The plausibility rule of results files (games/racing/laps.ts): an impossible time is no best.
      const clean = timed && l.data.cuts === 0 && implausibleReason(l.data.lapMs, limits) === null;
      if (clean && (c.bestLapMs === null || l.data.lapMs < c.bestLapMs)) c.bestLapMs = l.data.lapMs;
      laps.push({
        seq: ev.seq,
        carId: c.carId,
        guid: c.guid,
        driver: c.driver,
        model: c.model,
        lapMs: l.data.lapMs,
        cuts: l.data.cuts,
        atMs: ev.at,
        n: c.laps,
        countsForBest: clean && c.guid !== "" && c.model !== "",
      });
    }
  }
  return { state, laps, applied };
}

/** `ks_red_bull_ring` → `Red Bull Ring` (the results-file parser's display rule). */
export function readableAcId(id: string): string {
  const words = id.replace(/^ks_/i, "").replace(/_+/g, " ").trim();
  return words.replace(/(^|[\s-])(\p{Ll})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** A track's display name with its layout, as the results-file parser writes it. */
export function acTrackName(track: string, layout: string): string {
  return readableAcId(track) + (layout ? ` (${readableAcId(layout.replace(/^layout_/i, ""))})` : "");
}

/**
 * Live laps as a parsed session (only the laps that may count for bests), so they go on the
 * leaderboards by the same rules as a results file's laps.
 */
export function liveLapsSession(session: LiveSession, laps: LiveLap[]): NormalizedSession {
  const cars: CarResult[] = [];
  const out: Lap[] = [];
  const index = new Map<string, number>();
  for (const l of laps) {
    if (!l.countsForBest) continue;
    const k = `${l.carId}\n${l.guid}`;
    let i = index.get(k);
    if (i === undefined) {
      index.set(k, i = cars.length);
      cars.push({
        position: cars.length + 1,
        carId: l.carId,
        car: { model: l.model, name: readableAcId(l.model), class: l.model },
        drivers: [{ id: l.guid, name: l.driver || l.guid }],
        bestLapMs: null,
        bestSplitsMs: null,
        totalTimeMs: null,
        lapCount: 0,
        penalties: [],
        disqualified: false,
      });
    }
    const car = cars[i]!;
    car.lapCount++;
    if (car.bestLapMs === null || l.lapMs < car.bestLapMs) car.bestLapMs = l.lapMs;
    out.push({ car: i, driver: 0, lapMs: l.lapMs, splitsMs: [], valid: true, countsForBest: true, cuts: 0 });
  }
  const track = acTrackId(session.track, session.layout);
  return {
    game: "ac",
    track,
    trackRaw: track,
    trackName: acTrackName(session.track, session.layout),
    kind: session.kind,
    sessionType: session.name,
    finishedAt: new Date(Math.max(0, ...laps.map((l) => l.atMs))),
    timeSource: "import-time",
    wet: false,
    cars,
    laps: out,
  };
}
