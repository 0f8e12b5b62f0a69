/** The generated ET:Legacy month (fixtures/etl_month.ts) imported, and what its tests look up in it. */
import { Importer } from "@/ingest/importer.ts";
import { etlMonth, type MonthFile, type MonthSession } from "@/fixtures/etl_month.ts";

/** The month every twin of the sample tests reads. */
export const MONTH = etlMonth();

/** A round's id from its file name (`<stamp>-<map>-r<N>`). */
export function roundIdOf(f: MonthFile): string {
  return f.name.replace(/-round-(\d)\.txt$/, "-r$1");
}

/** The session a file's round belongs to. */
export function sessionOf(f: MonthFile): MonthSession {
  return MONTH.sessions.findLast((s) => s.id <= f.name.slice(0, 17))!;
}

/** The session with the most rounds among those alone on their day (a date names it). */
export function biggestSession(): MonthSession {
  const day = (s: MonthSession) => s.id.slice(0, 10);
  return MONTH.sessions.filter((s) => MONTH.sessions.filter((x) => day(x) === day(s)).length === 1)
    .reduce((a, b) => (b.rounds > a.rounds ? b : a));
}

/** The first paired R2 of the month, on the newest Lua (38 fields). */
export function pairedR2(): MonthFile {
  return MONTH.files.find((f) => f.score && f.tabFields === 38)!;
}

/** Imports the month through the real importer, in time order. */
export async function importMonth(kv: Deno.Kv): Promise<void> {
  const te = new TextEncoder();
  const imp = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
  for (const f of MONTH.files) await imp.importOne({ name: f.name, bytes: te.encode(f.text) });
}
