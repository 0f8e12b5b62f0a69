import assert from "node:assert/strict";
import { refreshLiveBoard, rotateTimeAttack } from "@/crons/ta_rotation.ts";
import { taOutputOf } from "@/discord/ta/announce.ts";
import { getRotation } from "@/kv/ta/rotation.ts";
import { CHANNELS, taDiscordEnv, textOf } from "@/tests/ta/_discord_env.ts";
import { acFile, configOf, importFiles, SEASON_1, taConfig, taConfigFile } from "@/tests/ta/_ta.ts";

const t = (iso: string) => new Date(iso);
// event2 (Suzuka) runs 2019-03-01T06:00Z to 2019-03-08T06:00Z; event3 (Vallelunga layout_3) follows.
const EVENT2_START = "2019-03-01T06:00:00Z";

function suzuka(at: string, guid: string, ms: number) {
  return acFile({ at, track: "suzuka", layout: "suzukagp", laps: [{ guid, car: "ks_mclaren_650_gt3", ms }] });
}

Deno.test("rotateTimeAttack() announces a change once, when fired twice at once", async () => {
  const env = await taDiscordEnv();
  try {
    const [a, b] = await Promise.all([
      rotateTimeAttack(env.ta, t("2019-03-01T06:00:30Z")),
      rotateTimeAttack(env.ta, t("2019-03-01T06:00:30Z")),
    ]);
    assert.deepEqual([a.status, b.status].sort(), ["busy", "done"]);
    assert.equal((await rotateTimeAttack(env.ta, t("2019-03-01T06:01:00Z"))).changed, false);
    await env.settle();
    const events = env.in("events");
    assert.equal(events.length, 1);
    const text = textOf(events[0]);
    assert.match(text, /Season 1: event2 is on/);
    assert.match(text, /Track: Suzuka \(Suzukagp\)/);
    assert.match(text, /Cars: McLaren 650S GT3, Mercedes-AMG GT3/);
    assert.match(text, /Ends <t:1552024800:F>/);
    assert.deepEqual(events[0]!.body.allowed_mentions, { parse: [] });
    assert.equal(env.in("leaderboard").length, 1, "the live leaderboard started once");
    assert.equal(env.in("schedule").length, 1, "the schedule posted once");
    assert.equal(env.in("standings").length, 1);
    assert.equal((await getRotation(env.kv)).value!.event, "event2");
  } finally {
    await env.close();
  }
});

Deno.test("rotateTimeAttack() is safe on two instances: one commit wins", async () => {
  const env = await taDiscordEnv();
  try {
    const other = { ...env.ta, taOutput: taOutputOf(env.deps) };
    await Promise.all([
      rotateTimeAttack(env.ta, t(EVENT2_START)),
      rotateTimeAttack(other, t(EVENT2_START)),
      rotateTimeAttack(env.ta, t(EVENT2_START)),
    ]);
    await rotateTimeAttack(other, t("2019-03-01T06:01:00Z"));
    await env.settle();
    assert.equal(env.in("events").length, 1);
    assert.equal(env.everIn("leaderboard").length, 1);
  } finally {
    await env.close();
  }
});

Deno.test("rotateTimeAttack() posts the final result after the grace, with the restart's last file", async () => {
  const env = await taDiscordEnv();
  try {
    await importFiles(env.kv, env.config, [suzuka("2019-03-07T20:00", "1", 126000)]);
    await rotateTimeAttack(env.ta, t("2019-03-07T12:00:00Z"));
    // The switch to event3 at 06:00Z; the restart writes event2's last file at 06:10Z (07:10 Berlin).
    await rotateTimeAttack(env.ta, t("2019-03-08T06:00:00Z"));
    await importFiles(env.kv, env.config, [suzuka("2019-03-08T07:10", "2", 125000)]);
    await rotateTimeAttack(env.ta, t("2019-03-08T06:29:00Z"));
    await env.settle();
    assert.equal(env.in("events").length, 2, "two changes, no result yet");
    assert.equal((await rotateTimeAttack(env.ta, t("2019-03-08T06:30:00Z"))).finals, 1);
    await env.settle();
    const events = env.in("events");
    assert.equal(events.length, 3);
    const final = textOf(events[2]);
    assert.match(final, /event2 final result/);
    assert.match(
      final,
      /\*\*1\.\*\* Driver 2: `2:05\.000` · .*\n\*\*2\.\*\* Driver 1: `2:06\.000` \(\+1\.000\)/,
    );
    assert.equal((await rotateTimeAttack(env.ta, t("2019-03-08T06:31:00Z"))).finals, 0, "posted once");
  } finally {
    await env.close();
  }
});

Deno.test("rotateTimeAttack() run late does what is due at its time", async () => {
  const env = await taDiscordEnv();
  try {
    await rotateTimeAttack(env.ta, t("2019-03-07T12:00:00Z"));
    // Down for three days: back during event3.
    const r = await rotateTimeAttack(env.ta, t("2019-03-11T09:00:00Z"));
    assert.equal(r.changed, true);
    assert.equal(r.finals, 1);
    await env.settle();
    const titles = env.in("events").map((m) => textOf(m).split("\n")[0]);
    assert.deepEqual(titles, [
      "Season 1: event2 is on",
      "Season 1: event3 is on",
      "Season 1: event2 final result",
    ]);
  } finally {
    await env.close();
  }
});

Deno.test("rotateTimeAttack() switches at 03:30 CDT for an event set at 02:30 on a spring-forward night", async () => {
  const env = await taDiscordEnv([{
    season: 5,
    timeZone: "America/Chicago",
    events: [
      { key: "before", start: "2026-03-01T00:00", track: "monza", cars: ["car"] },
      { key: "spring", start: "2026-03-08T02:30", track: "imola", cars: ["car"] },
    ],
  }]);
  try {
    await rotateTimeAttack(env.ta, t("2026-03-08T07:59:00Z")); // 01:59 CST
    await rotateTimeAttack(env.ta, t("2026-03-08T08:29:00Z")); // 03:29 CDT: 02:30 never came
    assert.equal((await getRotation(env.kv)).value!.event, "before");
    await rotateTimeAttack(env.ta, t("2026-03-08T08:30:00Z")); // 03:30 CDT
    assert.equal((await getRotation(env.kv)).value!.event, "spring");
    await env.settle();
    assert.equal(env.in("events").length, 2);
    // The schedule shows the start as a timestamp of the real instant, 08:30Z.
    assert.match(textOf(env.in("schedule")[0]), /\*\*Week 2\*\* · spring: 🇮🇹 Imola\nCar · <t:1772958600:F>/);
  } finally {
    await env.close();
  }
});

Deno.test("refreshLiveBoard() edits at once after a quiet spell, then once for the rest of a 50-lap burst; a deleted message is posted anew", async () => {
  const env = await taDiscordEnv();
  try {
    await rotateTimeAttack(env.ta, t("2019-03-02T10:00:00Z"));
    assert.equal(env.in("leaderboard").length, 1);
    const first = env.in("leaderboard")[0]!;
    const start = Date.parse("2019-03-02T10:05:00Z");
    const states = [];
    for (let i = 0; i < 50; i++) {
      await importFiles(env.kv, env.config, [suzuka("2019-03-02T11:00", `${100 + i}`, 130000 - i)]);
      states.push((await refreshLiveBoard(env.ta, new Date(start + i * 20))).status);
    }
    // The first lap after a quiet spell shows at once (live timing); the rest wait out the 5 s.
    assert.equal(states[0], "sent");
    assert.ok(states.slice(1).every((s) => s === "waiting"), states.join());
    assert.equal(first.edits, 1, "one edit during the burst");
    assert.equal((await refreshLiveBoard(env.ta, new Date(start + 4_999))).status, "waiting");
    assert.equal((await refreshLiveBoard(env.ta, new Date(start + 5_000))).status, "sent");
    assert.equal((await refreshLiveBoard(env.ta, new Date(start + 9_000))).status, "same");
    assert.equal(first.edits, 2, "one more edit for the rest of the burst");
    assert.equal(env.everIn("leaderboard").length, 1);
    const text = textOf(first);
    assert.match(text, /\*\*1\.\*\* Driver 149: `2:09\.951`/);
    assert.match(text, /Ends <t:1552024800:R>/, "time left as a Discord relative timestamp");
    assert.match(text, /\.\.\. and 25 more/);
    // A file on another track changes nothing: no wait, no edit.
    await importFiles(env.kv, env.config, [
      acFile({
        at: "2019-03-02T11:00",
        track: "monza",
        laps: [{ guid: "5", car: "ks_mclaren_650_gt3", ms: 90_000 }],
      }),
    ]);
    assert.equal((await refreshLiveBoard(env.ta, new Date(start + 9_100))).status, "same");
    // A moderator deletes the message; the next improvement posts it anew.
    env.discord.deleteMessage(first.id);
    await importFiles(env.kv, env.config, [suzuka("2019-03-02T11:00", "999", 100000)]);
    assert.equal((await refreshLiveBoard(env.ta, new Date(start + 9_500))).status, "waiting");
    assert.equal((await refreshLiveBoard(env.ta, new Date(start + 14_500))).status, "sent");
    const live = env.in("leaderboard");
    assert.equal(live.length, 1);
    assert.notEqual(live[0]!.id, first.id);
    assert.match(textOf(live[0]), /\*\*1\.\*\* Driver 999: `1:40\.000`/);
    assert.deepEqual(live[0]!.body.allowed_mentions, { parse: [] });
  } finally {
    await env.close();
  }
});

Deno.test("rotateTimeAttack() edits the schedule on a config change and the standings after new laps", async () => {
  const env = await taDiscordEnv();
  try {
    await rotateTimeAttack(env.ta, t("2019-03-02T10:00:00Z"));
    await rotateTimeAttack(env.ta, t("2019-03-02T10:01:00Z"));
    const schedule = env.in("schedule")[0]!, standings = env.in("standings")[0]!;
    assert.match(textOf(standings), /No points yet/);
    await importFiles(env.kv, env.config, [suzuka("2019-03-02T11:00", "7", 125000)]);
    await rotateTimeAttack(env.ta, t("2019-03-02T10:02:00Z"));
    assert.equal(schedule.edits, 0, "same config: the schedule stays");
    assert.equal(standings.edits, 1);
    assert.match(textOf(standings), /\*\*1\.\*\* Driver 7: \*\*101\.00\*\*/);
    // A car added to event2 in the config: the schedule is edited once.
    const changed = structuredClone(SEASON_1);
    changed.events[2]!.cars.push("ks_nissan_gtr_gt3");
    const ta2 = { ...env.ta, config: configOf(taConfigFile([changed], { channels: CHANNELS })) };
    await rotateTimeAttack(ta2, t("2019-03-02T10:03:00Z"));
    await rotateTimeAttack(ta2, t("2019-03-02T10:04:00Z"));
    assert.equal(schedule.edits, 1);
    assert.equal(env.everIn("schedule").length, 1);
    assert.match(
      textOf(schedule),
      /▶ \*\*Week 2\*\*.*\nMcLaren 650S GT3, Mercedes-AMG GT3, Nissan GT-R GT3 · /,
    );
  } finally {
    await env.close();
  }
});

Deno.test("rotateTimeAttack() without Discord still advances the state", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = taConfig(undefined, { channels: CHANNELS });
  const r = await rotateTimeAttack({ kv, config, taOutput: null }, t(EVENT2_START));
  assert.equal(r.changed, true);
  assert.equal((await getRotation(kv)).value!.event, "event2");
  assert.equal(await Array.fromAsync(kv.list({ prefix: ["outbox"] })).then((x) => x.length), 0);
});
