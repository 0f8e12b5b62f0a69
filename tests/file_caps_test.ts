/** Hard caps on what one result file may hold: a hostile file is refused at once, with a reason. */
import assert from "node:assert/strict";
import { accFormat } from "@/games/acc/parser.ts";
import { acFormat } from "@/games/ac/parser.ts";
import { FILE_CAPS } from "@/games/racing/parse_util.ts";

function accLine(i: number, drivers = 1) {
  return {
    car: {
      carId: i,
      raceNumber: i,
      carModel: 1,
      cupCategory: 0,
      carGroup: "GT3",
      teamName: "",
      drivers: Array.from({ length: drivers }, (_, d) => ({
        firstName: "A",
        lastName: `${i}-${d}`,
        shortName: "AAA",
        playerId: `S${i}${d}`,
      })),
    },
    currentDriver: { firstName: "A", lastName: `${i}`, shortName: "AAA", playerId: `S${i}` },
    currentDriverIndex: 0,
    timing: {
      lastLap: 0,
      lastSplits: [],
      bestLap: 0,
      bestSplits: [],
      totalTime: 0,
      lapCount: 0,
      lastSplitId: 0,
    },
    missingMandatoryPitstop: 0,
    driverTotalTimes: [0],
  };
}

function accText(cars: number, drivers = 1): string {
  return JSON.stringify({
    sessionType: "R",
    trackName: "monza",
    serverName: "s",
    sessionResult: { leaderBoardLines: Array.from({ length: cars }, (_, i) => accLine(i + 1, drivers)) },
    laps: [],
    penalties: [],
  });
}

Deno.test("accFormat.parse() refuses a file with 70,000 cars before validating it, naming the field and the cap", () => {
  const text = accText(70_000);
  const out = accFormat.parse(text, { name: "260105_201500_R.json" });
  assert.equal(out.status, "rejected");
  if (out.status === "rejected") {
    assert.equal(
      out.reason,
      `too many cars: "sessionResult.leaderBoardLines" has 70000, at most ${FILE_CAPS.cars} are read`,
    );
  }
});

Deno.test("accFormat.parse() refuses a car with more drivers than the cap, and reads a full grid", () => {
  const out = accFormat.parse(accText(3, FILE_CAPS.driversPerCar + 1), { name: "260105_201500_R.json" });
  assert.equal(out.status, "rejected");
  if (out.status === "rejected") {
    assert.match(out.reason, /"sessionResult\.leaderBoardLines\[0\]\.car\.drivers" has 17/);
  }
  assert.notEqual(accFormat.parse(accText(82, 4), { name: "260105_201500_R.json" }).status, "rejected");
});

Deno.test("acFormat.parse() refuses too many laps or cars before validating them", () => {
  const laps = JSON.stringify({
    TrackName: "monza",
    TrackConfig: "",
    Type: "RACE",
    Cars: [],
    Result: [],
    Laps: Array.from({ length: FILE_CAPS.laps + 1 }, () => ({})),
  });
  const out = acFormat.parse(laps, { name: "2026_1_5_20_15_RACE.json" });
  assert.equal(out.status, "rejected");
  if (out.status === "rejected") assert.match(out.reason, /^too many laps: "Laps" has 100001/);
  const cars = JSON.stringify({
    TrackName: "monza",
    Type: "RACE",
    Cars: new Array(FILE_CAPS.cars + 1).fill({}),
  });
  const out2 = acFormat.parse(cars, { name: "2026_1_5_20_15_RACE.json" });
  assert.equal(out2.status, "rejected");
  if (out2.status === "rejected") assert.match(out2.reason, /^too many cars: "Cars"/);
});
