import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { etlColorCss } from "@/routes/site/etl/_parts.tsx";
import { sampleTest } from "@/tests/_samples.ts";
import { testApp } from "@/tests/_app.ts";
import { etlSampleNames, importSamples } from "@/tests/etl/_etl.ts";

sampleTest("the ET:Legacy pages over the real samples", async (t) => {
  const kv = await Deno.openKv(":memory:");
  try {
    await importSamples(kv, etlSampleNames());
    const app = testApp(kv);
    const get = async (path: string, status = 200) => {
      const res = await app.request(path);
      const html = await res.text();
      assert.equal(res.status, status, `${path}: ${html.slice(0, 300)}`);
      return html;
    };
    await t.step("sessions, a session with its maps, score and players", async () => {
      const list = await get("/etl");
      assert.match(list, /href="\/etl\/sessions\/2025-10-19-212643"/);
      const s = await get("/etl/sessions/2025-10-19-212643");
      assert.match(s, /te_escape2/);
      assert.match(s, /class="etn"/);
      assert.match(s, /href="\/etl\/players\/2B5938F5"|href="\/etl\/players\//);
      await get("/etl/sessions/2099-01-01-000000", 404);
    });
    await t.step("a round, a player with the form chart, leaderboards", async () => {
      const r = await get("/etl/rounds/2025-10-20-214539-etl_adlernest-r2");
      assert.match(r, /round 2 alone/);
      const p = await get("/etl/players/2B5938F5");
      assert.match(p, /<svg/);
      assert.match(p, /class="etc\d+"/);
      const lb = await get("/etl/leaderboards?metric=kd");
      assert.match(lb, /K\/D/);
      await get("/etl/leaderboards?metric=nope", 404);
      await get("/etl/players/FFFFFFFF", 404);
    });
  } finally {
    kv.close();
  }
});

Deno.test("ET names on the site are escaped, coloured by class", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const line = (guid: string, name: string) =>
      `${guid}\\${name}\\0\\1\\16 1 2 1 0 0 \t${Array.from({ length: 38 }, () => "1").join("\t")}\n`;
    const text = "srv\\supply\\legacy3\\1\\1\\2\\12:00\\7:42\n" +
      line("AAAAAAAA", "^1<script>alert(1)</script>") +
      line("BBBBBBBB", "^2Bob");
    const imp = new Importer(kv, { announce: false });
    const rep = await imp.importOne({
      name: "2025-10-17-203425-supply-round-1.txt",
      bytes: new TextEncoder().encode(text),
    });
    assert.equal(rep.status, "imported", rep.reason);
    const html = await (await testApp(kv).request("/etl/players/AAAAAAAA")).text();
    assert.ok(!html.includes("<script>alert"), "escaped");
    assert.match(html, /<span class="etc1">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/span>/);
  } finally {
    kv.close();
  }
});

Deno.test("static/site.css carries etlColorCss()'s rules", () => {
  const squash = (css: string) => css.replace(/\s+/g, "");
  const sheet = squash(Deno.readTextFileSync(new URL("../../static/site.css", import.meta.url)));
  assert.ok(
    sheet.includes(squash(etlColorCss())),
    "regenerate: deno eval etlColorCss() into static/site.css",
  );
});

Deno.test("etlColorCss() lifts unreadable colours to 4.5:1 on the chip", () => {
  const css = etlColorCss();
  assert.match(css, /\.etc7 \{ color: #ffffff; \}/);
  assert.doesNotMatch(css, /\.etc0 \{ color: #000000; \}/);
  assert.equal(css.match(/\.etc\d+ /g)!.length, 32);
});
