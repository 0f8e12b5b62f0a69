import assert from "node:assert/strict";
import { etlFormat, parseEtlFileName } from "@/games/etl/parser.ts";
import { colorSpans, stripColors } from "@/games/etl/names.ts";
import { rawPlayerRound } from "@/games/etl/stats.ts";
import { prepareFile } from "@/ingest/pipeline.ts";
import { readSample, sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames, parseSample } from "@/tests/etl/_etl.ts";

sampleTest(
  "etlFormat reads every real sample: 96 rounds, the header-only file rejected with its reason",
  () => {
    const names = etlSampleNames();
    assert.equal(names.length, 97);
    let stored = 0;
    for (const name of names) {
      const p = prepareFile(readSample(`etl/${name}`), { name });
      if (p.outcome.status === "etl") {
        stored++;
        const r = p.outcome.round;
        assert.equal(r.warnings.length, 0, `${name}: ${r.warnings.join("; ")}`);
        assert.ok(r.players.length >= 1, name);
        assert.equal(r.header.map, r.map, name);
        assert.equal(r.header.round, r.round, name);
        for (const pl of r.players) {
          assert.match(pl.guid, /^[0-9A-F]{8}$/, name);
          assert.equal(pl.f.length, 38, name);
        }
      } else {
        assert.equal(name, "2024-09-12-174949-supply-round-2.txt");
        assert.equal(p.outcome.status, "rejected");
        assert.match(
          (p.outcome as { reason: string }).reason,
          /^ET:Legacy stats: header only, no player lines/,
        );
      }
    }
    assert.equal(stored, 96);
  },
);

sampleTest("parseEtlText() matches the doc's worked example (§3.2): bronze. in adlernest R1", () => {
  const r = parseSample("2025-10-20-213931-etl_adlernest-round-1.txt");
  assert.deepEqual(
    {
      server: r.header.server,
      config: r.header.config,
      defender: r.header.defender,
      winner: r.header.winner,
    },
    { server: "#purans.only", config: "legacy3", defender: 1, winner: 2 },
  );
  assert.equal(r.header.timeLimitS, 600);
  assert.equal(r.header.actualTimeS, 318);
  assert.equal(r.header.fieldCount, 8);
  const p = r.players.find((x) => x.guid === "2B5938F5")!;
  assert.equal(p.nameRaw, "^ybronze^h.");
  assert.equal(p.name, "bronze.");
  assert.deepEqual(p.weapons.map((w) => w[0]), [2, 4, 5, 11, 16]);
  const s = rawPlayerRound(p, r.header);
  assert.deepEqual(
    [s.kills, s.deaths, s.headshots, s.damageGiven, s.timePlayedS],
    [9, 5, 10, 2013, 318],
  );
  const hits = p.weapons.reduce((n, w) => n + w[1], 0), shots = p.weapons.reduce((n, w) => n + w[2], 0);
  assert.deepEqual([hits, shots], [103, 258]);
  assert.equal(s.xp, 57);
  assert.equal(s.deniedS, 75);
});

sampleTest("special case: old Lua builds (33/36/37 TAB fields) read with the missing fields as 0", () => {
  const cases: [string, number][] = [
    ["2024-04-16-220731-te_escape2-round-1.txt", 33],
    ["2025-01-06-221847-supply-round-2.txt", 36],
    ["2025-09-23-215543-etl_sp_delivery-round-2.txt", 37],
    ["2025-10-20-213931-etl_adlernest-round-1.txt", 38],
  ];
  for (const [name, n] of cases) {
    const r = parseSample(name);
    assert.equal(r.tabFields, n, name);
    for (const p of r.players) for (let i = n; i < 38; i++) assert.equal(p.f[i], 0, `${name} f${i}`);
  }
});

sampleTest("special case: a 1-player warm-up (defaultpublic, all damage 0) is stored", () => {
  const r = parseSample("2024-09-11-212540-supply-round-1.txt");
  assert.equal(r.players.length, 1);
  assert.equal(r.header.config, "defaultpublic");
  assert.equal(r.players[0]!.f[0], 0);
  assert.equal(r.players[0]!.name, ".wjs:)");
});

sampleTest("special case: R2 nextTimeLimit 0:00 reads as 0 (unknown), never a crash", () => {
  for (
    const name of [
      "2025-01-06-221847-supply-round-2.txt",
      "2025-01-10-221224-etl_adlernest-round-2.txt",
      "2025-05-05-214759-etl_adlernest-round-2.txt",
    ]
  ) assert.equal(parseSample(name).header.actualTimeS, 0, name);
});

sampleTest("special case: a bogus cumulative actual time (12:00\\71:05) is read as written", () => {
  const r = parseSample("2025-10-26-200001-etl_sp_delivery-round-2.txt");
  assert.equal(r.header.timeLimitS, 720);
  assert.equal(r.header.actualTimeS, 71 * 60 + 5);
});

sampleTest(
  "special case: colour codes Slomix does not strip (^/, ^?) are stripped (Podium differs on purpose)",
  () => {
    const r = parseSample("2025-10-26-191725-supply-round-1.txt");
    const raw = r.players.map((p) => p.nameRaw).find((n) => n.includes("^/"));
    assert.ok(raw, "a name with ^/");
    const plain = stripColors(raw!);
    assert.ok(!plain.includes("^"), plain);
    // Slomix's regex \^[0-9a-zA-Z] would leave "^/fnx NO MERCY"; Podium applies ET's own rule.
    assert.equal(stripColors("^/fnx^d NO MERCY"), "fnx NO MERCY");
    assert.equal(raw!.replace(/\^[0-9a-zA-Z]/g, "").includes("^/"), true);
  },
);

sampleTest("special case: names with spaces and punctuation survive", () => {
  const names = new Set<string>();
  for (const n of etlSampleNames()) {
    if (n === "2024-09-12-174949-supply-round-2.txt") continue;
    for (const p of parseSample(n).players) names.add(p.name);
  }
  for (const want of ["i p k i s s", "edo?", ".wjs:)"]) assert.ok(names.has(want), want);
});

Deno.test("stripColors() follows ET: ^ then any character but ^ is a code", () => {
  assert.equal(stripColors("^1H^2e^3l^4lo"), "Hello");
  assert.equal(stripColors("^aMixed^Bcase"), "Mixedcase");
  assert.equal(stripColors("a^^b"), "a^"); // "^^" keeps one ^, and "^b" is a code
  assert.equal(stripColors("end^"), "end^");
  assert.deepEqual(colorSpans("^1red^7white"), [
    { text: "red", color: "#ff0000", index: 1 },
    { text: "white", color: "#ffffff", index: 7 },
  ]);
  assert.deepEqual(colorSpans("plain"), [{ text: "plain", color: "#ffffff", index: 7 }]);
  assert.equal(colorSpans("^aorange")[0]!.index, 17); // letters wrap like ET: ('a' - '0') & 31
});

Deno.test("parseEtlFileName() reads maps with dashes and rejects impossible times", () => {
  assert.deepEqual(parseEtlFileName("2025-10-20-000043-etl_adlernest-round-2.txt")?.map, "etl_adlernest");
  assert.equal(parseEtlFileName("2025-10-20-000043-my-map-round-1.txt")?.map, "my-map");
  assert.equal(parseEtlFileName("2025-13-20-000043-x-round-1.txt"), null);
  assert.equal(parseEtlFileName("2025-10-20-000043-x-round-1_ws.txt"), null);
});

const HEADER = "srv\\supply\\legacy3\\1\\1\\2\\12:00\\7:42\n";
const LINE = "AAAAAAAA\\^1Bob\\0\\1\\16 1 2 1 0 0 \t" + Array.from({ length: 38 }, () => "1").join("\t") +
  "\n";

Deno.test("etlFormat: a truncated line inside the file is dropped with a warning; a truncated last line rejects the file", () => {
  const cut = LINE.replace("AAAAAAAA", "BBBBBBBB").slice(0, 60) + "\n";
  const name = "2025-10-17-203425-supply-round-1.txt";
  const out = etlFormat.parse(HEADER + LINE + cut + LINE.replace("AAAAAAAA", "CCCCCCCC"), { name });
  assert.equal(out.status, "etl");
  if (out.status !== "etl") return;
  assert.equal(out.round.players.length, 2);
  assert.equal(out.round.warnings.length, 1);
  assert.match(out.round.warnings[0]!, /^line 3 dropped: .*cut short/);
  const last = etlFormat.parse(HEADER + LINE + cut, { name });
  assert.equal(last.status, "rejected");
  if (last.status === "rejected") assert.match(last.reason, /last player line \(line 3\) is cut short/);
});

Deno.test("etlFormat: damaged files are rejected with one line", () => {
  const name = "2025-10-17-203425-supply-round-1.txt";
  const reason = (text: string, n = name) => {
    const o = etlFormat.parse(text, { name: n });
    return o.status === "rejected" ? o.reason : o.status;
  };
  assert.match(reason(HEADER), /header only/);
  assert.match(reason("a\\b\\c\n" + LINE), /header has 3 fields/);
  assert.match(reason(HEADER + LINE.slice(0, 30)), /last player line \(line 2\) is cut short/);
  assert.match(reason(HEADER + LINE, "stats.txt"), /is not named/);
  assert.match(reason(HEADER.replace("supply", "other") + LINE), /map "other" in the header/);
  const wrongMask = LINE.replace("\\16 1 2 1 0 0", "\\48 1 2 1 0 0");
  assert.match(reason(HEADER + wrongMask), /weapon block shorter/);
});

Deno.test("etlFormat: a 9-field header carries the Lua's play time in ms", () => {
  const out = etlFormat.parse(HEADER.replace("7:42\n", "7:42\\462000\n") + LINE, {
    name: "2025-10-17-203425-supply-round-1.txt",
  });
  assert.equal(out.status, "etl");
  if (out.status === "etl") assert.equal(out.round.header.playtimeMs, 462000);
});

Deno.test("prepareFile(): a gamestats file with a non-UTF-8 byte in a name is read byte for byte, not rejected", () => {
  const head = new TextEncoder().encode(HEADER + "AAAAAAAA\\^1Jos");
  const tail = new TextEncoder().encode(LINE.slice(LINE.indexOf("\\", 9)));
  const bytes = new Uint8Array([...head, 0xe9, ...tail]); // "José" in Windows-1252
  const p = prepareFile(bytes, { name: "2025-10-17-203425-supply-round-1.txt" });
  assert.equal(p.outcome.status, "etl");
  if (p.outcome.status === "etl") assert.equal(p.outcome.round.players[0]!.name, "José");
  const json = prepareFile(new Uint8Array([0x7b, 0xe9, 0x7d]), { name: "x.json" });
  assert.equal(json.outcome.status, "rejected");
});
