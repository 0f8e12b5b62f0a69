import assert from "node:assert/strict";
import { localToInstant, parseAccFileName, parseAcFileName } from "@/ingest/file_time.ts";

Deno.test("parseAccFileName() reads date and numbered session types", () => {
  assert.deepEqual(parseAccFileName("230602_205740_Q2.json"), {
    local: { year: 2023, month: 6, day: 2, hour: 20, minute: 57, second: 40 },
    type: "Q2",
  });
  assert.equal(parseAccFileName("221008_224809_r.JSON")?.type, "R");
  assert.equal(parseAccFileName("Session_R.json"), null);
  assert.equal(parseAccFileName("221308_224809_R.json"), null, "month 13");
});

Deno.test("parseAcFileName() reads names without zero padding", () => {
  assert.deepEqual(parseAcFileName("2019_2_15_21_8_QUALIFY.json"), {
    local: { year: 2019, month: 2, day: 15, hour: 21, minute: 8, second: 0 },
    type: "QUALIFY",
  });
  assert.equal(parseAcFileName("tyre.info.json"), null);
});

Deno.test("localToInstant() applies the server's zone, DST included", () => {
  const t = { year: 2026, month: 7, day: 1, hour: 20, minute: 0, second: 0 };
  assert.equal(localToInstant(t).toISOString(), "2026-07-01T20:00:00.000Z");
  assert.equal(localToInstant(t, "Europe/Berlin").toISOString(), "2026-07-01T18:00:00.000Z");
  assert.equal(localToInstant({ ...t, month: 1 }, "Europe/Berlin").toISOString(), "2026-01-01T19:00:00.000Z");
  assert.equal(localToInstant(t, "America/Chicago").toISOString(), "2026-07-02T01:00:00.000Z");
});

Deno.test("localToInstant() takes the earlier instant in a repeated hour and skips a missing one", () => {
  const repeated = { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 };
  assert.equal(localToInstant(repeated, "Europe/Berlin").toISOString(), "2026-10-25T00:30:00.000Z");
  const missing = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 };
  assert.equal(localToInstant(missing, "Europe/Berlin").toISOString(), "2026-03-29T01:30:00.000Z");
});
