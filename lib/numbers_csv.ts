/** The numbers list as CSV (npm csv-stringify), for /export and the API's `?format=csv`. */
import { stringify } from "csv-stringify/sync";

/** One CSV row. */
export interface CsvNumber {
  number: string;
  driver: string | null;
  verified: boolean;
  claimedAt: string;
}

// A cell starting with = + - @ (or tab/CR) is a formula to spreadsheet programs: quote it out.
function safe(text: string | null): string {
  if (!text) return "";
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** CSV with a header row; numbers stay text ("07" is written as 07, never 7). */
export function numbersCsv(rows: CsvNumber[]): string {
  return stringify(
    rows.map((r) => [r.number, safe(r.driver), r.verified ? "yes" : "no", r.claimedAt]),
    { header: true, columns: ["number", "driver", "verified", "claimed_at"], quoted_match: /^\d+$/ },
  );
}
