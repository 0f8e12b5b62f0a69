/**
 * Configuration, read once at start: secrets and deployment settings from environment
 * variables, league settings (game servers, time zones, channels) from an optional JSON file
 * named by PODIUM_CONFIG. Anything wrong stops the process with the field and the problem.
 */
import { z } from "zod";
import { isValidTimeZone } from "@/ingest/file_time.ts";
import type { IracingConfig } from "@/lib/iracing.ts";

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

/** The optional JSON config file. */
export const ConfigFile = z.object({
  league: z.object({ name: z.string().min(1).max(100) }).strict().default({ name: "Podium" }),
  servers: z.array(GameServer).default([]).refine(
    (s) => new Set(s.map((x) => x.id)).size === s.length,
    { message: "server ids must be unique" },
  ),
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
    }).strict().default({}),
    /** Role ids whose members may use admin commands (besides Administrator / Manage Guild). */
    adminRoles: z.array(Snowflake).max(50).optional(),
  }).strict().default({ channels: {} }),
}).strict();
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
  /** The iRacing Data API account (IRACING_* variables), or null when the numbers sync is off. */
  iracing?: IracingConfig | null;
  /** PODIUM_NUMBERS=on: the numbers commands without an iRacing account (claims, no sync). */
  numbersEnabled?: boolean;
  discord: ConfigFile["discord"] & {
    credentials: DiscordConfig | null;
    /** `DISCORD_API_BASE`: Discord's REST base URL (tests point it at the fake); default Discord's. */
    apiBase?: string;
  };
}

/** A configuration problem, naming the variable or field. */
export class ConfigError extends Error {}

const DISCORD_VARS = ["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"] as const;

function issuePath(path: PropertyKey[]): string {
  return path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("").replace(/^\./, "");
}

/** Validates the JSON config file's content; `source` names it in errors. */
export function parseConfigFile(raw: unknown, source: string): ConfigFile {
  const res = ConfigFile.safeParse(raw);
  if (!res.success) {
    const i = res.error.issues[0]!;
    throw new ConfigError(`Invalid config "${source}": ${issuePath(i.path) || "(root)"}: ${i.message}`);
  }
  return res.data;
}

/** Reads the configuration from the environment (and the file PODIUM_CONFIG names). */
export function loadConfig(env: (name: string) => string | undefined = (n) => Deno.env.get(n)): Config {
  const portText = env("PORT") ?? "8000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`Invalid PORT "${portText}": use a whole number from 0 to 65535`);
  }
  let file: ConfigFile = ConfigFile.parse({});
  const configPath = env("PODIUM_CONFIG");
  if (configPath) {
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
    file = parseConfigFile(raw, configPath);
  }
  for (const src of file.sshSources) {
    if (!env(src.privateKeyEnv)) {
      throw new ConfigError(
        `SSH source "${src.id}" needs its private key in ${src.privateKeyEnv}: set it, or remove the source`,
      );
    }
  }
  const set = DISCORD_VARS.filter((v) => env(v));
  if (set.length > 0 && set.length < DISCORD_VARS.length) {
    const missing = DISCORD_VARS.filter((v) => !env(v));
    throw new ConfigError(
      `Discord is half configured: set ${missing.join(" and ")} too, or unset ${set.join(", ")}`,
    );
  }
  const credentials = set.length === DISCORD_VARS.length
    ? {
      applicationId: env("DISCORD_APPLICATION_ID")!,
      publicKey: env("DISCORD_PUBLIC_KEY")!,
      botToken: env("DISCORD_BOT_TOKEN")!,
    }
    : null;
  if (credentials && !/^[0-9a-f]{64}$/i.test(credentials.publicKey)) {
    throw new ConfigError("Invalid DISCORD_PUBLIC_KEY: expected 64 hex characters from the Developer Portal");
  }
  const onDeploy = Boolean(env("DENO_DEPLOYMENT_ID"));
  const kvPath = env("PODIUM_KV") ?? (onDeploy ? null : "./data/podium.kv");
  const apiBase = env("DISCORD_API_BASE");
  if (apiBase !== undefined && !/^https?:\/\/[^\s]+$/.test(apiBase)) {
    throw new ConfigError(
      `Invalid DISCORD_API_BASE "${apiBase}": expected an http(s) URL like https://discord.com/api`,
    );
  }
  return {
    ...file,
    port,
    kvPath,
    discord: { ...file.discord, credentials, ...(apiBase !== undefined ? { apiBase } : {}) },
    iracing: loadIracingConfig(env),
    numbersEnabled: /^(on|1|true|yes)$/i.test(env("PODIUM_NUMBERS") ?? ""),
  };
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
  const base = (name: string, fallback: string) => {
    const v = env(name) ?? fallback;
    if (!/^https?:\/\/[^\s]+$/.test(v)) {
      throw new ConfigError(`Invalid ${name} "${v}": expected an http(s) URL`);
    }
    return v.replace(/\/+$/, "");
  };
  return {
    clientId: env("IRACING_CLIENT_ID")!,
    clientSecret: env("IRACING_CLIENT_SECRET")!,
    username: env("IRACING_USERNAME")!,
    password: env("IRACING_PASSWORD")!,
    oauthBase: base("IRACING_OAUTH_BASE", "https://oauth.iracing.com/oauth2"),
    dataBase: base("IRACING_DATA_BASE", "https://members-ng.iracing.com"),
  };
}

/** The IANA time zone of a configured server; undefined means UTC. */
export function timeZoneOf(config: ConfigFile, serverId: string | undefined): string | undefined {
  return config.servers.find((s) => s.id === serverId)?.timeZone;
}

/** The names of the variables that switch Discord on. */
export const DISCORD_ENV_VARS: readonly string[] = DISCORD_VARS;
