/**
 * Names from game files carrying a right-to-left override (U+202E), NUL and markup, through every
 * page that shows names: racing (home, tracks, records, sessions, drivers, search), ET:Legacy
 * (round, session, player, leaderboards, awards, matchup), time attack, numbers and live. The
 * pages show the name readable, escaped, and without the controls (lib/text.ts cleanMarkup(),
 * applied to every page in routes/site/_layout.tsx).
 */
import assert from "node:assert/strict";
import { createApp } from "@/app.ts";
import { accFile } from "@/tests/_acc_file.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { applyLiveBatch } from "@/kv/live/state.ts";
import { claimNumber } from "@/kv/numbers/claims.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import { claimKey } from "@/kv/numbers/keys.ts";
import { acFile, taConfig, taImporter } from "@/tests/ta/_ta.ts";
import { cleanMarkup } from "@/lib/text.ts";

const NOW = new Date("2026-01-05T12:00:00Z");
const GUILD = "100000000000000001";
/** What an attacker names themselves: the override flips the rest of the line, NUL hides in it. */
const EVIL = "Ev\u202Eil\u0000 <script>alert(1)</script>";

async function hostileStore(): Promise<{ kv: Deno.Kv; urls: string[] }> {
  const kv = await Deno.openKv(":memory:");
  const config = taConfig();
  const importer = taImporter(kv, config, () => NOW);
  const urls: string[] = [];
  const must = async (item: { name: string; bytes: Uint8Array; serverId?: string }) => {
    const r = await importer.importOne(item);
    assert.equal(r.status, "imported", `${item.name}: ${r.reason}`);
    return r.sessionId!;
  };

  // Racing: an ACC qualifying won by the hostile driver.
  const acc = await must({
    name: "251220_200000_Q.json",
    bytes: accFile({
      track: "monza",
      type: "Q",
      cars: [
        { playerId: "S76561190000000666", first: EVIL, last: "Driver\u202E", laps: [109_000, 107_900] },
        { playerId: "S76561190000000667", first: "Plain", last: "Driver", laps: [110_000, 108_900] },
      ],
    }),
  });
  urls.push("/", "/tracks", "/tracks/acc/monza", `/sessions/${acc}`, "/drivers/S76561190000000666");
  urls.push(`/search?q=${encodeURIComponent("Ev")}`);

  // ET:Legacy: a generated R1/R2 pair with one player renamed.
  const [r1, r2] = [...generateEtlFiles(2, { perRound: 6, seed: 3 })];
  const guid = /\n([0-9A-F]{8})\\/.exec(r1!.text)![1]!;
  const rename = (text: string) =>
    text.replace(new RegExp(`\\n${guid}\\\\[^\\\\]*\\\\`, "g"), `\n${guid}\\${EVIL.replace("\u0000", "")}\\`);
  const round1 = await must({ name: r1!.name, bytes: new TextEncoder().encode(rename(r1!.text)) });
  await must({ name: r2!.name, bytes: new TextEncoder().encode(rename(r2!.text)) });
  urls.push("/etl", `/etl/rounds/${round1}`, `/etl/players/${guid}`, "/etl/leaderboards");
  urls.push(`/etl/players/${guid}/weapons`, `/etl/players/${guid}/form`, "/etl/awards");
  const sessionHref = /href="(\/etl\/sessions\/[^"]+)"/;

  // Time attack: an AC lap in the season's third event.
  await must({
    ...acFile({
      at: "2019-03-10T02:45",
      track: "ks_vallelunga",
      layout: "layout_3",
      laps: [{ guid: "76561190000000666", name: EVIL, car: "ks_mazda_mx5_cup", ms: 95_000 }],
    }),
    serverId: "ac-ta",
  });
  urls.push("/ta", "/ta/1", "/ta/1/events/event3", "/ta/1/standings");

  // Numbers: a claim whose verified iRacing name is hostile.
  await saveSettings(kv, GUILD, { leagueId: 7058, maxPerMember: 2 }, "300000000000000003", NOW);
  await claimNumber(
    kv,
    { guildId: GUILD, userId: "400000000000000001", number: "07", displayName: EVIL },
    NOW,
  );
  const c = (await kv.get<Record<string, unknown>>(claimKey(GUILD, "07"))).value!;
  await kv.set(claimKey(GUILD, "07"), { ...c, verified: true, driverName: EVIL });
  urls.push(`/numbers/${GUILD}`);

  // Live: a car connected under the hostile name.
  const at = NOW.getTime() - 60_000;
  await applyLiveBatch(kv, "ac-ta", {
    stream: "s",
    sentAt: at,
    done: [],
    events: [
      {
        seq: 1,
        at,
        type: "session",
        isNew: true,
        track: "ks_vallelunga",
        layout: "club_circuit",
        name: `Qualify ${EVIL}`,
        sessionType: 2,
        serverName: EVIL,
        elapsedMs: 0,
      },
      { seq: 2, at, type: "connect", carId: 0, driver: EVIL, guid: "7656", model: "ks_mazda_mx5_cup" },
      { seq: 3, at: at + 1000, type: "lap", carId: 0, lapMs: 95_123, cuts: 0, board: [] },
    ] as never,
  }, { now: NOW, announce: false });
  urls.push("/live/ac-ta");
  return { kv, urls: [...urls, `@${sessionHref.source}`] };
}

Deno.test("every page that shows names shows a hostile one readable, escaped, without bidi controls or NUL", async () => {
  const { kv, urls } = await hostileStore();
  try {
    const app = createApp({ kv, config: taConfig(), now: () => NOW });
    const pages = new Map<string, string>();
    for (const url of urls) {
      let path = url;
      if (url.startsWith("@")) {
        // The ET:Legacy session page, found where the index links it.
        path = new RegExp(url.slice(1)).exec(pages.get("/etl")!)![1]!;
      }
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      pages.set(path, await res.text());
    }
    for (const [path, html] of pages) {
      assert.ok(!html.includes("\u202E"), `${path}: no right-to-left override`);
      assert.ok(!html.includes("\u0000"), `${path}: no NUL`);
      assert.ok(!html.includes("<script>alert"), `${path}: the markup is escaped`);
    }
    // The live page updates itself from /api/live (textContent): its names were cleaned on arrival.
    const live = await (await app.request("/api/live/ac-ta")).text();
    assert.ok(live.includes("Evil") && !live.includes("\\u202e") && !live.includes("\u202E"));
    // Where the name is shown, it reads as typed, less the controls.
    const shown = [...pages].filter(([, html]) =>
      html.includes("Evil &lt;script&gt;alert(1)&lt;/script&gt;")
    );
    const expected = [
      "/tracks/acc/monza",
      "/drivers/S76561190000000666",
      "/etl/players/",
      "/etl/rounds/",
      "/etl/sessions/",
      "/ta/1/events/event3",
      `/numbers/${GUILD}`,
      "/live/ac-ta",
    ];
    for (const prefix of expected) {
      assert.ok(
        shown.some(([p]) => p.startsWith(prefix)),
        `${prefix} shows the name: ${shown.map(([p]) => p)}`,
      );
    }
  } finally {
    kv.close();
  }
});

Deno.test("cleanMarkup() removes bidi and C0/C1 controls anywhere and keeps the page's tabs and line ends", () => {
  assert.equal(
    cleanMarkup('<p title="a\u202Eb">x\u0000y\u2066z\u0085</p>\n\t<td>\r\n'),
    '<p title="ab">xyz</p>\n\t<td>\r\n',
  );
  assert.equal(cleanMarkup("Zoë 🏁 Ωμέγα"), "Zoë 🏁 Ωμέγα");
});
