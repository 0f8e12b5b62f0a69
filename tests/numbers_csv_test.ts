import assert from "node:assert/strict";
import { numbersCsv } from "@/lib/numbers_csv.ts";

Deno.test("numbersCsv() neutralises formulas, also after a leading line feed or space, and cleans names", () => {
  const rows = ["=1+1", "\n=HYPERLINK()", " @SUM(A1)", " padded", "\u202Eevil\u0000", "Ann"].map((
    driver,
    i,
  ) => ({
    number: String(i + 10),
    driver,
    verified: true,
    claimedAt: "2026-01-01",
  }));
  const cells = numbersCsv(rows).trim().split("\n").slice(1).map((l) => l.split(",")[1]);
  assert.deepEqual(cells, ["'=1+1", "' =HYPERLINK()", "' @SUM(A1)", "' padded", "evil", "Ann"]);
});
