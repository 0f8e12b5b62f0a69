/** The numbers list as CSV (npm csv-stringify), for /export and the API's `?format=csv`. */
import { stringify } from "csv-stringify/sync";
import { cleanText } from "@/lib/text.ts";

/** One CSV row. */
export interface CsvNumber {
  number: string;
  driver: string | null;
  verified: boolean;
  claimedAt: string;
}

// A cell starting with = + - @ is a formula to spreadsheet programs, and so is one after leading
// whitespace or control characters (a line feed, a space): quote it out. Names are cleaned first
// (lib/text.ts: no bidirectional controls, no NUL).
function safe(text: string | null): string {
  if (!text) return "";
  const clean = cleanText(text);
  return /^[\s=+\-@]/.test(clean) ? `'${clean}` : clean;
}

/** CSV with a header row; numbers stay text ("07" is written as 07, never 7). */
export function numbersCsv(rows: CsvNumber[]): string {
  return stringify(
    rows.map((r) => [r.number, safe(r.driver), r.verified ? "yes" : "no", r.claimedAt]),
    { header: true, columns: ["number", "driver", "verified", "claimed_at"], quoted_match: /^\d+$/ },
  );
}
