import assert from "node:assert/strict";
import {
  etCompare,
  etLastSession,
  etLinkTarget,
  etMaps,
  etSession,
  etStats,
  etTop,
  metricChoices,
  playerChoices,
} from "@/discord/et/handlers.ts";
import { sampleTest } from "@/tests/_samples.ts";
import { etlSampleNames, importSamples } from "@/tests/etl/_etl.ts";

sampleTest("/et answers over the real samples", async (t) => {
  const kv = await Deno.openKv(":memory:");
  try {
    assert.deepEqual(await etLastSession(kv), {
      ok: false,
      error: "No ET:Legacy rounds have been imported yet",
    });
    await importSamples(kv, etlSampleNames());
    const ok = <T extends { ok: boolean }>(r: T) => {
      assert.equal(r.ok, true, JSON.stringify(r));
      return r as T & { ok: true; embeds: { title?: string; description?: string }[] };
    };

    await t.step("stats: by GUID, by name, by link; errors people can act on", async () => {
      assert.match(ok(await etStats(kv, "2B5938F5", null)).embeds[0]!.title!, /bronze\./);
      assert.match(ok(await etStats(kv, "bronze.", null)).embeds[0]!.title!, /bronze\./);
      assert.match(ok(await etStats(kv, undefined, "2B5938F5")).embeds[0]!.title!, /bronze\./);
      assert.deepEqual(await etStats(kv, undefined, null), {
        ok: false,
        error: "Name a player, or link yourself first with /et link",
      });
      assert.deepEqual(await etStats(kv, "zzzz-nobody", null), {
        ok: false,
        error: 'No ET:Legacy player matches "zzzz-nobody"',
      });
    });

    await t.step("sessions: last, by date", async () => {
      assert.match(ok(await etLastSession(kv)).embeds[0]!.title!, /2025-10-26/);
      assert.match(ok(await etSession(kv, "2025-10-19")).embeds[0]!.description!, /24 rounds/);
      assert.equal((await etSession(kv, "19.10.2025")).ok, false);
      assert.deepEqual(await etSession(kv, "2025-10-18"), {
        ok: false,
        error: "No session started on 2025-10-18",
      });
    });

    await t.step("top, compare, maps, link", async () => {
      assert.match(
        ok(await etTop(kv, "kills", undefined, new Date("2026-01-05"))).embeds[0]!.title!,
        /Kills/,
      );
      assert.equal((await etTop(kv, "nope", undefined, new Date())).ok, false);
      assert.equal((await etTop(kv, "kd", "1y", new Date())).ok, false);
      const cmp = ok(await etCompare(kv, "2B5938F5", "C74FB315"));
      assert.match(cmp.embeds[0]!.description!, /K\/D/);
      assert.equal((await etCompare(kv, "2B5938F5", "2b5938f5")).ok, false);
      const maps = ok(await etMaps(kv)).embeds[0]!.description!;
      assert.match(maps, /supply/);
      // 36 scored pairs over the samples: 25 won by R2's attackers, 2 double full holds (doc §7).
      const counts = [...maps.matchAll(/(\d+) maps?, R2 attack won (\d+), double holds (\d+)/g)]
        .reduce((a, m) => a.map((x, i) => x + Number(m[i + 1])), [0, 0, 0]);
      assert.deepEqual(counts, [36, 25, 2]);
      assert.deepEqual(await etLinkTarget(kv, "2B5938F5"), { guid: "2B5938F5", name: "bronze." });
    });

    await t.step("autocomplete: players by name with GUID values; metrics by id or label", async () => {
      const choices = await playerChoices(kv, "bro");
      assert.ok(choices.some((c) => c.value === "2B5938F5"));
      assert.ok(choices.length <= 25 && choices.every((c) => c.name.length <= 100));
      assert.equal((await playerChoices(kv, "")).length, 25);
      assert.deepEqual(metricChoices("acc").map((c) => c.value), ["accuracy"]);
      assert.equal(metricChoices("").length, 19);
    });
  } finally {
    kv.close();
  }
});
