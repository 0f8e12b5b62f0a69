/**
 * Configuration, read once at start: secrets and deployment settings from environment
 * variables, league settings (game servers, time zones, channels) from an optional JSON file
 * named by PODIUM_CONFIG. Anything wrong stops the process with the field and the problem.
 */
import type { IracingConfig } from "@/lib/iracing.ts";
import { ConfigError } from "./config/errors.ts";
import { loadIracingConfig } from "./config/iracing.ts";
import { ConfigFile } from "./config/schema.ts";
import { checkTimeAttack } from "./config/time_attack.ts";

export { ConfigError } from "./config/errors.ts";
export { loadIracingConfig } from "./config/iracing.ts";
export { ConfigFile, type EtlSettings } from "./config/schema.ts";
export { type GameServer, pushSecretVariable, type SshSource } from "./config/servers.ts";
export type { TaSeasonConfig, TimeAttackConfig } from "./config/time_attack.ts";

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
