import assert from "node:assert/strict";
import { acNames, parseUiJson, readableId, trackNameFromUi } from "@/games/ac/names.ts";
import { flagEmoji } from "@/games/ac/countries.ts";
import { readAcContent, sendAcContent } from "@/agent/ac_content.ts";
import { loadAcNames } from "@/kv/ac_content/names.ts";
import { parseConfigFile } from "@/config.ts";
import { configWith, pushApp } from "@/tests/transport/_push.ts";
import { acFile, importFiles } from "@/tests/ta/_ta.ts";

Deno.test("acNames() gives Kunos tracks, layouts and cars their own names, countries and makers", () => {
  const n = acNames();
  assert.deepEqual(n.track("ks_red_bull_ring", "layout_national"), {
    name: "Red Bull Ring National",
    country: "Austria",
    flag: "🇦🇹",
  });
  assert.equal(n.track("KS_Nordschleife", "Touristenfahrten").name, "Nordschleife Tourist");
  assert.equal(n.track("spa").name, "Spa");
  assert.equal(n.track("spa").flag, "🇧🇪");
  assert.equal(n.track("ks_vallelunga", "layout_9").name, "Vallelunga (9)", "a layout Kunos does not have");
  assert.deepEqual(n.car("ks_porsche_911_gt3_cup_2017"), {
    name: "Porsche 911 GT3 Cup 2017",
    brand: "Porsche",
    country: "Germany",
  });
  assert.equal(n.car("ks_mazda_mx5_cup").brand, "Mazda");
  // A Kunos car missing from the name table still gets its maker and a readable name.
  assert.deepEqual(n.car("ks_bmw_m8_gte"), { name: "BMW M8 GTE", brand: "BMW", country: "Germany" });
  // A mod with nothing known: the folder name made readable, no flag.
  assert.deepEqual(n.track("bs_lagunaseca"), { name: "Bs Lagunaseca", flag: "" });
  assert.equal(readableId("rss_formula_rss_4"), "Rss Formula Rss 4");
});

Deno.test("acNames() takes the first source's name, then Kunos's", () => {
  const cfg = { tracks: { "ks_laguna_seca": { name: "Mazda Raceway" } }, cars: {} };
  const agent = {
    tracks: {
      ks_laguna_seca: { name: "From the agent" },
      "road_atlanta2018@shortcourse": { name: "Road Atlanta Short", country: "USA" },
    },
    cars: {},
  };
  const n = acNames(cfg, agent);
  assert.equal(n.track("ks_laguna_seca").name, "Mazda Raceway");
  assert.deepEqual(n.track("Road_Atlanta2018", "SHORTCOURSE"), {
    name: "Road Atlanta Short",
    country: "USA",
    flag: "🇺🇸",
  });
  assert.equal(n.track("road_atlanta2018", "full").name, "Road Atlanta2018 (Full)");
});

Deno.test("parseUiJson() forgives what hand-written ui_track.json files get wrong", () => {
  const messy =
    '\uFEFF{\n\t"name": "Laguna\tSeca",\n\t"description": "line one\nline two",\n\t"country": "USA",\n}';
  assert.deepEqual(trackNameFromUi(parseUiJson(messy)!), { name: "Laguna Seca", country: "USA" });
  assert.equal(parseUiJson("not json at all"), null);
  assert.equal(parseUiJson("[1, 2]"), null);
  assert.equal(trackNameFromUi({ name: "" }), null);
  assert.equal(flagEmoji("Great Britain"), "🇬🇧");
  assert.equal(flagEmoji("Narnia"), "");
});

/** A generated AC `content` folder: a mod track with layouts, one without, a mod car, junk. */
async function contentFolder(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "podium-ac-content-" });
  const write = async (path: string, text: string) => {
    await Deno.mkdir(`${dir}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  };
  await write(
    "tracks/bs_lagunaseca/ui/ui_track.json",
    '{"name": "WeatherTech Raceway\tLaguna Seca", "country": "USA",}',
  );
  await write(
    "tracks/road_atlanta2018/ui/full/ui_track.json",
    JSON.stringify({ name: "Road Atlanta", country: "USA" }),
  );
  await write(
    "tracks/road_atlanta2018/ui/shortcourse/ui_track.json",
    JSON.stringify({ name: "Road Atlanta Short Course" }),
  );
  await write("tracks/broken/ui/ui_track.json", "{ nope");
  await write(
    "cars/rss_formula_rss_4/ui/ui_car.json",
    JSON.stringify({ name: "Formula RSS 4", brand: "RSS", country: "Italy", specs: { bhp: "200" } }),
  );
  return dir;
}

Deno.test("readAcContent() reads every layout's and car's names from a content folder", async () => {
  const dir = await contentFolder();
  try {
    assert.deepEqual(await readAcContent(dir), {
      tracks: {
        bs_lagunaseca: { name: "WeatherTech Raceway Laguna Seca", country: "USA" },
        "road_atlanta2018@full": { name: "Road Atlanta", country: "USA" },
        "road_atlanta2018@shortcourse": { name: "Road Atlanta Short Course" },
      },
      cars: { rss_formula_rss_4: { name: "Formula RSS 4", brand: "RSS", country: "Italy" } },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sendAcContent() sends a mod's names signed; every reader then shows them", async () => {
  const dir = await contentFolder();
  const kv = await Deno.openKv(":memory:");
  Deno.env.set("PODIUM_SECRET_AC_TA", "content-secret");
  const config = configWith([{ id: "ac-ta", game: "ac", timeZone: "UTC" }, {
    id: "acc-eu",
    game: "acc",
    timeZone: "UTC",
  }]);
  const { app } = pushApp(kv, { now: new Date(), config });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const hub = `http://127.0.0.1:${server.addr.port}`;
  const logs: string[] = [];
  const target = { hub, server: "ac-ta", dir, secret: "content-secret", log: (l: string) => logs.push(l) };
  try {
    assert.equal((await loadAcNames(kv, config)).track("bs_lagunaseca").name, "Bs Lagunaseca");
    const sent = await sendAcContent(target, null);
    assert.ok(sent, logs.join("\n"));
    assert.match(logs[0]!, /content names sent: 4 track layout\(s\) and car\(s\), 4 new or changed/);
    const names = await loadAcNames(kv, config);
    assert.deepEqual(names.track("bs_lagunaseca"), {
      name: "WeatherTech Raceway Laguna Seca",
      country: "USA",
      flag: "🇺🇸",
    });
    assert.equal(names.track("road_atlanta2018", "shortcourse").name, "Road Atlanta Short Course");
    assert.equal(names.car("rss_formula_rss_4").brand, "RSS");
    // The racing side's AC tracks too: the API keeps the folder id beside the name.
    await importFiles(kv, config, [
      acFile({
        at: "2026-01-02T20:00",
        track: "bs_lagunaseca",
        laps: [{ guid: "9", car: "rss_formula_rss_4", ms: 80_000 }],
      }),
    ]);
    const tracks = await (await app.request("/api/tracks")).json();
    assert.deepEqual(tracks.map((t: { track: string; name: string }) => [t.track, t.name]), [
      ["bs_lagunaseca", "WeatherTech Raceway Laguna Seca"],
    ]);
    const page = await (await app.request("/tracks")).text();
    assert.match(page, /WeatherTech Raceway Laguna Seca/);
    // Unchanged folder: nothing sent. A wrong secret: refused, nothing stored.
    assert.equal(await sendAcContent(target, sent), sent);
    assert.equal(logs.length, 1);
    await Deno.writeTextFile(`${dir}/tracks/bs_lagunaseca/ui/ui_track.json`, '{"name": "Laguna Seca (mod)"}');
    assert.equal(await sendAcContent({ ...target, secret: "wrong" }, sent), sent);
    assert.match(logs[1]!, /HTTP 401 Wrong signature/);
    assert.equal(
      (await loadAcNames(kv, config)).track("bs_lagunaseca").name,
      "WeatherTech Raceway Laguna Seca",
    );
    // Only AC servers may send names.
    Deno.env.set("PODIUM_SECRET_ACC_EU", "acc-secret");
    assert.equal(await sendAcContent({ ...target, server: "acc-eu", secret: "acc-secret" }, null), null);
    assert.match(logs[2]!, /HTTP 422 Server "acc-eu" is not an AC server/);
    // The config's names come first.
    const named = {
      ...config,
      names: parseConfigFile({ names: { tracks: { BS_LAGUNASECA: { name: "Laguna" } } } }, "t").names,
    };
    assert.equal((await loadAcNames(kv, named)).track("bs_lagunaseca").name, "Laguna");
  } finally {
    await server.shutdown();
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
