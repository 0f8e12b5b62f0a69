/** A small generated league in an in-memory KV, with one hostile driver name, for the site's tests. */
import { leagueFiles } from "@/fixtures/gen_league.ts";
import { Importer } from "@/ingest/importer.ts";
import { accFile } from "@/tests/_acc_file.ts";

/** The driver whose name is markup. */
export const HOSTILE = { id: "S76561190000000666", first: "<script>alert(1)</script>", last: "<b>Bold</b>" };

/** The hostile driver's full name as the page must show it, as text. */
export const HOSTILE_NAME = `${HOSTILE.first} ${HOSTILE.last}`;

/** A KV holding a short generated season (ACC and AC) and a Monza qualifying with the hostile driver. */
export async function leagueKv(): Promise<Deno.Kv> {
  const kv = await Deno.openKv(":memory:");
  const importer = new Importer(kv, { announce: false, now: () => new Date("2024-06-30T12:00:00Z") });
  const files = [...leagueFiles({ accSessions: 60, acWeekends: 4 })];
  files.push({
    name: "240620_200000_Q.json",
    bytes: accFile({
      track: "monza",
      type: "Q",
      server: "<img src=x onerror=alert(2)>",
      cars: [{
        playerId: HOSTILE.id,
        first: HOSTILE.first,
        last: HOSTILE.last,
        laps: [109_000, 107_900, 108_100],
      }],
    }),
  });
  // The newest Monza session: a race with a disqualified car.
  files.push({
    name: "240621_210000_R.json",
    bytes: accFile({
      track: "monza",
      type: "R",
      cars: [
        { playerId: "S76561190000000701", first: "Clean", last: "Winner", laps: [140_000, 108_000, 108_200] },
        { playerId: "S76561190000000702", first: "Second", last: "Place", laps: [141_000, 108_500, 108_900] },
        {
          playerId: "S76561190000000703",
          first: "Dis",
          last: "Qualified",
          laps: [139_000, 107_000, 107_100],
          dsq: true,
        },
      ],
    }),
  });
  const summary = await importer.importMany(files, () => {});
  if (summary.rejected > 0 || summary.imported !== files.length) {
    throw new Error(`League import: ${JSON.stringify(summary)}`);
  }
  return kv;
}
