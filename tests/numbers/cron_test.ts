import assert from "node:assert/strict";
import { createIracingClient } from "@/lib/iracing.ts";
import { kvTokenStore } from "@/kv/numbers/tokens.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import { getSyncStatus } from "@/kv/numbers/sync.ts";
import { syncIracingRosters } from "@/crons/iracing_sync.ts";
import { startFakeIracing } from "@/tests/fakes/iracing.ts";
import { iracingTest } from "@/tests/numbers/_iracing_sources.ts";

iracingTest(
  "syncIracingRosters() syncs every guild with a league; one failure does not stop the others",
  async (src) => {
    const now = new Date("2026-01-05T12:00:00Z");
    const kv = await Deno.openKv(":memory:");
    const fake = startFakeIracing({ now: () => now.getTime(), answers: src.answers() });
    try {
      const iracing = createIracingClient(kvTokenStore(kv), {
        ...fake.credentials,
        oauthBase: fake.oauthBase,
        dataBase: fake.dataBase,
      }, {
        now: () => now,
      });
      await saveSettings(kv, "100000000000000001", { leagueId: src.main.id }, "300000000000000003", now);
      await saveSettings(kv, "100000000000000002", { leagueId: 4242 }, "300000000000000003", now);
      await saveSettings(kv, "100000000000000003", { maxPerMember: 2 }, "300000000000000003", now);
      const runs = await syncIracingRosters({ kv, iracing }, now);
      assert.deepEqual(runs.map((r) => [r.guildId, r.status?.ok]), [
        ["100000000000000001", true],
        ["100000000000000002", false],
      ]);
      const main = await getSyncStatus(kv, "100000000000000001");
      assert.equal(main?.leagueName, src.main.name);
      assert.equal(main?.rosterCount, src.main.members);
      assert.match((await getSyncStatus(kv, "100000000000000002"))?.error ?? "", /404/);
      assert.equal(fake.stats.logins, 1);
      assert.deepEqual(await syncIracingRosters({ kv, iracing: null }, now), []);
    } finally {
      await fake.close();
      kv.close();
    }
  },
);
