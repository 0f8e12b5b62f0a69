import assert from "node:assert/strict";
import {
  AcDecodeError,
  decodePacket,
  encodeBroadcastChat,
  encodeGetSessionInfo,
  encodeKick,
} from "@/agent/ac_protocol.ts";
import { FakeAcServer } from "@/tests/fakes/ac_server.ts";

Deno.test("decodePacket() reads a hand-written lap completed with its leaderboard and grip", () => {
  // id 73, car 2, lap 91234 ms (0x00016462), 0 cuts, 2 cars; {2, 91234, 3 laps, 0}, {5, 95000, 2, 1}; grip 1.0
  const bytes = new Uint8Array([
    73,
    2,
    0x62,
    0x64,
    0x01,
    0x00,
    0,
    2,
    2,
    0x62,
    0x64,
    0x01,
    0x00,
    3,
    0,
    0,
    5,
    0x18,
    0x73,
    0x01,
    0x00,
    2,
    0,
    1,
    0x00,
    0x00,
    0x80,
    0x3f,
  ]);
  assert.deepEqual(decodePacket(bytes), {
    type: "lap",
    carId: 2,
    lapMs: 91234,
    cuts: 0,
    board: [
      { carId: 2, bestLapMs: 91234, laps: 3, completed: false },
      { carId: 5, bestLapMs: 95000, laps: 2, completed: true },
    ],
    grip: 1,
  });
});

Deno.test("decodePacket() reads UTF-32LE names and 1-byte strings of a new connection", () => {
  const w = (s: string) => [...s].flatMap((c) => [c.codePointAt(0)!, 0, 0, 0]);
  const bytes = new Uint8Array([
    51,
    3,
    ...w("Zoë"),
    3,
    ...w("765"),
    7,
    6,
    ..."bmw_m3".split("").map((c) => c.charCodeAt(0)),
    3,
    ..."red".split("").map((c) => c.charCodeAt(0)),
  ]);
  // "Zoë": ë is U+00EB, one 4-byte character.
  assert.deepEqual(decodePacket(bytes), {
    type: "connect",
    driver: "Zoë",
    guid: "765",
    carId: 7,
    model: "bmw_m3",
    skin: "red",
  });
});

Deno.test("decodePacket() reads a collision with the environment (no other car)", () => {
  const f = (n: number) => [...new Uint8Array(new Float32Array([n]).buffer)];
  const bytes = new Uint8Array([
    130,
    11,
    4,
    ...f(12.5),
    ...f(1),
    ...f(2),
    ...f(3),
    ...f(4),
    ...f(5),
    ...f(6),
  ]);
  assert.deepEqual(decodePacket(bytes), { type: "collision", carId: 4, otherCarId: null, speed: 12.5 });
});

Deno.test("decodePacket() refuses truncated, empty and unknown packets with a reason", () => {
  assert.throws(() => decodePacket(new Uint8Array([])), AcDecodeError);
  assert.throws(() => decodePacket(new Uint8Array([73, 2, 0x62, 0x64])), /truncated at byte 2: lap time/);
  // a string longer than the packet
  assert.throws(() => decodePacket(new Uint8Array([55, 10, 65, 0, 0, 0])), /results file name/);
  assert.throws(() => decodePacket(new Uint8Array([99, 1, 2])), /unknown message id 99/);
  assert.throws(() => decodePacket(new Uint8Array([130, 12, 1])), /unknown client event type 12/);
});

Deno.test("decodePacket() reads what the fake server writes for a session", async () => {
  const fake = await FakeAcServer.start();
  try {
    const s = decodePacket(fake.sessionPacket({
      track: "ks_vallelunga",
      layout: "club_circuit",
      name: "Qualify",
      type: 2,
      elapsedMs: 61_000,
    }, 59));
    assert.equal(s.type, "session");
    if (s.type !== "session") return;
    assert.equal(s.isNew, false);
    assert.equal(s.track, "ks_vallelunga");
    assert.equal(s.layout, "club_circuit");
    assert.equal(s.sessionType, 2);
    assert.equal(s.serverName, "Podium test server");
    assert.equal(s.weather, "3_clear");
    assert.equal(s.elapsedMs, 61_000);
  } finally {
    fake.close();
  }
});

Deno.test("encode*() write the plugin commands' layouts", () => {
  assert.deepEqual([...encodeGetSessionInfo()], [204, 0xff, 0xff]);
  assert.deepEqual([...encodeKick(9)], [206, 9]);
  assert.deepEqual([...encodeBroadcastChat("hé")], [203, 2, 0x68, 0, 0, 0, 0xe9, 0, 0, 0]);
});
