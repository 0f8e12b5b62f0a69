/** The site through `app.request()`: pages, escaping, 404s, conditional GETs, headers, static files. */
import assert from "node:assert/strict";
import { testApp } from "@/tests/_app.ts";
import { HOSTILE, HOSTILE_NAME, leagueKv } from "@/tests/site/_league.ts";
import { Importer } from "@/ingest/importer.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { recentTrackSessionIds } from "@/kv/racing/sessions.ts";
import { trackBoards } from "@/kv/racing/recent.ts";
import { countingKv } from "@/tests/_counting_kv.ts";
import { loadConfig } from "@/config.ts";
import { createApp } from "@/app.ts";

async function html(app: ReturnType<typeof testApp>, path: string, init?: RequestInit) {
  const res = await app.request(path, init);
  return { res, status: res.status, body: await res.text() };
}

const league = await leagueKv();
const app = testApp(league);

Deno.test("GET / on an empty hub is a welcome page saying how to import, connect an agent and Discord", async () => {
  using kv = await Deno.openKv(":memory:");
  const { res, status, body } = await html(testApp(kv), "/");
  assert.equal(status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/html/);
  assert.match(body, /<h1>Welcome to Podium<\/h1>/);
  for (
    const cmd of ["deno task import", "deno task register", "deno task demo", "npm install -g deno@2.9.6"]
  ) {
    assert.ok(body.includes(cmd), cmd);
  }
  assert.doesNotMatch(body, /deno task agent</, "no bare agent command without arguments");
  assert.equal(res.headers.get("etag"), null, "the welcome page is never cached");
});

Deno.test("The welcome page's commands can be pasted: this hub's address, a server id, its secret variable", async () => {
  using kv = await Deno.openKv(":memory:");
  const config = loadConfig((n) => ({ PODIUM_KV: ":memory:" } as Record<string, string>)[n]);
  const app = createApp({
    kv,
    config: { ...config, servers: [{ id: "ac-main", game: "ac", timeZone: "UTC" }] },
    now: () => new Date(),
  });
  const res = await app.request("http://10.0.0.5:8000/", {
    headers: { "x-forwarded-proto": "https", "x-forwarded-host": "hub.example.org" },
  });
  const body = (await res.text()).replaceAll("&#39;", "'");
  assert.ok(body.includes("https://hub.example.org/agent.ts"), body);
  assert.ok(body.includes("--hub https://hub.example.org --server ac-main --dir /home/ac/server/results"));
  assert.ok(body.includes("--allow-net=hub.example.org --allow-env=PODIUM_AGENT_SECRET"));
  assert.ok(body.includes("--allow-import=hub.example.org --reload=https://hub.example.org/agent"));
  assert.ok(body.includes("PODIUM_SECRET_AC_MAIN"));
  assert.ok(body.includes("deno task import --no-announce --server ac-main /home/ac/server/results"));
  assert.ok(body.includes("https://hub.example.org/interactions"));
  const plain =
    await (await createApp({ kv, config, now: () => new Date() }).request("http://localhost:8000/"))
      .text();
  assert.ok(
    plain.includes("--hub http://localhost:8000 --server acc-eu"),
    "a placeholder id without servers",
  );
  assert.ok(plain.includes("--allow-net=localhost:8000"), "the port goes into --allow-net");
});

Deno.test("GET / is HTML linking to the track pages, with latest sessions, newest records and a search box", async () => {
  const { status, body } = await html(app, "/");
  assert.equal(status, 200);
  assert.match(body, /^<!DOCTYPE html><html lang="en">/);
  assert.match(body, /href="\/tracks\/acc\/monza"/);
  assert.match(body, /href="\/tracks\/ac\/[a-z_]+(@[a-z_]+)?"/);
  assert.match(body, /Latest sessions/);
  assert.match(body, /Newest records/);
  assert.match(body, /<form class="search" role="search" action="\/search" method="get">/);
  assert.equal(body.match(/<h1[ >]/g)?.length, 1, "one h1");
  assert.doesNotMatch(body, /<script/i);
});

Deno.test("A track page shows the record as m:ss.mmm, the top 20 with gaps and the theoretical best", async () => {
  const api = await (await app.request("/api/records?game=acc&track=monza&kind=Q&limit=20")).json();
  const { status, body } = await html(app, "/tracks/acc/monza");
  assert.equal(status, 200);
  const record = api.entries[0];
  const mss = `${Math.floor(record.lapMs / 60000)}:${
    String(Math.floor(record.lapMs / 1000) % 60).padStart(2, "0")
  }.${String(record.lapMs % 1000).padStart(3, "0")}`;
  assert.ok(body.includes(mss), `record ${mss} on the page`);
  assert.match(body, /<td class="num time">\d+:\d{2}\.\d{3}<\/td>/);
  assert.equal(body.match(/<tr[^>]*><td class="num">\d+<\/td>/g)?.length, Math.min(20, api.of));
  assert.match(body, /Theoretical best/);
  assert.match(body, /<th scope="col"/);
  const race = await html(app, "/tracks/acc/monza?kind=R&class=GT3");
  assert.equal(race.status, 200);
  assert.match(race.body, /Race, gt3: top \d+ of \d+ drivers/);
});

Deno.test("Every name from a game file is escaped", async () => {
  for (const path of ["/", "/tracks/acc/monza", `/drivers/${HOSTILE.id}`]) {
    const { body } = await html(app, path);
    assert.ok(body.includes("&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;Bold&lt;/b&gt;"), path);
    assert.ok(!body.includes("<script>alert(1)"), path);
    assert.ok(!body.includes("<b>Bold"), path);
  }
  const driver = await html(app, `/drivers/${HOSTILE.id}`);
  assert.ok(driver.body.includes(`<title>${HOSTILE_NAME.replace(/</g, "&lt;").replace(/>/g, "&gt;")}`));
  const session = (await (await app.request(`/api/drivers/${HOSTILE.id}`)).json()).pbs[0].sessionId;
  const s = await html(app, `/sessions/${session}`);
  assert.ok(s.body.includes("&lt;img src=x onerror=alert(2)&gt;"), "server name escaped");
  assert.ok(!s.body.includes("<img src=x"));
});

Deno.test("A driver page lists every PB with rank N of M, the gap to the record, sectors and a chart", async () => {
  const api = await (await app.request("/api/records?game=acc&track=monza&kind=Q&limit=2")).json();
  const second = api.entries[1];
  const pbs = (await (await app.request(`/api/drivers/${second.driver.id}`)).json()).pbs;
  const { status, body } = await html(app, `/drivers/${second.driver.id}`);
  assert.equal(status, 200);
  assert.equal(
    body.match(/<td class="num nowrap">\d+ <span class="muted">of \d+<\/span>/g)?.length,
    pbs.length,
  );
  assert.ok(body.includes(`2 <span class="muted">of ${api.of}</span>`), "rank 2 at Monza");
  assert.match(body, /sectors of the PB lap against the record lap/);
  // A driver who improved somewhere gets a progression chart; one who never did, a sentence.
  const top = (await (await app.request("/api/records?game=acc&track=monza&kind=R&limit=20")).json()).entries;
  let charted = false;
  for (const e of top) {
    const d = (await (await app.request(`/api/drivers/${e.driver.id}`)).json()).pbs;
    if (!d.some((p: { class: string; history: unknown[] }) => p.class === "all" && p.history.length > 1)) {
      continue;
    }
    const page = (await html(app, `/drivers/${e.driver.id}`)).body;
    assert.match(page, /<svg viewBox="[^"]+" role="img" aria-labelledby="chart\d+-title chart\d+-desc"/);
    assert.match(page, /<title id="chart\d+-title">[^<]*personal best progression at/);
    charted = true;
    break;
  }
  assert.ok(charted, "some driver in the top 20 improved");
  assert.match((await html(app, `/drivers/${HOSTILE.id}`)).body, /No progression to chart yet/);
});

Deno.test("A session page has the classification with gaps, penalties, DSQ and a lap chart with lap 1 marked", async () => {
  const api = await (await app.request("/api/records?game=acc&track=monza&kind=R&limit=1")).json();
  const id = api.entries[0].sessionId;
  const session = await (await app.request(`/api/sessions/${id}`)).json();
  const { status, body } = await html(app, `/sessions/${id}`);
  assert.equal(status, 200);
  assert.match(body, /<h1>Monza: Race<\/h1>/);
  assert.equal(
    body.match(/<tr[^>]*><td class="num">(\d+|<abbr title="Disqualified">DSQ<\/abbr>)<\/td>/g)?.length,
    session.cars.length,
  );
  assert.match(body, /<td class="num time">\+\d+\.\d{3}<\/td>|\+\d+ laps?/);
  assert.match(body, /<circle[^>]*class="marked"><title>[^<]*lap 1, from the start/);
  if (session.cars.some((c: { penalties: unknown[] }) => c.penalties.length > 0)) {
    assert.match(body, /Penalties/);
  }
  const [dsqId] = await recentTrackSessionIds(league, "acc", "monza", 1);
  const dsq = await html(app, `/sessions/${dsqId}`);
  assert.match(dsq.body, /<tr class="dsq"><td class="num"><abbr title="Disqualified">DSQ<\/abbr><\/td>/);
  assert.match(dsq.body, /Dis Qualified/);
  assert.match(dsq.body, /<td>Disqualified<\/td>/, "the DSQ is listed with the penalties");
});

Deno.test("Unknown pages get the site's 404 page; unknown API paths keep JSON", async () => {
  for (
    const path of [
      "/nope",
      "/tracks/acc/nowhere",
      "/tracks/iracing/monza",
      "/tracks/acc/monza?class=F1",
      "/drivers/S0",
      "/sessions/acc-19990101-000000-q-00000000",
      "/static/site.css",
    ]
  ) {
    const { res, status, body } = await html(app, path);
    assert.equal(status, 404, path);
    assert.match(res.headers.get("content-type")!, /^text\/html/, path);
    assert.match(body, /<h1>Not found<\/h1>/, path);
    assert.match(body, /href="\/tracks"/, path);
  }
  const api = await app.request("/api/nope");
  assert.equal(api.status, 404);
  assert.match((await api.json()).error, /No route/);
});

Deno.test("Pages send a CSP without scripts; the API keeps open CORS and carries the security headers", async () => {
  const page = await app.request("/tracks");
  await page.body?.cancel();
  const csp = page.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /style-src 'self'/);
  assert.doesNotMatch(csp, /script-src|unsafe-inline/);
  assert.equal(page.headers.get("access-control-allow-origin"), null);
  const api = await app.request("/api/tracks");
  await api.body?.cancel();
  assert.equal(api.headers.get("access-control-allow-origin"), "*");
  assert.match(
    api.headers.get("content-security-policy") ?? "",
    /default-src 'none'/,
    "the API carries security headers too",
  );
});

Deno.test("The stylesheet is served under a content hash with a year's cache", async () => {
  const { body } = await html(app, "/");
  const href = body.match(/<link rel="stylesheet" href="(\/static\/site\.[0-9a-f]{10}\.css)">/)?.[1];
  assert.ok(href);
  const css = await app.request(href);
  assert.equal(css.status, 200);
  assert.match(css.headers.get("content-type")!, /^text\/css/);
  assert.equal(css.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.match(await css.text(), /--brand/);
});

Deno.test("A repeat visit gets 304 for one KV read; an import changes the ETag", async (t) => {
  using kv = await leagueKv();
  const counting = countingKv(kv);
  const app = testApp(counting.kv);
  const first = await app.request("/tracks/acc/monza");
  await first.body?.cancel();
  const etag = first.headers.get("etag")!;
  const lastModified = first.headers.get("last-modified")!;
  assert.match(etag, /^"[0-9a-f]+-[^"]+"$/);
  assert.ok(lastModified);
  assert.equal(first.headers.get("cache-control"), "public, no-cache");

  await t.step("If-None-Match: 304, no body, one read", async () => {
    const before = counting.reads();
    const res = await app.request("/tracks/acc/monza", { headers: { "If-None-Match": etag } });
    assert.equal(res.status, 304);
    assert.equal(await res.text(), "");
    assert.equal(res.headers.get("etag"), etag);
    assert.equal(res.headers.get("content-security-policy"), null, "the revalidated page's headers stand");
    assert.equal(counting.reads() - before, 1);
  });
  await t.step("If-Modified-Since: 304", async () => {
    const res = await app.request("/tracks/acc/monza", { headers: { "If-Modified-Since": lastModified } });
    assert.equal(res.status, 304);
  });
  await t.step("a first visit to a page rendered since the last import is one read too", async () => {
    const before = counting.reads();
    const res = await app.request("/tracks/acc/monza");
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Monza/);
    assert.equal(counting.reads() - before, 1);
  });
  await t.step("after an import the old ETag gets the new page", async () => {
    await new Importer(kv, { announce: false }).importOne({
      name: "240701_200000_Q.json",
      bytes: accFile({
        track: "monza",
        type: "Q",
        cars: [{ playerId: "S1", first: "New", last: "Record", laps: [90_000] }],
      }),
    });
    const res = await app.request("/tracks/acc/monza", { headers: { "If-None-Match": etag } });
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get("etag"), etag);
    assert.match(await res.text(), /New Record/);
  });
});

Deno.test("trackBoards() lists each board of a track once, skipping the per-second counts", async () => {
  const boards = await trackBoards(league, "acc", "monza");
  const names = boards.map((b) => `${b.board.kind}/${b.board.cls}`);
  assert.deepEqual(names, [...new Set(names)].sort(), "each board once, in key order");
  assert.ok(names.includes("Q/all") && names.includes("R/all"), names.join(" "));
  for (const b of boards) {
    const api = await (await app.request(
      `/api/records?game=acc&track=monza&kind=${b.board.kind}&class=${b.board.cls}&limit=1`,
    )).json();
    assert.equal(b.total, api.of, `${b.board.kind}/${b.board.cls} size`);
    assert.equal(b.record?.lapMs, api.entries[0].lapMs, `${b.board.kind}/${b.board.cls} record`);
  }
});

Deno.test("A page that fails is a 500 page; the API's failures stay JSON", async () => {
  using kv = await Deno.openKv(":memory:");
  const broken = new Proxy(kv, {
    get(target, prop) {
      if (prop === "list") {
        return () => ({
          [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error("disk on fire")) }),
        });
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const errors: unknown[] = [];
  const log = console.error;
  console.error = (...a: unknown[]) => errors.push(a);
  try {
    const app = testApp(broken);
    const { status, body } = await html(app, "/tracks");
    assert.equal(status, 500);
    assert.match(body, /<h1>Something went wrong<\/h1>/);
    assert.doesNotMatch(body, /disk on fire/, "details stay in the log");
    const api = await app.request("/api/tracks");
    assert.equal(api.status, 500);
    assert.match((await api.json()).error, /server log/);
  } finally {
    console.error = log;
  }
  assert.equal(errors.length, 2, "both failures logged");
});

Deno.test("AC races show Server Manager's post-race time penalties and the car classification", async () => {
  const tracks = (await (await app.request("/api/tracks")).json()).filter((t: { game: string }) =>
    t.game === "ac"
  );
  let penalties = 0;
  for (const t of tracks) {
    for (const id of await recentTrackSessionIds(league, "ac", t.track, 10)) {
      const { status, body } = await html(app, `/sessions/${id}`);
      assert.equal(status, 200, id);
      assert.match(body, /<h1>[^<]+: (Race|Qualifying)<\/h1>/);
      penalties += body.match(/\d+ s added after the race/g)?.length ?? 0;
    }
  }
  assert.ok(penalties > 0, "the generated AC season has post-race penalties");
});

Deno.test("Routes mounted beside the site pass through none of its middleware", async () => {
  using kv = await leagueKv();
  const counting = countingKv(kv);
  const other = testApp(counting.kv);
  other.get("/elsewhere", (c) => c.html("<p>another module's page</p>"));
  const before = counting.reads();
  const res = await other.request("/elsewhere");
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "<p>another module's page</p>");
  assert.equal(res.headers.get("etag"), null);
  assert.equal(counting.reads() - before, 0);
});

Deno.test("/search finds tracks and drivers by name and escapes both the query and the names", async () => {
  const monza = await html(app, "/search?q=monz");
  assert.equal(monza.status, 200);
  assert.match(monza.body, /<a href="\/tracks\/acc\/monza">Monza<\/a>/);
  assert.match(monza.body, /<input id="q" name="q" type="search" value="monz"/);
  const hostile = await html(app, `/search?q=${encodeURIComponent("<script>")}`);
  assert.ok(hostile.body.includes(`<a href="/drivers/${HOSTILE.id}">&lt;script&gt;alert(1)`));
  assert.ok(hostile.body.includes("Results for “&lt;script&gt;”"));
  assert.ok(!hostile.body.includes("<script>"));
  const none = await html(app, "/search?q=qqqqqq");
  assert.match(none.body, /Nothing matches “qqqqqq”/);
  const empty = await html(app, "/search");
  assert.equal(empty.status, 200);
  assert.match(empty.body, /<h1>Search<\/h1>/);
  assert.match(empty.body, /<a href="\/search" aria-current="page">Search<\/a>/, "in the main nav");
});
