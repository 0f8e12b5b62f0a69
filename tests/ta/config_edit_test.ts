import assert from "node:assert/strict";
import { rotateTimeAttack } from "@/crons/ta_rotation.ts";
import { applyConfigEdit, watchConfigFile } from "@/crons/ta_config.ts";
import { waitFor } from "@/tests/discord/_delivery_env.ts";
import { CHANNELS, taDiscordEnv, textOf } from "@/tests/ta/_discord_env.ts";
import { SEASON_1, taConfigFile } from "@/tests/ta/_ta.ts";

const NOW = new Date("2019-03-02T10:00:00Z"); // during event2 (Suzuka)

function edited(mutate: (s: typeof SEASON_1) => void, extra: Record<string, unknown> = {}): string {
  const season = structuredClone(SEASON_1);
  mutate(season);
  return JSON.stringify(taConfigFile([season], { channels: CHANNELS, ...extra }), null, 2);
}

Deno.test("watchConfigFile() applies a season edit once and refuses a bad one with its reason", async () => {
  const env = await taDiscordEnv();
  const dir = await Deno.makeTempDir({ prefix: "podium-ta-config-" });
  const path = `${dir}/podium.json`;
  await Deno.writeTextFile(path, edited(() => {}));
  const log: string[] = [];
  const watch = watchConfigFile(env.ta, path, { quietMs: 100, log: (l) => log.push(l), now: () => NOW });
  try {
    await rotateTimeAttack(env.ta, NOW);
    const schedule = env.in("schedule")[0]!;
    assert.doesNotMatch(textOf(schedule), /Nissan/);
    // An editor's save: truncate, then write in two parts.
    const next = edited((s) => s.events[2]!.cars.push("ks_nissan_gtr_gt3"));
    await Deno.writeTextFile(path, "");
    await Deno.writeTextFile(path, next.slice(0, 100));
    await Deno.writeTextFile(path, next);
    await waitFor(() => log.length > 0, 5000, "the edit applied");
    assert.deepEqual(log, [`Config edit applied: time attack and names from "${path}"`]);
    assert.equal(schedule.edits, 1);
    assert.match(
      textOf(schedule),
      /▶ \*\*Week 2\*\*: Suzuka \(Suzukagp\)\nMcLaren 650S GT3, Mercedes-AMG GT3, Nissan GT-R GT3/,
    );
    assert.equal(env.in("schedule").length, 1, "edited in place, not posted again");
    // The same content saved again: nothing to do.
    await Deno.writeTextFile(path, next);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(log.length, 1);
    // Events out of order: refused, the running season stays.
    await Deno.writeTextFile(path, edited((s) => s.events[3]!.start = "2019-01-01T00:00"));
    await waitFor(() => log.length === 2, 5000, "the bad edit refused");
    assert.match(
      log[1]!,
      /^Config edit refused \(the running season stays\): Invalid config ".*podium\.json": .*list events in start order/,
    );
    assert.equal(schedule.edits, 1);
    assert.ok(env.ta.config.timeAttack!.seasons[0]!.events[2]!.cars.includes("ks_nissan_gtr_gt3"));
    await Deno.writeTextFile(path, "{ not json");
    await waitFor(() => log.length === 3, 5000, "the broken file refused");
    assert.match(log[2]!, /refused .*not JSON/);
    // A hidden event and an emoji per maker: one more edit.
    await Deno.writeTextFile(
      path,
      edited((s) => {
        s.events[2]!.cars.push("ks_nissan_gtr_gt3");
        (s.events[1] as Record<string, unknown>).listed = false;
      }, { emoji: { brands: { McLaren: "<:mclaren:123456789012345678>" } } }),
    );
    await waitFor(() => log.length === 4, 5000, "the second edit applied");
    assert.equal(schedule.edits, 2);
    const text = textOf(schedule);
    assert.doesNotMatch(text, /Red Bull Ring/, "event1 is no longer listed");
    assert.match(
      text,
      /▶ \*\*Week 1\*\*: Suzuka \(Suzukagp\)\n<:mclaren:123456789012345678> McLaren 650S GT3, Mercedes/,
    );
  } finally {
    watch.stop();
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("applyConfigEdit() refuses what needs a restart", async () => {
  const env = await taDiscordEnv();
  try {
    const opts = { source: "podium.json", now: NOW };
    const noTa = JSON.stringify({ servers: [{ id: "ac-ta", game: "ac" }] });
    assert.deepEqual(await applyConfigEdit(env.ta, noTa, opts), {
      status: "refused",
      reason: "Removing timeAttack needs a restart",
    });
    const file = taConfigFile([SEASON_1], { channels: CHANNELS });
    file.servers[0]!.timeZone = "UTC";
    assert.deepEqual(await applyConfigEdit(env.ta, JSON.stringify(file), opts), {
      status: "refused",
      reason: 'A change to server "ac-ta" needs a restart',
    });
    assert.equal(env.ta.config.servers[0]!.timeZone, "Europe/Berlin");
  } finally {
    await env.close();
  }
});
