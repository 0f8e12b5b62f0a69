/**
 * Podium's agent: runs on a game host, watches result folders and pushes every finished file to
 * the hub the moment it is complete. Self-contained modules (agent/*.ts, relative imports only) that
 * need nothing but Deno; the hub serves the folder at /agent/ (and /agent.ts redirects here), so a
 * host runs it straight from there and fetches it afresh on every start (README "Getting files in"):
 *
 *     deno run --allow-read=DIR,STATE,STATE.tmp --allow-write=STATE,STATE.tmp --allow-net=HUB_HOST \
 *       --allow-env=PODIUM_AGENT_SECRET --allow-import=HUB_HOST --reload=https://HUB/agent \
 *       https://HUB/agent.ts --hub https://HUB --server ID --dir DIR --state STATE
 *
 * (The state is written to STATE.tmp and renamed over STATE, so both names need the permissions.)
 *
 * Options: --dir (repeatable), --state FILE, --backfill (also send what is already in the folders),
 * --dry-run (list what would be sent), --once (send what is pending, then exit 0 when all of it was
 * acknowledged or rejected for good, 1 otherwise), --ac-plugin LISTEN:SERVER (relay the Assetto Corsa
 * server's UDP plugin events live, agent/ac_plugin.ts; --dir is then optional), --ac-content DIR (an AC
 * server's `content` folder: send its tracks' and cars' display names, agent/ac_content.ts). Exit 2: bad usage; 3: the hub refused us (wrong
 * secret, unknown server, clock off), fix and restart. The secret is read from PODIUM_AGENT_SECRET.
 */

import { AcPluginRelay } from "./ac_plugin.ts";
import { sha256Hex, signedHeaders } from "./sign.ts";

const USAGE =
  "Usage: deno task agent --hub URL --server ID [--dir DIR] [--dir DIR2] [--ac-plugin LISTEN_PORT:SERVER_PORT] [--state FILE] [--backfill] [--retry-failed] [--timeout S] [--dry-run] [--once] [--ac-content DIR]";
const SETTLE_JSON_MS = 100; // JSON must also parse, so a short quiet time is enough
const SETTLE_OTHER_MS = 2000;
const GIVE_UP_PARSE_MS = 30_000; // stable this long but never parses: send it, the hub says why
const RESCAN_MS = 10_000;
const ONCE_ATTEMPTS = 4;
// A file the hub times out on (or fails with a 500) gets this many tries, then is set aside as
// failed: one poisoned file must not hold the newer ones back, nor load the hub for ever.
const FILE_ATTEMPTS = 4;
const SEND_TIMEOUT_S = 60;
const ONCE_WAIT_MS = 60_000; // --once waits this long at most for files still being written
const RESULT_FILE = /\.(json|txt)$/i;

interface Options {
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

/** What the agent knows of one file, by absolute path. */
interface Known {
  size: number;
  mtimeMs: number;
  /**
   * acked: the hub has it; rejected: refused for good; baseline: there before the first run;
   * failed: given up after FILE_ATTEMPTS tries (`--retry-failed` sends it again).
   */
  status: "acked" | "rejected" | "baseline" | "failed";
  sha256?: string;
  reason?: string;
}

interface Candidate {
  path: string;
  size: number;
  mtimeMs: number;
  since: number;
  /** Quiet long enough but not readable or not parsing yet: newer files do not wait for it. */
  stuck?: boolean;
  /** Failed tries so far, and when the next may be made. */
  tries?: number;
  retryAt?: number;
}

class Fatal extends Error {}

function log(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

function parseOptions(args: string[]): Options | string {
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

const SEP = Deno.build.os === "windows" ? "\\" : "/";

function parentOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return path.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** True when the bytes are complete JSON in the encodings game servers write (ACC: UTF-16LE). */
function parsesAsJson(bytes: Uint8Array): boolean {
  try {
    let text: string;
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes);
    } else if (bytes.length > 1 && bytes[1] === 0) {
      if (bytes.length % 2 !== 0) return false;
      text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes);
    } else text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    JSON.parse(text.replace(/^\uFEFF/, ""));
    return true;
  } catch {
    return false;
  }
}

/** The acknowledged files, kept in a JSON file written atomically (write, then rename). */
class StateFile {
  files: Record<string, Known> = {};
  #dirty = false;
  #writing: Promise<void> | null = null;

  constructor(readonly path: string) {}

  /** Loads the state; false when there was none (a first run). */
  async load(): Promise<boolean> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw new Fatal(`Cannot read the state file "${this.path}": ${(err as Error).message}`);
    }
    try {
      const raw = JSON.parse(text);
      if (raw?.version !== 1) throw new Error("unknown layout");
      if (raw.files === null || typeof raw.files !== "object" || Array.isArray(raw.files)) {
        throw new Error('"files" is not an object');
      }
      for (const [path, k] of Object.entries(raw.files as Record<string, Partial<Known> | null>)) {
        // An entry this agent cannot read is forgotten: at worst its file is sent again (the hub
        // answers "duplicate"), never a crash.
        if (isKnown(k)) this.files[path] = k;
      }
      return true;
    } catch (err) {
      throw new Fatal(
        `The state file "${this.path}" is damaged (${
          (err as Error).message
        }): move it away and run with --backfill`,
      );
    }
  }

  ackedHashes(): Map<string, string> {
    const m = new Map<string, string>();
    for (const [path, k] of Object.entries(this.files)) {
      if (k.sha256 && k.status === "acked") m.set(k.sha256, path);
    }
    return m;
  }

  /** Writes the state soon; writes requested while one is under way are coalesced into the next. */
  save(): Promise<void> {
    this.#dirty = true;
    this.#writing ??= (async () => {
      try {
        while (this.#dirty) {
          this.#dirty = false;
          const tmp = `${this.path}.tmp`;
          await Deno.writeTextFile(tmp, JSON.stringify({ version: 1, files: this.files }));
          // Windows virus scanners briefly lock fresh files: a few tries before giving up.
          for (let attempt = 1;; attempt++) {
            try {
              await Deno.rename(tmp, this.path);
              break;
            } catch (err) {
              if (attempt >= 5 || err instanceof Deno.errors.NotCapable) throw err;
              await new Promise((r) => setTimeout(r, 100 * attempt));
            }
          }
        }
      } finally {
        this.#writing = null;
      }
    })();
    return this.#writing;
  }

  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }
}

type Outcome = "done" | "retry" | "later";

class Agent {
  readonly #o: Options;
  readonly #state: StateFile;
  readonly #secret: string;
  readonly #candidates = new Map<string, Candidate>();
  readonly #ready = new Map<string, Candidate>();
  #acked = new Map<string, string>();
  #lastTimestamp = 0;
  #failures = 0;
  #hubDown = false;
  #wake: (() => void) | null = null;
  #poked = false;

  constructor(o: Options, secret: string) {
    this.#o = o;
    this.#secret = secret;
    this.#state = new StateFile(o.state);
  }

  /** Runs until stopped (or, with --once / --dry-run, until everything pending is handled). */
  async run(): Promise<number> {
    const hadState = await this.#state.load();
    this.#acked = this.#state.ackedHashes();
    const baseline = !hadState && !this.#o.backfill;
    const found = await this.#scan(baseline);
    if (this.#o.dryRun) {
      for (const c of [...this.#candidates.values()].sort(byAge)) {
        log(`would send ${c.path} (${c.size} bytes)`);
      }
      if (baseline && found > 0) {
        log(`${found} file(s) already there would be recorded as sent (use --backfill to send them)`);
      } else if (this.#candidates.size === 0) log("nothing to send");
      return 0;
    }
    if (baseline && found > 0) {
      log(`${found} file(s) already there recorded as sent; --backfill sends them`);
      await this.#state.save();
    }
    if (this.#o.once) return await this.#drain();
    this.#watch();
    log(`watching ${this.#o.dirs.join(", ")} for server ${this.#o.server}, sending to ${this.#o.hub}`);
    setInterval(() => this.#scan(false).then(() => this.#poke()), RESCAN_MS);
    for (;;) {
      await this.#drain();
      if (!this.#poked) await new Promise<void>((r) => this.#wake = r);
      this.#poked = false;
    }
  }

  /** Finds new and changed files; with `baseline`, records them as already sent instead. */
  async #scan(baseline: boolean): Promise<number> {
    let n = 0;
    for (const dir of this.#o.dirs) {
      const present = new Set<string>();
      try {
        for await (const e of Deno.readDir(dir)) {
          if (!e.isFile || !RESULT_FILE.test(e.name) || e.name.startsWith(".")) continue;
          const path = `${dir}${SEP}${e.name}`;
          present.add(path);
          const info = await statFile(path);
          if (!info || this.#isKnown(path, info)) continue;
          n++;
          if (baseline) this.#state.files[path] = { ...info, status: "baseline" };
          else this.#consider(path, info);
        }
      } catch (err) {
        log(`cannot list ${dir}: ${(err as Error).message}`);
        continue;
      }
      for (const path of Object.keys(this.#state.files)) {
        if (parentOf(path) === dir && !present.has(path)) delete this.#state.files[path];
      }
    }
    return n;
  }

  #isKnown(path: string, info: { size: number; mtimeMs: number }): boolean {
    const k = this.#state.files[path];
    if (k?.status === "baseline" && this.#o.backfill) return false;
    if (k?.status === "failed" && this.#o.retryFailed) return false;
    return !!k && k.size === info.size && k.mtimeMs === info.mtimeMs;
  }

  #consider(path: string, info: { size: number; mtimeMs: number }): void {
    const c = this.#candidates.get(path) ?? this.#ready.get(path);
    if (c && c.size === info.size && c.mtimeMs === info.mtimeMs) return;
    this.#ready.delete(path);
    this.#candidates.set(path, { path, ...info, since: Date.now() });
  }

  #watch(): void {
    const watcher = Deno.watchFs(this.#o.dirs, { recursive: false });
    (async () => {
      for await (const ev of watcher) {
        for (const path of ev.paths) {
          if (
            !this.#o.dirs.includes(parentOf(path)) || !RESULT_FILE.test(path) ||
            baseName(path).startsWith(".")
          ) {
            continue;
          }
          const info = await statFile(path);
          if (info && !this.#isKnown(path, info)) this.#consider(path, info);
        }
        this.#poke();
      }
    })().catch((err) =>
      log(`watching stopped (${(err as Error).message}); rescanning every ${RESCAN_MS / 1000} s`)
    );
  }

  #poke(): void {
    this.#poked = true;
    this.#wake?.();
    this.#wake = null;
  }

  /** Moves settled, complete files to the ready set; returns how long until the next check. */
  async #settle(): Promise<number> {
    const now = Date.now();
    let next = Infinity;
    for (const c of [...this.#candidates.values()]) {
      const info = await statFile(c.path);
      if (!info) {
        this.#candidates.delete(c.path);
        continue;
      }
      if (info.size !== c.size || info.mtimeMs !== c.mtimeMs) {
        Object.assign(c, info, { since: now, stuck: false });
        next = Math.min(next, 100);
        continue;
      }
      const json = /\.json$/i.test(c.path);
      const quiet = now - c.since;
      const settle = settleMs(c.path);
      if (quiet < settle) {
        next = Math.min(next, settle - quiet);
        continue;
      }
      const bytes = await readFile(c.path);
      const complete = bytes && (json ? parsesAsJson(bytes) : endsWithNewline(bytes));
      if (bytes && (complete || quiet >= GIVE_UP_PARSE_MS)) {
        this.#candidates.delete(c.path);
        this.#ready.set(c.path, c);
      } else {
        c.stuck = true; // still being written, or held open by the server
        next = Math.min(next, 100);
      }
    }
    return next;
  }

  /** Sends everything ready, oldest first, until nothing is pending. Returns the exit code for --once. */
  async #drain(): Promise<number> {
    let attempts = 0;
    const started = Date.now();
    for (;;) {
      const wait = await this.#settle();
      const now = Date.now();
      const c = [...this.#ready.values()].filter((r) => (r.retryAt ?? 0) <= now).sort(byAge)[0];
      // Oldest first: an older file still settling goes before this one (one that is stuck does not).
      const olderSettling = c && [...this.#candidates.values()].some((w) => !w.stuck && byAge(w, c) < 0);
      if (!c || olderSettling) {
        if (this.#candidates.size === 0 && this.#ready.size === 0) return 0;
        if (this.#o.once && Date.now() - started > ONCE_WAIT_MS) {
          for (const w of this.#candidates.values()) {
            log(`not sent ${w.path}: still being written or unreadable`);
          }
          return 1;
        }
        await new Promise((r) => setTimeout(r, Math.min(wait, 1000)));
        continue;
      }
      let outcome: Outcome;
      try {
        outcome = await this.#send(c);
      } catch (err) {
        if (err instanceof Fatal) throw err;
        if ((err as Error).name !== "TimeoutError") {
          outcome = "retry";
          this.#noteDown(c, (err as Error).message);
        } else outcome = await this.#fileFailed(c, `no answer within ${this.#o.timeoutS} s`);
      }
      if (outcome === "later") continue;
      if (outcome === "done") {
        attempts = 0;
        continue;
      }
      attempts++;
      if (this.#o.once && attempts >= ONCE_ATTEMPTS) {
        const left = this.#ready.size + this.#candidates.size;
        log(`giving up for now: ${left} file(s) not sent; run again to send them`);
        return 1;
      }
      const base = Math.min(60_000, 1000 * 2 ** Math.min(this.#failures - 1, 6));
      await new Promise((r) => setTimeout(r, base / 2 + Math.random() * base / 2));
    }
  }

  /** One more failed try for this file: later (newer files go first meanwhile), or set aside. */
  async #fileFailed(c: Candidate, why: string): Promise<Outcome> {
    c.tries = (c.tries ?? 0) + 1;
    if (c.tries < FILE_ATTEMPTS) {
      c.retryAt = Date.now() + (this.#o.timeoutS * 1000 / 15) * 2 ** (c.tries - 1);
      log(`not sent ${c.path}: ${why} (try ${c.tries} of ${FILE_ATTEMPTS}); newer files go first`);
      return "later";
    }
    log(`gave up on ${c.path} after ${FILE_ATTEMPTS} tries: ${why} (--retry-failed sends it again)`);
    const k: Known = { size: c.size, mtimeMs: c.mtimeMs, status: "failed", reason: why };
    return await this.#record(c, k);
  }

  #noteDown(c: Candidate, why: string): void {
    this.#failures++;
    if (!this.#hubDown) {
      log(`hub unavailable (${why}); ${baseName(c.path)} and the rest wait, retrying with backoff`);
    }
    this.#hubDown = true;
  }

  async #send(c: Candidate): Promise<Outcome> {
    const info = await statFile(c.path);
    if (!info) {
      this.#ready.delete(c.path);
      return "done";
    }
    if (info.size !== c.size || info.mtimeMs !== c.mtimeMs) {
      this.#ready.delete(c.path);
      this.#consider(c.path, info);
      return "done";
    }
    const bytes = await readFile(c.path);
    if (!bytes) return "retry";
    const hash = await sha256Hex(bytes);
    const name = baseName(c.path);
    const same = this.#acked.get(hash);
    if (same !== undefined) {
      log(
        same === c.path
          ? `unchanged ${c.path}: touched only`
          : `already sent ${c.path}: same bytes as ${same}`,
      );
      return await this.#record(c, { size: c.size, mtimeMs: c.mtimeMs, status: "acked", sha256: hash });
    }
    // Never reuse a signature (the hub refuses replays): each attempt gets a later timestamp.
    const ts = Math.max(Math.floor(Date.now() / 1000), this.#lastTimestamp + 1);
    this.#lastTimestamp = ts;
    const res = await fetch(`${this.#o.hub}/api/ingest`, {
      method: "POST",
      headers: await signedHeaders(this.#secret, {
        server: this.#o.server,
        file: name,
        body: bytes,
        timestamp: ts,
      }),
      body: bytes,
      signal: AbortSignal.timeout(this.#o.timeoutS * 1000),
    });
    const body = await res.json().catch(() => ({})) as Record<string, unknown>;
    if (this.#hubDown && res.status < 500) {
      log(`hub reachable again after ${this.#failures} failed attempt(s)`);
      this.#hubDown = false;
    }
    if (res.status === 200 || res.status === 201) {
      this.#failures = 0;
      const what = body.status === "imported"
        ? `imported as session ${body.sessionId} (${body.records ?? 0} record(s), ${
          body.personalBests ?? 0
        } PB(s))${body.replaced ? ", completing the shorter file sent before" : ""}`
        : body.status === "duplicate"
        ? `duplicate of session ${body.sessionId}`
        : `${body.status}: ${body.reason ?? ""}`;
      log(`sent ${c.path}: ${what}`);
      this.#acked.set(hash, c.path);
      return await this.#record(c, { size: c.size, mtimeMs: c.mtimeMs, status: "acked", sha256: hash });
    }
    if ([400, 413, 422].includes(res.status)) {
      this.#failures = 0;
      log(
        `rejected ${c.path}: ${
          body.reason ?? body.error ?? `HTTP ${res.status}`
        } (not sent again unless it changes)`,
      );
      return await this.#record(c, { size: c.size, mtimeMs: c.mtimeMs, status: "rejected", sha256: hash });
    }
    const error = String(body.error ?? `HTTP ${res.status}`);
    if (res.status === 401 && /replayed/i.test(error)) return "retry";
    if (res.status === 401 && /stale/i.test(error)) {
      throw new Fatal(`The hub refused ${name}: ${error}. Set this host's clock right (NTP), then restart`);
    }
    if (res.status === 401) {
      throw new Fatal(
        `The hub refused the signature (401): PODIUM_AGENT_SECRET does not match the hub's secret for "${this.#o.server}". Fix it, then restart`,
      );
    }
    if (res.status === 426) throw new Fatal(`The hub speaks a newer push protocol: ${error}`);
    if (res.status === 403) throw new Fatal(`The hub does not know server "${this.#o.server}": ${error}`);
    if (res.status === 404) throw new Fatal(`No push endpoint at ${this.#o.hub}/api/ingest: check --hub`);
    // A 500 is this file's trouble (the hub answers others); 502-504 and the rest: the hub's.
    if (res.status === 500) return await this.#fileFailed(c, `HTTP 500 ${error}`);
    this.#noteDown(c, error);
    return "retry";
  }

  async #record(c: Candidate, k: Known): Promise<Outcome> {
    this.#ready.delete(c.path);
    this.#state.files[c.path] = k;
    try {
      await this.#state.save();
    } catch (err) {
      throw new Fatal(
        `Cannot write the state file "${this.#o.state}" (${
          (err as Error).message
        }): allow writing it and its .tmp sibling`,
      );
    }
    return "done";
  }

  async stop(): Promise<void> {
    await this.#state.flush();
  }
}

function isKnown(k: unknown): k is Known {
  const o = k as Partial<Known> | null;
  return typeof o === "object" && o !== null && typeof o.size === "number" && typeof o.mtimeMs === "number" &&
    ["acked", "rejected", "baseline", "failed"].includes(o.status as string);
}

/** A gamestats file is complete when its last line ends: the game writes it line by line. */
function endsWithNewline(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
}

/** How long a file must stay unchanged before it counts as complete. */
function settleMs(path: string): number {
  return /\.json$/i.test(path) ? SETTLE_JSON_MS : SETTLE_OTHER_MS;
}

function byAge(a: Candidate, b: Candidate): number {
  return a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

async function statFile(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const s = await Deno.stat(path);
    return s.isFile ? { size: s.size, mtimeMs: s.mtime?.getTime() ?? 0 } : null;
  } catch {
    return null;
  }
}

/** Reads a file; null while it cannot be (gone, or held open by the game server on Windows). */
async function readFile(path: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    return await Deno.readFile(path);
  } catch {
    return null;
  }
}

/** Runs the agent with command-line arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseOptions(args);
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  if (typeof parsed === "string") {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const dirs: string[] = [];
  for (const d of parsed.dirs) {
    try {
      const real = await Deno.realPath(d);
      if (!dirs.includes(real)) dirs.push(real);
    } catch (err) {
      console.error(`Cannot watch "${d}": ${(err as Error).message}`);
      return 2;
    }
  }
  const secret = Deno.env.get("PODIUM_AGENT_SECRET") ?? "";
  if (!secret && !parsed.dryRun) {
    console.error("Set PODIUM_AGENT_SECRET to the secret the hub has for this server");
    return 2;
  }
  const agent = new Agent({ ...parsed, dirs }, secret);
  if (parsed.acContent && !parsed.dryRun) {
    const content = await import("./ac_content.ts");
    const t = { hub: parsed.hub, server: parsed.server, dir: parsed.acContent, secret, log };
    if (parsed.once) await content.sendAcContent(t, null);
    else content.watchAcContent(t);
  }
  const relay = parsed.acPlugin && !parsed.dryRun && !parsed.once
    ? new AcPluginRelay({
      hub: parsed.hub,
      server: parsed.server,
      secret,
      listenPort: parsed.acPlugin.listen,
      serverPort: parsed.acPlugin.server,
      queueFile: parsed.state.replace(/(\.json)?$/i, "-live.json"),
      log,
    })
    : null;
  const stop = () => Promise.all([agent.stop(), relay?.stop()]).finally(() => Deno.exit(0));
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  try {
    await relay?.start().catch((err) => {
      throw new Fatal(
        `Cannot relay AC plugin events on 127.0.0.1:${parsed.acPlugin?.listen}: ${err.message}`,
      );
    });
    if (relay && dirs.length === 0) return await new Promise<number>(() => {});
    const code = await agent.run();
    await agent.stop();
    return code;
  } catch (err) {
    if (!(err instanceof Fatal)) throw err;
    log(err.message);
    await agent.stop();
    return 3;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
