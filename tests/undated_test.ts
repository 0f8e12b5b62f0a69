/** A session whose file carries no date is marked "date unknown" and never listed as the newest. */
import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { recentSessions } from "@/discord/racing/reads.ts";
import { recentEmbed } from "@/discord/racing/embeds.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { testApp } from "@/tests/_app.ts";

Deno.test("An undated session (file modification time) is marked and listed after the dated ones", async () => {
  await using kv = await Deno.openKv(":memory:");
  const importer = new Importer(kv, { announce: false, now: () => new Date("2026-01-05T12:00:00Z") });
  const cars = [{ playerId: "S76561190000000901", first: "Dee", last: "Dated", laps: [100_000] }];
  const dated = await importer.importOne({
    name: "260101_200000_Q.json",
    bytes: accFile({ track: "monza", cars }),
  });
  // Named without a date: dated by its modification time, newer than the dated session.
  const undated = await importer.importOne({
    name: "Session_Q.json",
    bytes: accFile({ track: "monza", cars: [{ ...cars[0]!, laps: [101_000] }] }),
    modifiedAt: new Date("2026-01-05T11:00:00Z"),
  });
  assert.equal(dated.status, "imported", dated.reason);
  assert.equal(undated.status, "imported", undated.reason);
  const app = testApp(kv);
  const home = (await (await app.request("/")).text()).split("Newest records")[0]!;
  const rows = [...home.matchAll(/<a href="\/sessions\/([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((
    m,
  ) => [m[1], m[2]]);
  assert.deepEqual(rows.map((r) => r[0]), [dated.sessionId, undated.sessionId], "dated first");
  assert.equal(rows[1]![1], "date unknown");
  const page = await (await app.request(`/sessions/${undated.sessionId}`)).text();
  assert.match(page, /Date unknown: the file carried none/);
  const recent = await recentSessions(kv, 10);
  assert.deepEqual(recent.map((s) => s.dateKnown), [true, false]);
  assert.match(recentEmbed(recent).embeds![0]!.description!, /date unknown \*\*Monza\*\*/);
});
