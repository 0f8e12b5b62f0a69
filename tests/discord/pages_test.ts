/**
 * The one pager (discord/pages.ts): page arithmetic and clamping, buttons within Discord's
 * custom_id limit, and the lists that use it beyond the leaderboards (`/tracks`, `/et maps`)
 * through signed interactions on generated files.
 */
import assert from "node:assert/strict";
import { clampPage, MAX_PAGES, pageCount, pageLabel, pageOf, pager } from "@/discord/pages.ts";
import { racing } from "@/discord/racing/commands.ts";
import { etSet } from "@/discord/et/commands.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { Importer } from "@/ingest/importer.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { commandBody, componentBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";
import type { CommandSet } from "@/discord/command.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);

Deno.test("pages: counts, clamping and slices agree; forged pages land on a page that exists", () => {
  assert.equal(pageCount(0, 10), 1);
  assert.equal(pageCount(10, 10), 1);
  assert.equal(pageCount(11, 10), 2);
  assert.equal(pageCount(10_000, 10), MAX_PAGES);
  for (const [asked, want] of [[-5, 0], [0, 0], [6, 6], [7, 6], [99, 6], [NaN, 0], [2.7, 2]]) {
    assert.equal(clampPage(asked!, 7), want, String(asked));
  }
  const all = Array.from({ length: 23 }, (_, i) => i);
  assert.deepEqual(pageOf(all, 2, 10), { items: [20, 21, 22], page: 2, pages: 3, total: 23 });
  assert.deepEqual(pageOf(all, 99, 10).page, 2);
  assert.deepEqual(pageOf([], 3, 10), { items: [], page: 0, pages: 1, total: 0 });
  assert.equal(pageLabel({ page: 1, pages: 3 }), "page 2 of 3");
});

Deno.test("pager: buttons carry the page, the first and last disable one way, a too-long state gets none", () => {
  assert.deepEqual(pager("x", String, 0, 1), []);
  const [row] = pager("x", (p) => `s|${p}`, 0, 3);
  const [prev, label, next] = row!.components as { custom_id: string; disabled: boolean; label: string }[];
  assert.deepEqual([prev!.custom_id, prev!.disabled], ["x:s|-1", true]);
  assert.deepEqual([label!.label, label!.disabled], ["1 / 3", true]);
  assert.deepEqual([next!.custom_id, next!.disabled], ["x:s|1", false]);
  assert.deepEqual(pager("x", () => "y".repeat(99), 0, 3), []);
});

async function app(kv: Deno.Kv, sets: CommandSet[]) {
  const signer = await makeSigner();
  const a = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex)), sets);
  return async (body: unknown) => {
    const res = await signer.post(a, body, { timestamp: NOW_S });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json();
  };
}

Deno.test("/tracks: 30 tracks in 2 pages of 25, every track once, forged pages clamped", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  for (let i = 1; i <= 30; i++) {
    const name = `2512${String(i).padStart(2, "0")}_200000_Q.json`;
    const track = `track_${String(i).padStart(2, "0")}`;
    const r = await imp.importOne({
      name,
      bytes: accFile({
        track,
        cars: [{ playerId: "S1", first: "Ann", last: "Fast", laps: [100_000] }],
      }),
    });
    assert.equal(r.status, "imported", r.reason);
  }
  const call = await app(kv, [racing]);
  const first = await call(commandBody("tracks"));
  assert.equal(first.data.embeds[0].title, "🗺️ Tracks (30)");
  assert.equal(first.data.embeds[0].footer.text, "page 1 of 2");
  const lines1 = first.data.embeds[0].description.split("\n");
  assert.equal(lines1.length, 25);
  assert.equal(first.data.components[0].components[2].custom_id, "trk:1");
  const second = await call(componentBody("trk:1"));
  assert.equal(second.type, 7);
  const lines2 = second.data.embeds[0].description.split("\n");
  assert.equal(lines2.length, 5);
  const names = [...lines1, ...lines2].map((l: string) => /^\*\*(.+?)\*\*/.exec(l)![1]);
  assert.equal(new Set(names).size, 30);
  assert.equal((await call(componentBody("trk:99"))).data.embeds[0].footer.text, "page 2 of 2");
  assert.equal((await call(componentBody("trk:x"))).data.flags, 64);
});

Deno.test("/et maps: 28 maps in 2 pages of 20 (deferred first page, updated pages after)", async () => {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now: () => NOW });
  const enc = new TextEncoder();
  for (const [n, suffix] of ["", "_b", "_c", "_d"].entries()) {
    const start = new Date(Date.UTC(2025, n * 2, 1, 20));
    for (const f of generateEtlFiles(40, { seed: 9 + n, players: 12, perRound: 6, start })) {
      const map = /-\d{6}-(.+)-round-\d\.txt$/.exec(f.name)![1]!;
      const r = await imp.importOne({
        name: f.name.replace(`-${map}-`, `-${map}${suffix}-`),
        bytes: enc.encode(f.text.replace(`\\${map}\\`, `\\${map}${suffix}\\`)),
      });
      assert.equal(r.status, "imported", r.reason);
    }
  }
  const call = await app(kv, [etSet]);
  const p2 = await call(componentBody("etm:1"));
  assert.equal(p2.type, 7);
  const total = Number(/^(\d+) maps, page 2 of 2$/.exec(p2.data.embeds[0].footer.text)![1]);
  assert.ok(total > 20 && total <= 28, String(total));
  assert.equal(p2.data.embeds[0].description.split("\n").length, total - 20);
  const p1 = await call(componentBody("etm:-1"));
  assert.equal(p1.data.embeds[0].description.split("\n").length, 20);
  assert.equal(p1.data.components[0].components[2].custom_id, "etm:1");
  const far = await call(componentBody("etm:500"));
  assert.match(far.data.embeds[0].footer.text, /page 2 of 2$/);
});
