/** The agent's command line: its options, limits and timings, and the error that stops it. */

/** The usage line, printed with --help and after a bad option. */
export const USAGE =
  "Usage: deno task agent --hub URL --server ID [--dir DIR] [--dir DIR2] [--ac-plugin LISTEN_PORT:SERVER_PORT] [--state FILE] [--backfill] [--retry-failed] [--timeout S] [--dry-run] [--once] [--ac-content DIR]";
/** Quiet time before a JSON file counts (it must also parse, so a short one is enough). */
export const SETTLE_JSON_MS = 100;
/** Quiet time before any other file (a gamestats file) counts. */
export const SETTLE_OTHER_MS = 2000;
/** A file stable this long that never parses is sent anyway: the hub says why. */
export const GIVE_UP_PARSE_MS = 30_000;
/** How often the folders are listed again (besides the watcher's events). */
export const RESCAN_MS = 10_000;
/** Tries of an unreachable hub before --once gives up. */
export const ONCE_ATTEMPTS = 4;
/**
 * A file the hub times out on (or fails with a 500) gets this many tries, then is set aside as
 * failed: one poisoned file must not hold the newer ones back, nor load the hub for ever.
 */
export const FILE_ATTEMPTS = 4;
/** Default seconds to wait for the hub's answer to one file (--timeout). */
export const SEND_TIMEOUT_S = 60;
/** --once waits this long at most for files still being written. */
export const ONCE_WAIT_MS = 60_000;
/** The files the agent sends. */
export const RESULT_FILE = /\.(json|txt)$/i;

/** The parsed command line. */
export interface Options {
  hub: string;
  server: string;
  dirs: string[];
  state: string;
  backfill: boolean;
  dryRun: boolean;
  once: boolean;
  retryFailed: boolean;
  /** Seconds to wait for the hub's answer to one file. */
  timeoutS: number;
  acPlugin?: { listen: number; server: number };
  acContent?: string;
}

/** The hub refused us for good (wrong secret, unknown server...): exit 3. */
export class Fatal extends Error {}

/** One timestamped line on stdout. */
export function log(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

/** Parses the arguments: the options, "help", or a message saying what is wrong. */
export function parseOptions(args: string[]): Options | string {
  const o: Partial<Options> & { dirs: string[] } = {
    dirs: [],
    backfill: false,
    dryRun: false,
    once: false,
    retryFailed: false,
    timeoutS: SEND_TIMEOUT_S,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === "--hub") o.hub = value().replace(/\/+$/, "");
      else if (a === "--server") o.server = value();
      else if (a === "--dir") o.dirs.push(value());
      else if (a === "--state") o.state = value();
      else if (a === "--backfill") o.backfill = true;
      else if (a === "--dry-run") o.dryRun = true;
      else if (a === "--once") o.once = true;
      else if (a === "--retry-failed") o.retryFailed = true;
      else if (a === "--timeout") {
        o.timeoutS = Number(value());
        if (!(o.timeoutS! > 0)) return "--timeout must be a number of seconds";
      } else if (a === "--ac-plugin") {
        const m = /^(\d{1,5}):(\d{1,5})$/.exec(value());
        if (!m || +m[1]! > 65535 || +m[2]! > 65535) {
          throw new Error("--ac-plugin needs LISTEN_PORT:SERVER_PORT");
        }
        o.acPlugin = { listen: +m[1]!, server: +m[2]! };
      } else if (a === "--ac-content") o.acContent = value();
      else if (a === "--help" || a === "-h") return "help";
      else return `Unknown option "${a}"`;
    } catch (err) {
      return (err as Error).message;
    }
  }
  if (!o.hub || !/^https?:\/\/[^/]+/.test(o.hub)) return "--hub must be the hub's URL (https://...)";
  if (!o.server || !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(o.server)) {
    return "--server must be the server id (lower-case letters, digits, - and _)";
  }
  if (o.dirs.length === 0 && !o.acPlugin) return "at least one --dir (or --ac-plugin) is needed";
  o.state ??= `podium-agent-${o.server}.json`;
  return o as Options;
}
