/**
 * Configuration, read once at start: secrets and deployment settings from environment
 * variables, league settings (game servers, time zones, channels) from an optional JSON file
 * named by PODIUM_CONFIG. Anything wrong stops the process with the field and the problem.
 */
import { z } from "zod";
import { isValidTimeZone } from "@/lib/file_time.ts";
import type { IracingConfig } from "@/lib/iracing.ts";
import { DEFAULT_LAP_LIMITS } from "@/games/racing/laps.ts";

const TimeZone = z.string().refine(isValidTimeZone, {
  message: "not an IANA time zone (e.g. Europe/Berlin)",
});

const GameServer = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "use lower-case letters, digits, - and _ (max 40)"),
  game: z.enum(["acc", "ac", "etl"]),
  name: z.string().min(1).optional(),
  timeZone: TimeZone.default("UTC"),
  /** The variable holding the push secret, when not PODIUM_SECRET_<ID> (see ingest/push_auth.ts). */
  secretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name").optional(),
}).strict();
export type GameServer = z.infer<typeof GameServer>;

/**
 * The environment variable holding a game server's push secret: its `secretEnv`, else
 * `PODIUM_SECRET_<ID>` (upper-cased, anything but A-Z and 0-9 turned into `_`).
 */
export function pushSecretVariable(server: { id: string; secretEnv?: string | undefined }): string {
  return server.secretEnv ?? `PODIUM_SECRET_${server.id.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** A folder polled over SSH (ingest/ssh_poll.ts); files from it import as `server`'s. */
const SshSource = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "use lower-case letters, digits, - and _ (max 40)"),
  server: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "the game server id its files belong to"),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1),
  /** The environment variable holding the private key (OpenSSH/PEM text, or that text base64-encoded). */
  privateKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"),
  remoteDir: z.string().min(1),
  /** File names to fetch: * and ? wildcards, e.g. "*.txt". */
  pattern: z.string().min(1).default("*"),
  hostKeyFingerprint: z.string().regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    'as `ssh-keygen -lf` prints it: "SHA256:..."',
  ),
  timeZone: TimeZone.optional(),
}).strict();
export type SshSource = z.infer<typeof SshSource>;

const Snowflake = z.string().regex(/^\d{17,20}$/, "a Discord id is 17-20 digits");

// --- Time attack (issue 11): seasons of weekly events on one AC server; see docs/time_attack.md.
const WallClock = z.string().regex(
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/,
  "a wall-clock time such as 2025-11-08T00:00 (no offset: the season's timeZone applies)",
).refine(isRealDate, "not a real date");
function isRealDate(t: string): boolean {
  try {
    return Temporal.PlainDateTime.from(t, { overflow: "reject" }) !== null;
  } catch {
    return false;
  }
}
/** A Discord custom emoji (`<:porsche:123456789012345678>`) or a Unicode one. */
const Emoji = z.string().max(64).regex(
  /^(<a?:\w{2,32}:\d{17,20}>|(\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0f|[\u{E0020}-\u{E007F}]|[#*0-9]\u20e3)+)$/u,
  "a custom emoji as Discord writes it (<:name:id>) or an emoji character",
);
const lowerKeys = <T>(r: Record<string, T>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]));
/** Display names of AC content the Kunos table does not know (games/ac/names.ts). */
const ContentNames = z.object({
  /** By track folder name, or `track@layout` for one layout. */
  tracks: z.record(
    z.string().min(1).max(200),
    z.object({ name: z.string().min(1).max(100), country: z.string().min(1).max(60).optional() }).strict(),
  ).default({}).transform(lowerKeys),
  cars: z.record(
    z.string().min(1).max(100),
    z.object({
      name: z.string().min(1).max(100),
      brand: z.string().min(1).max(60).optional(),
      country: z.string().min(1).max(60).optional(),
    }).strict(),
  ).default({}).transform(lowerKeys),
}).strict();
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
const TimeAttack = z.object({
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

/** A person known in advance (kv/people/merge.ts applyAliases): their name and identities. */
const Alias = z.object({
  name: z.string().trim().min(1).max(100),
  /** ACC/AC driver ids: a playerId ("S7656..."), an AC GUID, or a name-only id ("acc:first-last"). */
  drivers: z.array(z.string().min(1).max(100)).default([]),
  /** ET:Legacy GUIDs. */
  etl: z.array(z.string().regex(/^[0-9A-Fa-f]{8,32}$/, "an ET:Legacy GUID (hex)")).default([]),
  /** iRacing customer ids. */
  iracing: z.array(z.union([z.int().min(1), z.string().regex(/^\d{1,12}$/)])).default([]),
}).strict().refine((a) => a.drivers.length + a.etl.length + a.iracing.length >= 2, {
  message: "an alias names two identities or more",
});

/** ET:Legacy settings (docs/etl.md "Rounds that do not count", "Posts"). */
const EtlSettings = z.object({
  /** Which rounds are kept but not counted; see games/etl/exclusion.ts. */
  exclude: z.object({
    restarts: z.boolean().default(true),
    bots: z.boolean().default(true),
    fillerMaps: z.array(z.string().min(1).max(50)).max(100).default(["mp_sillyctf"]),
  }).strict().default({ restarts: true, bots: true, fillerMaps: ["mp_sillyctf"] }),
  /** The session summary is posted this long after the last round (Slomix: 60). */
  sessionSummaryAfterMinutes: z.int().min(5).max(24 * 60).default(30),
  /** Team names for `/et teams` and the session summary, by a member's GUID (any member names it). */
  teamNames: z.record(z.string().regex(/^[0-9A-Fa-f]{8}$/, "an 8-hex GUID"), z.string().min(1).max(40))
    .default({}),
}).strict();
export type EtlSettings = z.infer<typeof EtlSettings>;

/** The optional JSON config file. */
export const ConfigFile = z.object({
  league: z.object({ name: z.string().min(1).max(100) }).strict().default({ name: "Podium" }),
  servers: z.array(GameServer).default([]).refine(
    (s) => new Set(s.map((x) => x.id)).size === s.length,
    { message: "server ids must be unique" },
  ).superRefine((servers, ctx) => {
    // Ids are used exactly: two that read one secret variable could push as each other.
    const seen = new Map<string, string>();
    for (const s of servers) {
      const variable = pushSecretVariable(s);
      const other = seen.get(variable);
      if (other !== undefined && other !== s.id) {
        ctx.addIssue({
          code: "custom",
          message: `"${other}" and "${s.id}" would share the push secret ${variable}: ` +
            "rename one, or give one its own secretEnv",
        });
      }
      seen.set(variable, s.id);
    }
  }),
  /** The plausible lap range (games/racing/laps.ts): laps outside it are stored invalid. */
  laps: z.object({
    floorMs: z.int().min(0).max(600_000).default(DEFAULT_LAP_LIMITS.floorMs),
    ceilingMs: z.int().min(1000).max(86_400_000).default(DEFAULT_LAP_LIMITS.ceilingMs),
  }).strict().refine((l) => l.floorMs < l.ceilingMs, { message: "floorMs must be under ceilingMs" })
    .default(DEFAULT_LAP_LIMITS),
  sshSources: z.array(SshSource).default([]).refine(
    (s) => new Set(s.map((x) => x.id)).size === s.length,
    { message: "SSH source ids must be unique" },
  ),
  discord: z.object({
    channels: z.object({
      records: Snowflake.optional(),
      results: Snowflake.optional(),
      /** ET:Legacy round posts, map results and session summaries. */
      etl: Snowflake.optional(),
      /** Link requests waiting for approval (docs/identities.md). */
      admin: Snowflake.optional(),
    }).strict().default({}),
    /** Role ids whose members may use admin commands (besides Administrator / Manage Guild). */
    adminRoles: z.array(Snowflake).max(50).optional(),
    /** A /link to an identity that holds records or numbers waits for an admin (channels.admin). */
    linkApproval: z.boolean().optional(),
  }).strict().default({ channels: {} }),
  timeAttack: TimeAttack.optional(),
  etl: EtlSettings.default({
    exclude: { restarts: true, bots: true, fillerMaps: ["mp_sillyctf"] },
    sessionSummaryAfterMinutes: 30,
    teamNames: {},
  }),
  /** AC content names (tracks, cars) beside Kunos's and what the agents send. */
  names: ContentNames.default({ tracks: {}, cars: {} }),
  /** People known in advance: a name and the identities it owns (docs/identities.md). */
  aliases: z.array(Alias).max(1000).optional(),
}).strict().refine((c) => !c.discord.linkApproval || c.discord.channels.admin !== undefined, {
  message: "discord.linkApproval needs discord.channels.admin (where requests are posted)",
  path: ["discord", "channels", "admin"],
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/** Discord credentials; all three or none. */
export interface DiscordConfig {
  applicationId: string;
  publicKey: string;
  botToken: string;
}

/** Everything the app needs, validated. */
export interface Config extends ConfigFile {
  port: number;
  /** A path, ":memory:", a KV Connect URL, or null for the platform default (Deno Deploy). */
  kvPath: string | null;
  /** PODIUM_CONFIG: the file read at start, watched for season edits (crons/ta_config.ts). */
  configPath?: string | null;
  /** The iRacing Data API account (IRACING_* variables), or null when the numbers sync is off. */
  iracing?: IracingConfig | null;
  /** PODIUM_NUMBERS=on: the numbers commands without an iRacing account (claims, no sync). */
  numbersEnabled?: boolean;
  /**
   * Whether delivery uses KV queues as wake-ups (PODIUM_QUEUES on, off or auto): auto is off on
   * Deno Deploy (no queues there yet) and over KV Connect (`listenQueue` does not work there).
   * Without them the minute cron delivers (discord/delivery.ts). Unset means on.
   */
  queues?: boolean;
  discord: ConfigFile["discord"] & {
    credentials: DiscordConfig | null;
    /** `DISCORD_API_BASE`: Discord's REST base URL (tests point it at the fake); default Discord's. */
    apiBase?: string;
  };
}

/** Configuration problems, each naming the variable or field; all of them at once, one a line. */
export class ConfigError extends Error {
  /** One sentence per problem. */
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(
      list.length === 1
        ? list[0]!
        : `${list.length} configuration problems:\n${list.map((p) => `- ${p}`).join("\n")}`,
    );
    this.problems = list;
  }
}

const DISCORD_VARS = ["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"] as const;

function issuePath(path: PropertyKey[]): string {
  return path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("").replace(/^\./, "");
}

/** Validates the JSON config file's content; `source` names it in errors. */
export function parseConfigFile(raw: unknown, source: string): ConfigFile {
  const res = ConfigFile.safeParse(raw);
  if (!res.success) {
    throw new ConfigError(
      res.error.issues.map((i) =>
        `Invalid config "${source}": ${issuePath(i.path) || "(root)"}: ${i.message}`
      ),
    );
  }
  const ta = checkTimeAttack(res.data);
  if (ta.length) throw new ConfigError(ta.map((p) => `Invalid config "${source}": ${p}`));
  return res.data;
}

/**
 * For a command-line tool: the configuration, or null after printing every mistake (the caller
 * exits with its usage code). Anything but a configuration mistake is thrown.
 */
export function loadConfigOrReport(): Config | null {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return null;
  }
}

/** Reads the configuration from the environment (and the file PODIUM_CONFIG names). */
export function loadConfig(env: (name: string) => string | undefined = (n) => Deno.env.get(n)): Config {
  const problems: string[] = [];
  // Every check runs: a file with three mistakes is reported with three lines, not fixed one by one.
  const check = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const portText = env("PORT") ?? "8000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`Invalid PORT "${portText}": use a whole number from 0 to 65535`);
  }
  let file: ConfigFile = ConfigFile.parse({});
  const configPath = env("PODIUM_CONFIG");
  if (configPath) file = check(() => readConfigFile(configPath)) ?? file;
  for (const src of file.sshSources) {
    if (!env(src.privateKeyEnv)) {
      problems.push(
        `SSH source "${src.id}" needs its private key in ${src.privateKeyEnv}: set it, or remove the source`,
      );
    }
  }
  const sw = file.timeAttack?.serverSwitch;
  if (sw && !env(sw.privateKeyEnv)) {
    problems.push(
      `timeAttack.serverSwitch needs its SSH private key in ${sw.privateKeyEnv}: set it, or remove serverSwitch`,
    );
  }
  const set = DISCORD_VARS.filter((v) => env(v));
  if (set.length > 0 && set.length < DISCORD_VARS.length) {
    const missing = DISCORD_VARS.filter((v) => !env(v));
    problems.push(`Discord is half configured: set ${missing.join(" and ")} too, or unset ${set.join(", ")}`);
  }
  const credentials = set.length === DISCORD_VARS.length
    ? {
      applicationId: env("DISCORD_APPLICATION_ID")!,
      publicKey: env("DISCORD_PUBLIC_KEY")!,
      botToken: env("DISCORD_BOT_TOKEN")!,
    }
    : null;
  if (credentials && !/^[0-9a-f]{64}$/i.test(credentials.publicKey)) {
    problems.push("Invalid DISCORD_PUBLIC_KEY: expected 64 hex characters from the Developer Portal");
  }
  const onDeploy = Boolean(env("DENO_DEPLOYMENT_ID"));
  const kvPath = env("PODIUM_KV") ?? (onDeploy ? null : "./data/podium.kv");
  const queuesVar = env("PODIUM_QUEUES") ?? "auto";
  if (!/^(on|off|auto)$/.test(queuesVar)) {
    throw new ConfigError(`Invalid PODIUM_QUEUES "${queuesVar}": expected on, off or auto`);
  }
  const apiBase = env("DISCORD_API_BASE");
  if (apiBase !== undefined && !/^https?:\/\/[^\s]+$/.test(apiBase)) {
    problems.push(
      `Invalid DISCORD_API_BASE "${apiBase}": expected an http(s) URL like https://discord.com/api`,
    );
  }
  const iracing = check(() => loadIracingConfig(env)) ?? null;
  if (problems.length) throw new ConfigError(problems);
  return {
    ...file,
    port,
    kvPath,
    configPath: configPath ?? null,
    discord: { ...file.discord, credentials, ...(apiBase !== undefined ? { apiBase } : {}) },
    iracing,
    numbersEnabled: /^(on|1|true|yes)$/i.test(env("PODIUM_NUMBERS") ?? ""),
    queues: queuesVar === "on" || (queuesVar === "auto" && !onDeploy && !/^https?:\/\//i.test(kvPath ?? "")),
  };
}

/** Reads and validates the JSON file PODIUM_CONFIG names. */
function readConfigFile(configPath: string): ConfigFile {
  let text: string;
  try {
    text = Deno.readTextFileSync(configPath);
  } catch (err) {
    throw new ConfigError(`Cannot read PODIUM_CONFIG "${configPath}": ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Invalid config "${configPath}": not JSON (${(err as Error).message})`);
  }
  return parseConfigFile(raw, configPath);
}

const IRACING_VARS = [
  "IRACING_CLIENT_ID",
  "IRACING_CLIENT_SECRET",
  "IRACING_USERNAME",
  "IRACING_PASSWORD",
] as const;

/** The iRacing account for the numbers sync: all four IRACING_* variables, or none. */
export function loadIracingConfig(env: (name: string) => string | undefined): IracingConfig | null {
  const set = IRACING_VARS.filter((v) => env(v));
  if (set.length === 0) return null;
  if (set.length < IRACING_VARS.length) {
    const missing = IRACING_VARS.filter((v) => !env(v));
    throw new ConfigError(
      `iRacing is half configured: set ${missing.join(" and ")} too, or unset ${set.join(", ")}`,
    );
  }
  const bad: string[] = [];
  const base = (name: string, fallback: string) => {
    const v = env(name) ?? fallback;
    if (!/^https?:\/\/[^\s]+$/.test(v)) bad.push(`Invalid ${name} "${v}": expected an http(s) URL`);
    return v.replace(/\/+$/, "");
  };
  const bases = {
    oauthBase: base("IRACING_OAUTH_BASE", "https://oauth.iracing.com/oauth2"),
    dataBase: base("IRACING_DATA_BASE", "https://members-ng.iracing.com"),
  };
  if (bad.length) throw new ConfigError(bad);
  return {
    clientId: env("IRACING_CLIENT_ID")!,
    clientSecret: env("IRACING_CLIENT_SECRET")!,
    username: env("IRACING_USERNAME")!,
    password: env("IRACING_PASSWORD")!,
    ...bases,
  };
}

/** The IANA time zone of a configured server; undefined means UTC. */
export function timeZoneOf(config: ConfigFile, serverId: string | undefined): string | undefined {
  return config.servers.find((s) => s.id === serverId)?.timeZone;
}

/**
 * The zone ET:Legacy times are shown in: the round's server's configured `timeZone`, the zone its
 * file name was read in at import; UTC for a round imported with no (or an unknown) server, as
 * the importer read it.
 */
export function etlTimeZone(config: ConfigFile, serverId?: string): string {
  return timeZoneOf(config, serverId) ?? "UTC";
}

/** `etlTimeZone` for one configuration, by server id (what kv/etl/views.ts takes as `zoneOf`). */
export function etlZones(config: ConfigFile): (serverId: string | undefined) => string {
  return (serverId) => etlTimeZone(config, serverId);
}

/** What a server says when its port is taken: one line, with what to do. */
export function portTakenMessage(port: number): string {
  return `Cannot listen on port ${port}: another program is using it (another Podium?); stop it, or start with PORT=<free port>`;
}

/** The names of the variables that switch Discord on. */
export const DISCORD_ENV_VARS: readonly string[] = DISCORD_VARS;

/** What zod cannot see field by field in `timeAttack`: the server exists, events are in order. */
function checkTimeAttack(file: ConfigFile): string[] {
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
