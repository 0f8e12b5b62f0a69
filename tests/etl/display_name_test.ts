/** `/et name` and `/et admin name` through signed interactions, and the names on pages, posts and the API. */
import assert from "node:assert/strict";
import { etSet } from "@/discord/et/commands.ts";
import { generateEtlFiles } from "@/fixtures/gen_etl.ts";
import { endstatsFor } from "@/fixtures/gen_etl_endstats.ts";
import { listEtlPlayers } from "@/kv/etl/players.ts";
import { Importer } from "@/ingest/importer.ts";
import { getRoundAwards, listEndstats } from "@/kv/etl/endstats.ts";
import { foldName, validateDisplayName } from "@/kv/etl/display_names.ts";
import { getRoundView, getSessionView } from "@/kv/etl/views.ts";
import { listSessions } from "@/kv/etl/sessions.ts";
import { listPeopleAudit, mergeIdentities } from "@/kv/people/merge.ts";
import { kvReader } from "@/kv/reader.ts";
import {
  adminSubcommand,
  autocompleteBody,
  commandBody,
  makeSigner,
  subcommand,
} from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";
import { roundEmbed } from "@/discord/et/embeds.ts";
import { testApp } from "@/tests/_app.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);
const sub = subcommand, admin = adminSubcommand;
const A = { userId: "200000000000000011", permissions: "0" };
const B = { userId: "200000000000000012", permissions: "0" };
const ADMIN = { userId: "200000000000000077", permissions: "8" };

Deno.test("validateDisplayName(): cleaned, 2-32 characters, no mentions, markup or colour codes, not a GUID", () => {
  assert.deepEqual(validateDisplayName("  Ace\u202e  of\u0000 Spades "), { name: "Ace of Spades" });
  for (const bad of ["x", "a".repeat(33), "<@123456>", "@everyone", "^1Red", "2B5938F5", "`x`", "!!!"]) {
    assert.ok("error" in validateDisplayName(bad), bad);
  }
  assert.deepEqual(validateDisplayName("**Bold** & _co_"), { name: "**Bold** & _co_" });
  assert.equal(foldName("ＡCE  of spades"), foldName("ace of Spades"));
});

Deno.test("/et name: a member's display name on pages, posts, replies and the API; admins lock it", async (t) => {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  try {
    const files = [...generateEtlFiles(12, { seed: 5, players: 8, perRound: 6 })];
    const imp = new Importer(kv, { announce: false, now: () => NOW });
    const enc = new TextEncoder();
    for (const [i, f] of files.entries()) {
      await imp.importOne({ name: f.name, bytes: enc.encode(f.text) });
      const es = endstatsFor(f.name, f.text, { seed: i + 1 });
      await imp.importOne({ name: es.name, bytes: enc.encode(es.text) });
    }
    const players = (await listEtlPlayers(kvReader(kv))).sort((x, y) => y.totals.rounds - x.totals.rounds);
    const [a, b] = [players[0]!, players[1]!];
    const app = interactionsApp(testDeps(kv, discordConfig(signer.publicKeyHex)), [etSet]);
    const api = testApp(kv);
    const call = async (body: unknown) => {
      const res = await signer.post(app, body, { timestamp: NOW_S });
      assert.equal(res.status, 200, await res.clone().text());
      const json = await res.json();
      assert.deepEqual(json.data?.allowed_mentions ?? { parse: [] }, { parse: [] });
      return json;
    };
    const name = (display?: string) =>
      sub("name", display === undefined ? [] : [{ name: "display", value: display }]);

    await t.step("unlinked members are told to link first", async () => {
      const r = await call(commandBody("et", name("Ace of Spades"), A));
      assert.match(r.data.content, /Link yourself to your ET:Legacy player first/);
    });
    await call(commandBody("et", sub("link", [{ name: "player", value: a.guid }]), A));
    await call(commandBody("et", sub("link", [{ name: "player", value: b.guid }]), B));

    await t.step("bad names get a clear answer and change nothing", async () => {
      for (const bad of ["<@200000000000000012>", "@here", "x", "^1Red"]) {
        const r = await call(commandBody("et", name(bad), A));
        assert.equal(r.data.flags, 64);
        assert.match(r.data.content, /A display name (cannot|has|needs)/, bad);
      }
      const taken = await call(commandBody("et", name(b.name.toUpperCase()), A));
      assert.match(taken.data.content, new RegExp(`another player's name in game \\(\`${b.guid}\`\\)`));
      const p = await (await api.request(`/api/etl/players/${a.guid}`)).json();
      assert.equal(p.name, a.name);
    });

    await t.step(
      "set: every read shows it, the GUID stays, the files' name is kept as gameName",
      async () => {
        // A warm /et top first: the cached answer must not outlive the change.
        const topBefore = await call(commandBody("et", sub("top", [{ name: "metric", value: "rounds" }]), A));
        assert.ok(JSON.stringify(topBefore).includes(a.name));
        const r = await call(commandBody("et", name("  **Ace** & \u202eCo  "), A));
        assert.equal(r.data.flags, 64);
        assert.equal(
          r.data.content,
          `Your ET:Legacy display name is now **\\*\\*Ace\\*\\* & Co** (\`${a.guid}\`): on pages, posts and replies from now on`,
        );
        const p = await (await api.request(`/api/etl/players/${a.guid}`)).json();
        assert.deepEqual([p.guid, p.name, p.nameRaw, p.gameName], [
          a.guid,
          "**Ace** & Co",
          "**Ace** & Co",
          a.name,
        ]);
        const lb = await (await api.request(`/api/etl/leaderboard?metric=rounds&limit=50`)).json();
        assert.ok(
          lb.rows.some((x: { guid: string; name: string }) => x.guid === a.guid && x.name === "**Ace** & Co"),
        );
        const sv = (await listSessions(kv)).find((x) => x.rounds.length > 0)!;
        const s = (await getSessionView(kv, sv.id))!;
        assert.ok(s.players.some((x) => x.guid === a.guid && x.name === "**Ace** & Co"));
        // Posts: the round embed escapes it.
        const mine = (await Promise.all(s.roundIds.map((id) => getRoundView(kv, id))))
          .find((x) => x!.players.some((p) => p.guid === a.guid))!;
        assert.match(JSON.stringify(roundEmbed(mine)), /\\\\\*\\\\\*Ace\\\\\*\\\\\* & Co/);
        // Awards still resolve the files' name (the endstats files carry it), and show the display name.
        const won = [];
        for (const e of await listEndstats(kvReader(kv))) {
          won.push(
            ...(await getRoundAwards(kvReader(kv), e.roundId))!.awards.filter((x) => x.guid === a.guid),
          );
        }
        assert.ok(won.length > 0, "the player won awards");
        assert.ok(won.every((x) => x.name === "**Ace** & Co"));
        // Replies: /et stats and a fresh /et top.
        const st = await call(commandBody("et", sub("stats"), A));
        assert.match(st.data.embeds[0].title, /\\\*\\\*Ace\\\*\\\* & Co/);
        const top = await call(commandBody("et", sub("top", [{ name: "metric", value: "rounds" }]), A));
        assert.ok(JSON.stringify(top).includes("\\\\*\\\\*Ace\\\\*\\\\* & Co"), "the cached top was dropped");
        // The site escapes it.
        const html = await (await api.request(`/etl/players/${a.guid}`)).text();
        assert.ok(html.includes("**Ace** &amp; Co"));
        // Autocomplete finds the player by either name.
        for (const typed of ["ace", a.name]) {
          const ac = await call(
            autocompleteBody("et", sub("stats", [{ name: "player", value: typed, focused: true }]), A),
          );
          assert.equal(ac.data.choices[0].value, a.guid, typed);
        }
      },
    );

    await t.step("unique among display names, whatever the case or spacing", async () => {
      const r = await call(commandBody("et", name("**ace**   &  co"), B));
      assert.match(
        r.data.content,
        new RegExp(`Another player goes by that display name \\(\`${a.guid}\`\\)`),
      );
      // The owner may re-case their own.
      const again = await call(commandBody("et", name("**ACE** & Co"), A));
      assert.match(again.data.content, /is now/);
    });

    await t.step("an admin's name is locked; only an admin clears it", async () => {
      const no = await call(commandBody("et", admin("name", [{ name: "player", value: a.guid }]), A));
      assert.match(no.data.content, /Only league admins/);
      const set = await call(
        commandBody(
          "et",
          admin("name", [{ name: "player", value: a.guid }, { name: "display", value: "Admin Pick" }]),
          ADMIN,
        ),
      );
      assert.match(set.data.content, /is now \*\*Admin Pick\*\*.*\(locked/);
      const mine = await call(commandBody("et", name("Mine"), A));
      assert.match(
        mine.data.content,
        /A league admin set your display name to \*\*Admin Pick\*\* and locked it/,
      );
      assert.equal((await (await api.request(`/api/etl/players/${a.guid}`)).json()).name, "Admin Pick");
      await call(commandBody("et", admin("name", [{ name: "player", value: a.guid }]), ADMIN));
      const now = await call(commandBody("et", name("Mine"), A));
      assert.match(now.data.content, /is now \*\*Mine\*\*/);
    });

    await t.step(
      "a person's name (admin merge) shows until the member sets one; it covers all their GUIDs",
      async () => {
        await call(commandBody("et", name(), A));
        await mergeIdentities(kv, {
          identities: [{ kind: "etl", id: a.guid }, { kind: "etl", id: "DEADBEEF" }],
          name: "Merged Guy",
        }, {
          by: ADMIN.userId,
          now: NOW,
        });
        assert.equal((await (await api.request(`/api/etl/players/${a.guid}`)).json()).name, "Merged Guy");
        const r = await call(commandBody("et", name("Own Pick"), A));
        assert.match(r.data.content, new RegExp(`\`${a.guid}\`, \`DEADBEEF\``));
        assert.equal((await (await api.request(`/api/etl/players/${a.guid}`)).json()).name, "Own Pick");
        await call(commandBody("et", name(), A));
        assert.equal((await (await api.request(`/api/etl/players/${a.guid}`)).json()).name, "Merged Guy");
      },
    );

    await t.step("every change is in the audit log", async () => {
      const log = (await listPeopleAudit(kv, 50)).filter((e) => e.action === "name");
      assert.ok(log.length >= 7, String(log.length));
      assert.ok(log.some((e) => e.by === ADMIN.userId && /"Admin Pick" \(admin, locked\)/.test(e.summary)));
      assert.ok(log.some((e) => e.by === A.userId && e.summary.includes(`etl:${a.guid}`)));
    });
  } finally {
    kv.close();
  }
});
