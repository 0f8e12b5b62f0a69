/**
 * Time-attack leaderboards, computed from the stored laps every time (never kept as the only
 * copy), so a config change, a late file or a backfill is right at the next read.
 *
 * Which laps count (docs/time_attack.md): laps of sessions imported from the league's server
 * (`timeAttack.server`), of any session type; the session's time is its file name's time in that
 * server's zone. A lap belongs to the event `candidateEvents` / `eventForLap` pick (window, track
 * and layout, 30-minute grace after a switch, car on the list). Laps with cuts, untimed laps and
 * laps of disqualified cars never count. One entry per driver (GUID), with their newest name and
 * the car of their best lap; a tie on time goes to whoever set it first. Drivers an admin merged
 * into one person (kv/people/) are one entry: the person's best lap, under the person's name.
 */
import type { TaSeasonConfig, TimeAttackConfig } from "@/config.ts";
import type { DriverRef } from "@/games/racing/types.ts";
import type { DriverProfile } from "@/kv/racing/drivers.ts";
import { driverKey, trackSessionsPrefix, tracksPrefix } from "@/kv/racing/keys.ts";
import { getSession } from "@/kv/racing/sessions.ts";
import { personKey, personOfKey } from "@/kv/people/keys.ts";
import type { Person, PersonOf } from "@/kv/people/types.ts";
import { kvReader } from "@/kv/reader.ts";
import { acTrackId } from "@/games/ac/live.ts";
import { liveStateKey } from "@/kv/live/keys.ts";
import { listLiveLaps } from "@/kv/live/state.ts";
import { batchingReader } from "@/kv/ta/batch_reader.ts";
import {
  candidateEvents,
  eventForLap,
  GRACE_MS,
  seasonEvents,
  type TaEvent,
  trackIdOf,
} from "@/kv/ta/schedule.ts";

/** One driver's best lap in an event. */
export interface TaEntry {
  rank: number;
  driver: DriverRef;
  lapMs: number;
  car: string;
  /** When the session with the lap finished (from its file name). */
  setAtMs: number;
  sessionId: string;
}

/** An event and its leaderboard, fastest first. */
export interface EventBoard {
  event: TaEvent;
  entries: TaEntry[];
}

const NO_TIME = 999999999;
/** Sessions read side by side: their gets are batched ten keys per round trip. */
const READ_PARALLEL = 64;

interface Best {
  driverId: string;
  sessionName: string;
  lapMs: number;
  car: string;
  setAtMs: number;
  sessionId: string;
  seq: number;
}

function ahead(a: Best, b: Best): boolean {
  if (a.lapMs !== b.lapMs) return a.lapMs < b.lapMs;
  if (a.setAtMs !== b.setAtMs) return a.setAtMs < b.setAtMs;
  if (a.sessionId !== b.sessionId) return a.sessionId < b.sessionId;
  return a.seq < b.seq;
}

/** Stored AC track ids by their lower-case form (config names are matched without case). */
async function acTrackIds(kv: Deno.Kv): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const e of kv.list({ prefix: [...tracksPrefix(), "ac"] })) {
    const id = e.key[2] as string;
    const lower = id.toLowerCase();
    out.set(lower, [...out.get(lower) ?? [], id]);
  }
  return out;
}

/**
 * A stamp of the stored sessions the events can draw from: the versionstamps of their tracks'
 * summaries, which every import on a track rewrites. Equal stamps mean equal leaderboards (for
 * the same config); one range read over the AC tracks.
 */
export async function lapsStamp(kv: Deno.Kv, events: TaEvent[], liveServer?: string): Promise<string> {
  const wanted = new Set(events.map(trackIdOf));
  // The server's live state moves with every batch of live laps.
  const parts: string[] = liveServer ? [`live=${(await kv.get(liveStateKey(liveServer))).versionstamp}`] : [];
  for await (const e of kv.list({ prefix: [...tracksPrefix(), "ac"] })) {
    const id = e.key[2] as string;
    if (wanted.has(id.toLowerCase())) parts.push(`${id}=${e.versionstamp}`);
  }
  return parts.join(",");
}

/** Ids of the sessions on the events' tracks within their windows (plus the grace), oldest first. */
async function sessionIdsFor(kv: Deno.Kv, events: TaEvent[]): Promise<string[]> {
  const tracks = await acTrackIds(kv);
  const ids = new Set<string>();
  for (const e of events) {
    for (const track of tracks.get(trackIdOf(e)) ?? []) {
      const prefix = trackSessionsPrefix("ac", track);
      const end = e.endMs === null ? Number.MAX_SAFE_INTEGER : e.endMs + GRACE_MS + 1;
      for await (const s of kv.list({ start: [...prefix, e.startMs], end: [...prefix, end] })) {
        ids.add(s.key[4] as string);
      }
    }
  }
  return [...ids];
}

/**
 * The leaderboards of a season's events (all of them, or the keys in `only`), computed from the
 * stored laps. Events without laps have empty boards.
 */
export async function seasonBoards(
  kv: Deno.Kv,
  ta: TimeAttackConfig,
  season: TaSeasonConfig,
  opts: { only?: string[] } = {},
): Promise<EventBoard[]> {
  const events = seasonEvents(season);
  const targets = opts.only ? events.filter((e) => opts.only!.includes(e.key)) : events;
  const wanted = new Set(targets.map((e) => e.key));
  const best = new Map<string, Map<string, Best>>(targets.map((e) => [e.key, new Map()]));
  const ids = await sessionIdsFor(kv, targets);
  const reader = batchingReader(kv);
  for (let i = 0; i < ids.length; i += READ_PARALLEL) {
    const sessions = await Promise.all(
      ids.slice(i, i + READ_PARALLEL).map((id) => getSession(reader, id, { withLaps: true })),
    );
    for (const s of sessions) {
      if (!s || s.game !== "ac" || s.serverId !== ta.server) continue;
      const at = Date.parse(s.finishedAt);
      const cands = candidateEvents(events, s.track, at).filter((e) => wanted.has(e.key));
      if (cands.length === 0) continue;
      // The event of each car of the session (a car's laps all go to the same one).
      const eventOfCar = s.cars.map((car) => eventForLap(cands, car.car.model));
      s.laps!.forEach((lap, seq) => {
        if (!lap.countsForBest || (lap.cuts ?? 0) > 0 || lap.lapMs <= 0 || lap.lapMs >= NO_TIME) return;
        const car = s.cars[lap.car];
        const driver = car?.drivers[lap.driver];
        const event = eventOfCar[lap.car];
        if (!car || !driver || !event) return;
        const b: Best = {
          driverId: driver.id,
          sessionName: driver.name,
          lapMs: lap.lapMs,
          car: car.car.model,
          setAtMs: at,
          sessionId: s.id,
          seq,
        };
        const board = best.get(event.key)!;
        const old = board.get(driver.id);
        if (!old || ahead(b, old)) board.set(driver.id, b);
      });
    }
  }
  // Laps seen live and not yet in a stored session (kv/live/): on the board the moment they are driven.
  for (const l of await listLiveLaps(kvReader(kv), ta.server)) {
    const event = eventForLap(
      candidateEvents(events, acTrackId(l.track, l.layout), l.atMs).filter((e) => wanted.has(e.key)),
      l.model,
    );
    if (!event || !l.countsForBest) continue;
    const b: Best = {
      driverId: l.guid,
      sessionName: l.driver,
      lapMs: l.lapMs,
      car: l.model,
      setAtMs: l.atMs,
      sessionId: l.sessionId,
      seq: l.seq,
    };
    const board = best.get(event.key)!;
    const old = board.get(l.guid);
    if (!old || ahead(b, old)) board.set(l.guid, b);
  }
  // One entry per person: a person's drivers (kv/people/) share their best lap of the event.
  const who = await driverSubjects(kv, [...new Set([...best.values()].flatMap((m) => [...m.keys()]))]);
  return targets.map((event) => {
    const byPerson = new Map<string, Best>();
    for (const b of best.get(event.key)!.values()) {
      const id = who.get(b.driverId)?.id ?? b.driverId;
      const old = byPerson.get(id);
      if (!old || ahead(b, old)) byPerson.set(id, b);
    }
    const sorted = [...byPerson].sort(([, a], [, b]) => ahead(a, b) ? -1 : 1);
    return {
      event,
      entries: sorted.map(([id, b], i) => ({
        rank: i + 1,
        driver: { id, name: who.get(b.driverId)?.name ?? b.sessionName },
        lapMs: b.lapMs,
        car: b.car,
        setAtMs: b.setAtMs,
        sessionId: b.sessionId,
      })),
    };
  });
}

/**
 * Who each driver is on the boards, by driver id: the one place time attack decides a driver's
 * id and name (the seed's alias list). A driver an admin grouped with other drivers into a person
 * (kv/people/) is the person (the person's id, as on driver pages; best per person per event,
 * points once); a driver whose person has no other driver keeps their id under the person's name;
 * the others are themselves, under the newest name of their newest session anywhere.
 */
async function driverSubjects(
  kv: Deno.Kv,
  ids: string[],
): Promise<Map<string, { id: string; name?: string }>> {
  const r = kvReader(kv);
  const [profiles, links] = await Promise.all([
    r.getMany<DriverProfile>(ids.map(driverKey)),
    r.getMany<PersonOf>(ids.map((id) => personOfKey("driver", id))),
  ]);
  const personIds = [...new Set(links.flatMap((l) => l?.personId ? [l.personId] : []))];
  const persons = await r.getMany<Person>(personIds.map(personKey));
  const personById = new Map(personIds.map((id, i) => [id, persons[i]]));
  const out = new Map<string, { id: string; name?: string }>();
  ids.forEach((id, i) => {
    const person = links[i]?.personId ? personById.get(links[i]!.personId!) : undefined;
    const name = person?.name ?? profiles[i]?.name;
    const subject = person && person.drivers.length >= 2 ? person.id : id;
    out.set(id, { id: subject, ...(name ? { name } : {}) });
  });
  return out;
}

/** One event's leaderboard, or null when the season has no such event. */
export async function eventBoard(
  kv: Deno.Kv,
  ta: TimeAttackConfig,
  season: TaSeasonConfig,
  key: string,
): Promise<EventBoard | null> {
  if (!season.events.some((e) => e.key === key)) return null;
  return (await seasonBoards(kv, ta, season, { only: [key] }))[0]!;
}
