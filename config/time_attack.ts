/**
 * The time-attack area (issue 11): seasons of weekly events on one AC server; see
 * docs/time_attack.md. The schema, and what zod cannot check field by field.
 */
import { z } from "zod";
import { Emoji, lowerKeys, Snowflake, TimeZone, WallClock } from "./fields.ts";

const TaEvent = z.object({
  key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, "use letters, digits, - and _ (max 40)"),
  name: z.string().min(1).max(100).optional(),
  start: WallClock,
  end: WallClock.optional(),
  track: z.string().min(1).max(100),
  layout: z.string().max(100).default(""),
  cars: z.array(z.string().min(1).max(100)).min(1, "list at least one car"),
  counts: z.boolean().default(true),
  /** false: left out of the schedule (its leaderboard stays); default: by the season's hideFromSchedule. */
  listed: z.boolean().optional(),
}).strict();
const TaPoints = z.union([
  z.object({ rule: z.literal("ratio") }).strict(),
  z.object({ rule: z.literal("table").optional(), table: z.array(z.number().min(0)).min(1) }).strict(),
], { message: 'use {"rule": "ratio"} or {"table": [25, 18, 15, ...]}' });
const TaSeason = z.object({
  season: z.int().min(1),
  timeZone: TimeZone,
  dropWeeks: z.int().min(0).default(0),
  points: TaPoints.default({ rule: "ratio" }),
  /** Events whose key contains one of these words are not listed in the schedule (as the seed's). */
  hideFromSchedule: z.array(z.string().min(1).max(40)).max(20).default(["preseason"]),
  events: z.array(TaEvent).min(1).refine(
    (e) => new Set(e.map((x) => x.key)).size === e.length,
    { message: "event keys must be unique in a season" },
  ),
}).strict();
export type TaSeasonConfig = z.infer<typeof TaSeason>;
/** The `timeAttack` section: the server, its seasons, server switching, emoji and channels. */
export const TimeAttack = z.object({
  server: z.string().min(1),
  seasons: z.array(TaSeason).min(1).refine(
    (s) => new Set(s.map((x) => x.season)).size === s.length,
    { message: "season numbers must be unique" },
  ),
  /** Optional: switch the AC server to each event over SSH (crons/ta_server_switch.ts). */
  serverSwitch: z.object({
    host: z.string().min(1),
    port: z.int().min(1).max(65535).default(22),
    user: z.string().min(1),
    /** The environment variable holding the private key (OpenSSH or PEM text). */
    privateKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"),
    hostKeyFingerprint: z.string().regex(
      /^SHA256:[A-Za-z0-9+/]{43}$/,
      'as `ssh-keygen -lf` prints it: "SHA256:..."',
    ),
    /** The server's cfg folder, with server_cfg.ini and entry_list.ini. */
    cfgDir: z.string().min(1),
    /** Run after the files are written, e.g. "sudo systemctl restart acserver". */
    restartCommand: z.string().min(1),
    slots: z.int().min(1).max(100).default(24),
    name: z.string().min(1).max(200).optional(),
    /**
     * Before restarting: warn everyone in chat, wait `warnSeconds`, then kick everyone still on
     * (through the server's live-timing agent, docs/live.md). `{seconds}` in the message is replaced.
     */
    kickBeforeRestart: z.object({
      warnSeconds: z.int().min(0).max(900).default(60),
      message: z.string().min(1).max(200).default(
        "The server restarts for the next time-attack event in {seconds} seconds",
      ),
    }).strict().optional(),
  }).strict().optional(),
  /** Custom emoji shown before a car in the schedule: by car folder name, or by maker. */
  emoji: z.object({
    cars: z.record(z.string().min(1).max(100), Emoji).default({}).transform(lowerKeys),
    brands: z.record(z.string().min(1).max(60), Emoji).default({}).transform(lowerKeys),
  }).strict().default({ cars: {}, brands: {} }),
  channels: z.object({
    /** "Event changed" and final results. */
    events: Snowflake.optional(),
    /** The live leaderboard of the current event. */
    leaderboard: Snowflake.optional(),
    standings: Snowflake.optional(),
    schedule: Snowflake.optional(),
  }).strict().default({}),
}).strict();
export type TimeAttackConfig = z.infer<typeof TimeAttack>;

/**
 * What zod cannot see field by field in `timeAttack`: the server exists and runs AC, events are
 * in order. One sentence per problem; none without a `timeAttack` section.
 */
export function checkTimeAttack(
  file: { servers: readonly { id: string; game: string }[]; timeAttack?: TimeAttackConfig | undefined },
): string[] {
  const ta = file.timeAttack;
  if (!ta) return [];
  const out: string[] = [];
  const server = file.servers.find((s) => s.id === ta.server);
  if (!server) out.push(`timeAttack.server: "${ta.server}" is not one of servers[].id`);
  else if (server.game !== "ac") {
    out.push(`timeAttack.server: "${ta.server}" is an ${server.game} server, not ac`);
  }
  for (const [i, season] of ta.seasons.entries()) {
    const at = (t: string) =>
      Temporal.PlainDateTime.from(t).toZonedDateTime(season.timeZone).epochMilliseconds;
    for (const [j, e] of season.events.entries()) {
      const where = `timeAttack.seasons[${i}].events[${j}]`;
      if (e.end !== undefined && at(e.end) <= at(e.start)) out.push(`${where}.end: must be after its start`);
      const next = season.events[j + 1];
      if (next && at(next.start) <= at(e.start)) {
        out.push(`${where}: list events in start order ("${next.key}" starts before "${e.key}")`);
      } else if (next && e.end !== undefined && at(e.end) > at(next.start)) {
        out.push(`${where}.end: "${e.key}" ends after "${next.key}" starts`);
      }
    }
  }
  return out;
}
