import assert from "node:assert/strict";
import { etSet } from "@/discord/et/commands.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { endstatsFor, playersOf } from "@/fixtures/gen_etl_endstats.ts";
import { Importer } from "@/ingest/importer.ts";
import {
  adminSubcommand,
  autocompleteBody,
  commandBody,
  makeSigner,
  subcommand,
} from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, recordingDiscord, testDeps } from "@/tests/discord/_app.ts";
import { testApp } from "@/tests/_app.ts";
import { resolve } from "@/discord/et/handlers.ts";
import { esc } from "@/discord/text.ts";
import { getRoundAwards, listEndstats } from "@/kv/etl/endstats.ts";
import { kvReader } from "@/kv/reader.ts";
import { playerRounds } from "@/kv/etl/players.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const sub = subcommand, admin = adminSubcommand;
const ADMIN = { userId: "200000000000000077", permissions: "8" };

Deno.test("/et commands beyond stats, on a generated store with endstats: every reply", async (t) => {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  try {
    const files = [...generateEtlFiles(40, { seed: 21, players: 12, perRound: 6 })];
    const imp = new Importer(kv, { announce: false, now: () => NOW });
    const enc = new TextEncoder();
    for (const [i, f] of files.entries()) {
      await imp.importOne({ name: f.name, bytes: enc.encode(f.text) });
      const es = endstatsFor(f.name, f.text, { seed: i + 1 });
      assert.equal((await imp.importOne({ name: es.name, bytes: enc.encode(es.text) })).status, "imported");
    }
    await imp.importOne({
      name: "2025-01-01-200000-supply-round-1.txt",
      bytes: enc.encode("only a header\n"),
    });
    const roster = playersOf(files[0]!.text);
    const [a, b, c] = [roster[0]!, roster.find((p) => p.team !== roster[0]!.team)!, roster[2]!];
    assert.equal(a.team, c.team);
    const discord = recordingDiscord();
    const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex), { discord }), [etSet]);
    const call = async (body: unknown) => {
      const res = await signer.post(app, body, { timestamp: NOW_S });
      assert.equal(res.status, 200, await res.clone().text());
      const json = await res.json();
      if (json.data?.content && !json.data.embeds) return json;
      assert.deepEqual(json.data?.allowed_mentions ?? { parse: [] }, { parse: [] });
      return json;
    };
    const text = (
      r: {
        data: {
          embeds: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
        };
      },
    ) =>
      r.data.embeds.map((e) =>
        [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].join("\n")
      ).join("\n");

    await t.step("last_round: the newest round with its awards", async () => {
      const r = await call(commandBody("et", sub("last_round")));
      assert.match(r.data.embeds[0].title, /^Round 2 · /);
      assert.match(r.data.embeds[1].title, /^🏅 Awards · /);
      assert.match(text(r), /📊 Round summary[\s\S]*\d+ players · \d+ kills · \d+ deaths/);
      assert.match(text(r), /⭐ MVP: \*\*Player\d+\*\*/);
    });
    await t.step("sessions, teams", async () => {
      const s = await call(commandBody("et", sub("sessions")));
      assert.equal((s.data.embeds[0].description.match(/rounds ·/g) ?? []).length, 2);
      const teams = await call(commandBody("et", sub("teams")));
      assert.equal(teams.data.embeds[0].fields.length, 2);
      assert.match(teams.data.embeds[0].fields[0].name, /^Team Player\d+ · \d+ points$/);
      const none = await call(commandBody("et", sub("teams", [{ name: "date", value: "1999-01-01" }])));
      assert.match(none.data.content, /No session started on 1999-01-01/);
    });
    await t.step("rank, weapons, consistency, nemesis for a player", async () => {
      const rank = await call(commandBody("et", sub("rank", [{ name: "player", value: a.name }])));
      assert.match(rank.data.embeds[0].description, /`Kills\s*` #\d+ of \d+/);
      const w = await call(commandBody("et", sub("weapons", [{ name: "player", value: a.name }])));
      assert.match(w.data.embeds[0].description, /kills · \d+ deaths · \d+\.\d% \(\d+\/\d+\) · \d+ HS/);
      const cons = await call(commandBody("et", sub("consistency", [{ name: "player", value: a.name }])));
      assert.match(cons.data.embeds[0].description, /DPM \d+ ± \d+ \(spread \d+%\)/);
      const n = await call(commandBody("et", sub("nemesis", [{ name: "player", value: a.name }])));
      assert.equal(n.data.embeds[0].fields[0].name, "Killed by most");
      assert.match(n.data.embeds[0].fields[0].value, /\*\*Player\d+\*\* \d+×/);
      const nobody = await call(commandBody("et", sub("rank")));
      assert.match(nobody.data.content, /link yourself first/);
    });
    await t.step("matchup and duo", async () => {
      const m = await call(
        commandBody("et", sub("matchup", [{ name: "a", value: a.name }, { name: "b", value: b.name }])),
      );
      assert.match(m.data.embeds[0].description, /⚔️ [1-9]\d* rounds against each other/);
      assert.match(m.data.embeds[0].description, /VS stats: .* killed .* \d+×/);
      const d = await call(
        commandBody("et", sub("duo", [{ name: "a", value: a.name }, { name: "b", value: c.name }])),
      );
      assert.match(d.data.embeds[0].description, /🤝 [1-9]\d* rounds together · won \d+, lost \d+/);
      const same = await call(
        commandBody("et", sub("duo", [{ name: "a", value: a.name }, { name: "b", value: a.name }])),
      );
      assert.match(same.data.content, /Pick two different players/);
    });
    await t.step("awards: newest round, a round by id, a player's count", async () => {
      const newest = await call(commandBody("et", sub("awards")));
      assert.match(text(newest), /Most damage given: \*\*Player\d+\*\*/);
      const id = `${files[0]!.name.slice(0, 17)}-${files[0]!.name.split("-")[4]}-r1`;
      const one = await call(commandBody("et", sub("awards", [{ name: "target", value: id }])));
      assert.match(one.data.embeds[0].footer.text, new RegExp(id));
      const p = await call(commandBody("et", sub("awards", [{ name: "target", value: a.name }])));
      assert.match(p.data.embeds[0].title, /awards$/);
      // The counts read in batches agree with each file's awards read one by one, over the rounds
      // that count for the player (the rounds of their stats).
      const guid = (await resolve(kv, a.name) as { guid: string }).guid;
      const counted = new Set((await playerRounds(kvReader(kv), guid)).map((e) => e.roundId));
      const won = new Map<string, number>();
      for (const e of (await listEndstats(kvReader(kv))).filter((e) => counted.has(e.roundId))) {
        for (const w of (await getRoundAwards(kvReader(kv), e.roundId))!.awards) {
          if (w.guid === guid) won.set(w.award, (won.get(w.award) ?? 0) + 1);
        }
      }
      assert.ok(won.size > 0, "the player won awards");
      const shown = p.data.embeds[0].description as string;
      for (const [award, n] of won) {
        assert.ok(shown.includes(`${n}× ${esc(award)}`), `${n}× ${award} in ${shown}`);
      }
      assert.equal(shown.split("\n").length, won.size);
    });
    await t.step("trends is deferred and answers with the last sessions", async () => {
      const r = await call(commandBody("et", sub("trends", [{ name: "player", value: a.name }])));
      assert.equal(r.type, 5);
      for (let i = 0; i < 200 && discord.edits.length === 0; i++) {
        await new Promise((res) => setTimeout(res, 25));
      }
      const edit = discord.edits.at(-1)!.body as { embeds: { title: string; description: string }[] };
      assert.match(edit.embeds[0]!.title, /last \d+ sessions/);
      // The chart rides along as a PNG, drawn server-side.
      assert.equal((edit.embeds[0] as { image?: { url: string } }).image?.url, "attachment://trends.png");
      const file = discord.edits.at(-1)!.files?.[0] as { name: string; data: Uint8Array } | undefined;
      assert.equal(file?.name, "trends.png");
      assert.deepEqual([...file!.data.slice(1, 4)], [80, 78, 71]);
    });
    await t.step(
      "admin: refused to members, exclude/include move the totals, failed lists refused files",
      async () => {
        const id = `${files[0]!.name.slice(0, 17)}-${files[0]!.name.split("-")[4]}-r1`;
        const no = await call(commandBody("et", admin("exclude", [{ name: "round", value: id }])));
        assert.equal(no.data.flags, 64);
        assert.match(no.data.content, /Only league admins/);
        const ex = await call(commandBody("et", admin("exclude", [{ name: "round", value: id }]), ADMIN));
        assert.match(
          ex.data.embeds[0].description,
          /Now excluded \(excluded by a league admin\)\. Totals and leaderboards moved/,
        );
        const inc = await call(commandBody("et", admin("include", [{ name: "round", value: id }]), ADMIN));
        assert.match(inc.data.embeds[0].description, /Now counted\./);
        const bad = await call(
          commandBody("et", admin("include", [{ name: "round", value: "nope" }]), ADMIN),
        );
        assert.match(bad.data.content, /There is no round "nope"/);
        const failed = await call(commandBody("et", admin("failed"), ADMIN));
        assert.equal(failed.data.flags, 64);
        assert.match(failed.data.embeds[0].description, /2025-01-01-200000-supply-round-1\.txt/);
        const ac = await call(
          autocompleteBody("et", admin("exclude", [{ name: "round", value: "r2", focused: true }]), ADMIN),
        );
        assert.ok(
          ac.data.choices.length > 0 &&
            ac.data.choices.every((x: { value: string }) => x.value.endsWith("-r2")),
        );
      },
    );
  } finally {
    kv.close();
  }
});

Deno.test("site: a player's weapons and form, a matchup, the awards: rendered, escaped, 404s that say why", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const files = [...generateEtlFiles(24, { seed: 8, players: 10, perRound: 6 })];
    const imp = new Importer(kv, { announce: false, now: () => NOW });
    const enc = new TextEncoder();
    for (const [i, f] of files.entries()) {
      await imp.importOne({ name: f.name, bytes: enc.encode(f.text) });
      const es = endstatsFor(f.name, f.text, { seed: i + 1 });
      await imp.importOne({
        name: es.name,
        bytes: enc.encode(es.text.replace("Most revives", "Most <i>revives</i>")),
      });
    }
    const lines = files[0]!.text.split("\n").slice(1).filter((l) => l.includes("\\"));
    const [ga, gb] = [
      lines[0]!.split("\\")[0]!,
      lines.find((l) => l.split("\\")[3] !== lines[0]!.split("\\")[3])!.split("\\")[0]!,
    ];
    const app = testApp(kv);
    const get = async (path: string, status = 200) => {
      const res = await app.request(path);
      const html = await res.text();
      assert.equal(res.status, status, `${path}: ${html.slice(0, 300)}`);
      return html;
    };
    assert.match(
      await get(`/etl/players/${ga}/weapons`),
      /<th scope="row">(mp40|thompson|luger|colt|sten|grenade|mg42|syringe)<\/th>/,
    );
    const form = await get(`/etl/players/${ga}/form`);
    assert.match(form, /<caption id="sessions">Last sessions<\/caption>/);
    assert.match(form, /A smaller spread is steadier/);
    const m = await get(`/etl/matchup?a=${ga}&b=${gb}`);
    assert.match(m, /rounds: .* won \d+, .* won \d+\./);
    assert.match(m, /On the same team/);
    const aw = await get("/etl/awards");
    assert.match(aw, /Most awards, latest \d+ rounds/);
    await get(`/etl/matchup?a=${ga}&b=${ga}`, 404);
    await get("/etl/players/ZZZZZZZZ/weapons", 404);
    assert.match(await get(`/etl/players/${ga}`), /\/weapons">Weapons<\/a>/);
  } finally {
    kv.close();
  }
});
