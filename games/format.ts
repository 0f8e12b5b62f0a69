/**
 * The contract between the ingest pipeline and every game's file format (racing and ET:Legacy
 * alike): what the caller knows about a file, and a format's two functions. Each game defines its
 * own outcomes; ingest/formats.ts joins them. Kept apart from games/racing/ so that no game's
 * folder imports another's to be a format.
 */
import type { LapLimits } from "@/games/racing/laps.ts";

/** What the caller knows about a file besides its bytes. */
export interface FileContext {
  /** The file's base name; the session time and type are read from it. */
  name: string;
  /** The game server it came from (config `servers[].id`), for its time zone. */
  serverId?: string;
  /** IANA time zone of the server that wrote the file (default UTC). */
  timeZone?: string;
  /** File modification time, used only when neither the name nor the content has a date. */
  modifiedAt?: Date;
  /** The plausible lap range (config `laps`); games/racing/laps.ts's default when absent. */
  lapLimits?: LapLimits;
}

/** A result-file format: one module per game; `O` is what its `parse` answers. */
export interface FileFormat<O extends { status: string }> {
  id: string;
  /** Cheap check on the decoded text: is this file mine? */
  detect(text: string, file: FileContext): boolean;
  /** Parse decoded text. Never throws: a bad file is a `rejected` outcome. */
  parse(text: string, file: FileContext): O;
}
