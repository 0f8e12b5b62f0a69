/**
 * Each test on the real samples, and the test that covers the same behaviour on files the project
 * generates (its "fixture twin"). Without samples a test with a twin is not registered (its twin
 * runs); one without (null: not covered on fixtures yet) is skipped loudly, and `.ci/run`
 * fails a fresh clone's run on any skipped test that is not listed here as null.
 */
export const SAMPLE_TWINS: Record<string, string | null> = {
  // tests/etl/zones_test.ts
  "ET:Legacy samples on a Paris server: every session's time on /etl is its page's, in CET or CEST":
    "tests/etl/zones_test.ts",
  // tests/site/driver_sessions_test.ts
  "Every entrant of the real ACC and AC samples has a driver page listing their sessions":
    "tests/site/driver_sessions_test.ts",
  // tests/best_lap_test.ts
  "Spa Q2 (sample): P2's best lap reads 40.447 + 59.797 + 36.260; P1's lap is credited to its fourth driver":
    "tests/best_lap_test.ts",
  // tests/people/aliases_test.ts
  "mergeIdentities() on the real Brands Hatch files: Federico Siv holds 🥇 only, not 🥇 and 🥉":
    "tests/people/aliases_test.ts",
  // tests/ta/site_test.ts
  "GET /ta shows the schedule, each event's leaderboard and the standings": "tests/ta/season_fixture_test.ts",
  // tests/ta/api_test.ts
  "GET /api/ta/seasons/:season/events/:key and /standings on the real samples":
    "tests/ta/season_fixture_test.ts",
  // tests/ta/commands_test.ts
  "/standings, /schedule, /event and /ta pb answer from the stored laps": null,
  // tests/ta/commands_test.ts
  "the ta commands answer what the member can fix in one ephemeral sentence": null,
  // tests/ta/commands_test.ts
  "/ta pb autocompletes AC drivers from the name index": null,
  // tests/ta/standings_test.ts
  "computeStandings() on the real samples: preseason scores nothing": "tests/ta/season_fixture_test.ts",
  // tests/ta/boards_test.ts
  "seasonBoards() ranks the real AC samples by event: window, track, layout, cuts and cars":
    "tests/ta/season_fixture_test.ts",
  // tests/ta/boards_test.ts
  "seasonBoards() ignores files from other servers": "tests/ta/season_fixture_test.ts",
  // tests/ta/replies_test.ts
  "the ta replies show standings, schedule, an event and a driver's bests": null,
  // tests/etl/site_test.ts
  "the ET:Legacy pages over the real samples": null,
  // tests/etl/slomix_test.ts
  "every sample against Slomix's parser: same rounds, pairs, orphans and per-player counts": null,
  // tests/etl/api_test.ts
  "/api/etl over the real samples": null,
  // tests/etl/commands_test.ts
  "/et over the real samples, through signed interactions": null,
  // tests/etl/handlers_test.ts
  "/et answers over the real samples": null,
  // tests/etl/cron_test.ts
  "etlSessionEnd() announces an evening once, 60 minutes (as configured) after its last round":
    "tests/etl/cron_test.ts",
  // tests/etl/cron_test.ts
  "etlSessionEnd() never announces a backfilled evening, and two runs at once announce once":
    "tests/etl/cron_fixture_test.ts",
  // tests/etl/embeds_test.ts
  "roundEmbed(), mapResultEmbed() and sessionEmbed() on a real evening stay within Discord's limits":
    "tests/etl/embeds_fixture_test.ts",
  // tests/etl/endstats_test.ts
  "endstats on a real round, before and after it: names resolve to the sample's GUIDs":
    "tests/etl/endstats_test.ts",
  // tests/etl/announce_test.ts
  "a round post per round and the map result after round 2, delivered once each to the etl channel":
    "tests/etl/announce_fixture_test.ts",
  // tests/etl/announce_test.ts
  "an R2 that arrives first is posted as it is; its R1 brings the map result; the session summary once":
    "tests/etl/announce_fixture_test.ts",
  // tests/etl/exclusion_test.ts
  "a restarted R1 (2025-10-17 supply) is kept but not counted, in either order; an admin can include it":
    "tests/etl/exclusion_test.ts",
  // tests/etl/store_test.ts
  "the whole sample set in time order: 50 R1, 36 paired R2, 10 orphans, 1 rejected (doc §11)":
    "tests/etl/quirks_store_test.ts",
  // tests/etl/store_test.ts
  "round 2 before round 1, and the whole set in random orders, store the same stats":
    "tests/etl/quirks_store_test.ts",
  // tests/etl/store_test.ts
  "group commits (importMany) store exactly what one commit per file stores":
    "tests/etl/quirks_store_test.ts",
  // tests/etl/store_test.ts
  "an R2 stored before its R1 is recomputed when the R1 arrives, in the same commit":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "special case: a restarted R1 — the R2 pairs with the later R1, whichever arrives last":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "special case: a pair across midnight pairs (the previous day is searched)": "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "special case: the same map three times in one evening pairs each R2 with the latest R1":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "special case: a reconnect during R2 (counters lower than R1) uses the raw R2 line":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "special case: a player only in R2 counts from R2; a player moved to spectator has a zero differential":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "special case: a name change between R1 and R2 — the newest name wins, in either order":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "special case: an orphan R2 (bogus 71:05 actual time) is stored raw, marked, and not counted":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "special case: f25 far above f22 — time dead is capped to time played": "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "f23 (tank/meatshield) is per round: Podium copies R2's value where Slomix subtracts R1's (its bug)":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "time played is rounded to whole seconds: Slomix truncates 4.1*60 to 245, Podium says 246":
    "tests/etl/quirks_test.ts",
  // tests/etl/store_test.ts
  "sessions: 27 over the samples, the same in any import order, split at 60-minute gaps (doc §6.1)":
    "tests/etl/quirks_store_test.ts",
  // tests/etl/store_test.ts
  "stopwatch map results match Slomix's on all 36 scored pairs (25 0-2, 9 2-0, 2 double full holds)": null,
  // tests/etl/store_test.ts
  "sessionScore() keeps teams across the side swap: an evening's points add up per roster":
    "tests/etl/quirks_store_test.ts",
  // tests/etl/store_test.ts
  "two importers on one store, R1 and R2 at the same moment: the R2 still pairs":
    "tests/etl/quirks_store_test.ts",
  // tests/etl/store_test.ts
  "every key an ET:Legacy import writes is under a prefix kv/keys.ts gives to etl (or core, delivery)":
    "tests/etl/quirks_store_test.ts",
  // tests/etl/parse_test.ts
  "etlFormat reads every real sample: 96 rounds, the header-only file rejected with its reason":
    "tests/etl/quirks_test.ts",
  // tests/etl/parse_test.ts
  "parseEtlText() matches the doc's worked example (§3.2): bronze. in adlernest R1":
    "tests/etl/quirks_test.ts",
  // tests/etl/parse_test.ts
  "special case: old Lua builds (33/36/37 TAB fields) read with the missing fields as 0":
    "tests/etl/quirks_test.ts",
  // tests/etl/parse_test.ts
  "special case: a 1-player warm-up (defaultpublic, all damage 0) is stored": "tests/etl/quirks_test.ts",
  // tests/etl/parse_test.ts
  "special case: R2 nextTimeLimit 0:00 reads as 0 (unknown), never a crash": "tests/etl/quirks_test.ts",
  // tests/etl/parse_test.ts
  "special case: a bogus cumulative actual time (12:00\\71:05) is read as written":
    "tests/etl/quirks_test.ts",
  // tests/etl/parse_test.ts
  "special case: colour codes Slomix does not strip (^/, ^?) are stripped (Podium differs on purpose)":
    "tests/etl/quirks_test.ts",
  // tests/etl/parse_test.ts
  "special case: names with spaces and punctuation survive": "tests/etl/quirks_test.ts",
  // tests/acc_test.ts
  "accFormat.parse() reads the kyalami endurance race: DSQ last, multi-driver laps, GT3 and GT4":
    "tests/acc_quirks_test.ts",
  // tests/acc_test.ts
  "accFormat.parse() reads the UTF-8 nurburgring demo with 5 DSQs kept in place": "tests/acc_quirks_test.ts",
  // tests/acc_test.ts
  "accFormat.parse() reads 2019 files: year-suffixed track, no server name, unknown-car laps":
    "tests/acc_quirks_test.ts",
  // tests/acc_test.ts
  "accFormat.parse() skips the empty samples and rejects the damaged one": "tests/acc_quirks_test.ts",
  // tests/acc_test.ts
  "accFormat.parse() gives every ACC sample a verdict and agrees with the game's own timing":
    "tests/acc_quirks_test.ts",
  // tests/samples_import_test.ts
  "every ACC and AC sample is imported, skipped or rejected with a reason": "tests/acc_quirks_test.ts",
  // tests/samples_import_test.ts
  "importing the samples twice changes nothing the second time": "tests/acc_quirks_test.ts",
  // tests/samples_import_test.ts
  "a disqualified car keeps its classification but never reaches the board (kyalami)": "tests/apply_test.ts",
  // tests/samples_import_test.ts
  "multi-driver cars credit each lap to the driver who drove it (spa Q)": "tests/acc_test.ts",
  // tests/samples_import_test.ts
  "AC samples: cut laps never count, tracks are name@config, races are announced": "tests/ac_test.ts",
  // tests/ac_test.ts
  "acFormat.parse() reads 2019_2_15_22_3_QUALIFY.json: layout, 2 sectors, cuts": "tests/ac_test.ts",
  // tests/ac_test.ts
  "acFormat.parse() skips the 12 empty slots of tyre.info.json": "tests/ac_test.ts",
  // tests/ac_test.ts
  "acFormat.parse() keeps one car per driver in duplicate.result.info.for.miguel.json": "tests/ac_test.ts",
  // tests/ac_test.ts
  "acFormat.parse() reads race.changed.with.null.events.json and keeps laps of departed drivers":
    "tests/ac_test.ts",
  // tests/ac_test.ts
  "acFormat.parse() gives every AC sample a verdict and never throws": "tests/acc_quirks_test.ts",
  // tests/numbers/iracing_test.ts
  "maskSecret() is base64(sha256(secret + lower-cased id))": "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "getLeague() logs in once, follows the link without the bearer token and keeps numbers as text":
    "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "get() follows link and then data_url (league roster, three hops)": "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "an expired access token is refreshed, not a new login; a refresh token works once":
    "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "a refresh that fails once (503 after spending the token) ends in one login and a good answer":
    "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "a refresh refused as invalid_grant falls back to one login": "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "a 401 on a data call renews the token and retries once": "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "403, 503 and CloudFront's 504 page become clear errors": "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "x-ratelimit-remaining 0 stops calls until the reset; 429 is an error with the reset time":
    "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "full logins: iRacing's 429 and the client's own hourly budget": "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "wrong credentials name the variables to check": "tests/numbers/iracing_test.ts",
  // tests/numbers/iracing_test.ts
  "concurrent calls in one process share one login": "tests/numbers/iracing_test.ts",
  // tests/numbers/fake_iracing_test.ts
  "the fake iRacing keeps iRacing's rules: masking, form encoding, bearer tokens, S3 hops":
    "tests/numbers/fake_iracing_test.ts",
  // tests/numbers/cron_test.ts
  "syncIracingRosters() syncs every guild with a league; one failure does not stop the others":
    "tests/numbers/cron_test.ts",
  // tests/numbers/discord_test.ts
  "/sync against the fake iRacing, with /link iracing, then /syncstatus": "tests/numbers/discord_test.ts",
  // tests/numbers/sync_test.ts
  "syncGuild() verifies matching claims and reports each kind of conflict once": "tests/numbers/sync_test.ts",
  // tests/numbers/sync_test.ts
  "syncGuild() records an iRacing failure as a failed run and keeps the last conflicts":
    "tests/numbers/sync_test.ts",
  // tests/numbers/sync_test.ts
  "syncGuild() while claims land: a released claim is not brought back, a new one is kept":
    "tests/numbers/sync_test.ts",
  // tests/numbers/sync_test.ts
  "syncGuild() verifies the links of claimants found on the roster, once, and audits it":
    "tests/numbers/sync_test.ts",
  // tests/numbers/iracing_shapes_test.ts
  "the generated iRacing answers have the samples' shapes (keys and types)":
    "tests/numbers/iracing_shapes_test.ts",
  // tests/transport/complete_file_push_test.ts
  "a round stored from the first 60 % of a real gamestats file is replaced by the complete file":
    "tests/transport/complete_file_push_test.ts",
  // tests/transport/complete_file_agent_test.ts
  "agent: a real gamestats file sent 60 % written is replaced by the complete file, posted once":
    "tests/transport/complete_file_agent_test.ts",
};
