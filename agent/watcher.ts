/** The agent's work: scan the folders, wait for each file to be complete, send it, record the answer. */
import { sha256Hex, signedHeaders } from "./sign.ts";
import {
  Fatal,
  FILE_ATTEMPTS,
  GIVE_UP_PARSE_MS,
  log,
  ONCE_ATTEMPTS,
  ONCE_WAIT_MS,
  type Options,
  RESCAN_MS,
  RESULT_FILE,
} from "./options.ts";
import {
  baseName,
  byAge,
  type Candidate,
  endsWithNewline,
  parentOf,
  parsesAsJson,
  readFile,
  SEP,
  settleMs,
  statFile,
} from "./files.ts";
import { type Known, StateFile } from "./state.ts";

/** What became of one send: done (answered for good), retry now, or later. */
export type Outcome = "done" | "retry" | "later";

/** Watches the folders and sends every complete file to the hub, once. */
export class Agent {
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
