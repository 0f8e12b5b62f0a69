/**
 * The game-agnostic shape every result-file format is parsed into.
 * Format modules (acc.ts, ac.ts, ...) produce it; kv/ stores it; nothing downstream
 * knows which game file it came from except through `game`.
 */
import type { FileFormat } from "@/games/format.ts";

export type { FileContext } from "@/games/format.ts";

/** Games whose result files carry lap times. */
export type RacingGame = "acc" | "ac";

/** Session kinds that matter for records: Q1/Q2 are Q, R1/R2 are R, practice is FP. */
export type SessionKind = "FP" | "Q" | "R";

/** Where a session's start time came from, most to least trustworthy. */
export type TimeSource = "file-name" | "file-content" | "file-mtime" | "import-time";

/** A driver as the game identifies them. `id` is the game's own player id (ACC playerId, AC GUID). */
export interface DriverRef {
  id: string;
  name: string;
}

/** A car as shown to people. `class` comes from the game's car table (ACC) or the model id (AC). */
export interface CarInfo {
  model: string;
  name: string;
  class: string;
}

/** One penalty as the game wrote it. */
export interface Penalty {
  /** Index into the car's drivers, when known. */
  driverIndex?: number;
  reason: string;
  penalty: string;
  value: number;
  violationInLap?: number;
  clearedInLap?: number;
  /** True when it came from ACC's post_race_penalties. */
  postRace: boolean;
}

/** One classified car (or AC entry), in the order the game classified it. */
export interface CarResult {
  /** 1-based classification position, as given by the file. */
  position: number;
  /** The game's own id of the car within this session (ACC carId, AC CarId). */
  carId: number;
  raceNumber?: number;
  car: CarInfo;
  /** ACC cup category: 0 Pro, 1 Pro-Am, 2 Am, 3 Silver, 4 National. */
  cupCategory?: number;
  teamName?: string;
  /** Everyone who drove the car; laps point into this list. */
  drivers: DriverRef[];
  /** Best valid lap of the car, null when it has none. */
  bestLapMs: number | null;
  /** The car's best time in each sector, from any of its laps (ACC `timing.bestSplits`). */
  bestSplitsMs: number[] | null;
  /** The sectors of the best lap itself (ingest/best_lap.ts), when the file lists laps. */
  bestLapSplitsMs?: number[];
  /** Index into `drivers` of who drove the best lap, when the file lists laps. */
  bestLapDriver?: number;
  /** Total race time as the game computed it, null when unknown. */
  totalTimeMs: number | null;
  lapCount: number;
  penalties: Penalty[];
  /** Disqualified cars are classified but never set a record or a personal best. */
  disqualified: boolean;
  /** ACC's raw missingMandatoryPitstop integer (> 0 means missed). */
  missingMandatoryPitstop?: number;
  ballastKg?: number;
  restrictor?: number;
}

/** One completed lap, in the order it was driven. */
export interface Lap {
  /** Index into NormalizedSession.cars. */
  car: number;
  /** Index into that car's drivers: who drove this lap. */
  driver: number;
  lapMs: number;
  splitsMs: number[];
  /** The game's own validity: ACC isValidForBest, AC Cuts == 0. */
  valid: boolean;
  /**
   * Whether the lap may set a record or a personal best: valid, not driven by a disqualified
   * car, and not an ACC race lap 1 (it carries the formation lap).
   */
  countsForBest: boolean;
  /** Why the lap cannot have been driven (games/racing/laps.ts); such a lap is never valid. */
  implausible?: string;
  /** AC only: corner cuts in the lap. */
  cuts?: number;
  /** AC only: tyre short name. */
  tyre?: string;
}

/** A parsed result file, ready to store. */
export interface NormalizedSession {
  game: RacingGame;
  /** Track identity used for records (ACC: year suffix removed; AC: name@config). */
  track: string;
  /** The id exactly as the file wrote it (monza_2020, ks_red_bull_ring + layout_national). */
  trackRaw: string;
  /** A display name for the track. */
  trackName: string;
  kind: SessionKind;
  /** The session type as the game wrote it: FP, Q2, R1, QUALIFY, ... */
  sessionType: string;
  /** When the session finished (the server names the file then), UTC. */
  finishedAt: Date;
  timeSource: TimeSource;
  serverName?: string;
  wet: boolean;
  cars: CarResult[];
  laps: Lap[];
}

/** The verdict on one file before anything is stored. */
export type ParseOutcome =
  | { status: "parsed"; session: NormalizedSession }
  | { status: "skipped"; reason: string }
  | { status: "rejected"; reason: string };

/** A racing result-file format (games/acc, games/ac). */
export type ResultFormat<O extends { status: string } = ParseOutcome> = FileFormat<O>;
