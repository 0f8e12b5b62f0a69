/** The iRacing Data API account (IRACING_* variables) for the numbers sync. */
import type { IracingConfig } from "@/lib/iracing.ts";
import { ConfigError } from "./errors.ts";

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
