import assert from "node:assert/strict";
import { isValidTimeZone, localToInstant, parseAccFileName, parseAcFileName } from "@/lib/file_time.ts";

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

Deno.test("localToInstant() resolves a fall-back overlap to the earlier instant in America/Chicago", () => {
  // 01:30 happens twice on 2026-11-01: first in CDT (-05:00), then in CST (-06:00).
  const repeated = { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 };
  assert.equal(localToInstant(repeated, "America/Chicago").toISOString(), "2026-11-01T06:30:00.000Z");
  // Just outside the overlap, both sides are unambiguous.
  assert.equal(
    localToInstant({ ...repeated, hour: 0, minute: 59 }, "America/Chicago").toISOString(),
    "2026-11-01T05:59:00.000Z",
  );
  assert.equal(
    localToInstant({ ...repeated, hour: 2, minute: 0 }, "America/Chicago").toISOString(),
    "2026-11-01T08:00:00.000Z",
  );
});

Deno.test("localToInstant() moves a spring-forward gap time forward by the gap", () => {
  // 02:00-02:59 does not exist on 2026-03-08 in Chicago: 02:30 becomes 03:30 CDT.
  const skipped = { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 };
  assert.equal(localToInstant(skipped, "America/Chicago").toISOString(), "2026-03-08T08:30:00.000Z");
  assert.equal(
    localToInstant({ ...skipped, hour: 3, minute: 30 }, "America/Chicago").toISOString(),
    "2026-03-08T08:30:00.000Z",
    "the skipped 02:30 and the real 03:30 are the same instant",
  );
  assert.equal(
    localToInstant({ ...skipped, hour: 1, minute: 59, second: 59 }, "America/Chicago").toISOString(),
    "2026-03-08T07:59:59.000Z",
  );
  // Southern hemisphere, with a half-hour gap: Lord Howe Island skips 02:00-02:29 on 2026-10-04.
  assert.equal(
    localToInstant({ year: 2026, month: 10, day: 4, hour: 2, minute: 15, second: 0 }, "Australia/Lord_Howe")
      .toISOString(),
    "2026-10-03T15:45:00.000Z",
  );
});

Deno.test("localToInstant() rejects an impossible date instead of rolling it over", () => {
  assert.throws(
    () => localToInstant({ year: 2026, month: 2, day: 30, hour: 0, minute: 0, second: 0 }),
    RangeError,
  );
});

Deno.test("isValidTimeZone() knows IANA zones and refuses others", () => {
  assert.equal(isValidTimeZone("America/Chicago"), true);
  assert.equal(isValidTimeZone("UTC"), true);
  assert.equal(isValidTimeZone("Mars/Olympus_Mons"), false);
  assert.equal(isValidTimeZone(""), false);
});

Deno.test("parseAcFileName() refuses a date that does not exist", () => {
  assert.equal(parseAcFileName("2026_2_30_10_0_PRACTICE.json"), null);
  assert.equal(parseAccFileName("260230_100000_FP.json"), null);
  assert.notEqual(parseAcFileName("2024_2_29_10_0_PRACTICE.json"), null, "a leap day");
});
