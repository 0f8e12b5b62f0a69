/**
 * A real hub (main.ts in its own process, on a loopback port, over a KV file) and the real agent
 * (agent/agent.ts in its own process, with the narrow permissions README gives), for tests and
 * the benchmark.
 */
import { fromFileUrl } from "@/tests/_path.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
export const AGENT_PATH = `${ROOT}agent/agent.ts`;

/** A free loopback port (the OS picks one; it stays free for the moment it takes to reuse it). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Lines of a child's output, as they come. */
export class Lines {
  readonly all: string[] = [];
  /** Resolves when the stream has ended and every line is in `all`. */
  readonly ended: Promise<void>;
  #waiters: { re: RegExp; resolve: (line: string) => void }[] = [];

  constructor(stream: ReadableStream<Uint8Array>, echo?: string) {
    this.ended = (async () => {
      let rest = "";
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        rest += chunk;
        const parts = rest.split("\n");
        rest = parts.pop()!;
        for (const line of parts) this.#push(line, echo);
      }
      if (rest) this.#push(rest, echo);
    })().catch(() => {});
  }

  #push(line: string, echo?: string): void {
    if (echo !== undefined && Deno.env.get("PODIUM_TEST_VERBOSE")) console.log(`${echo} ${line}`);
    this.all.push(line);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.re.test(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  /** Resolves with the first line (already seen or coming) matching `re`; rejects after `ms`. */
  waitFor(re: RegExp, ms = 20_000): Promise<string> {
    const seen = this.all.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No line matching ${re} within ${ms} ms:\n${this.all.join("\n")}`)),
        ms,
      );
      this.#waiters.push({
        re,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  count(re: RegExp): number {
    return this.all.filter((l) => re.test(l)).length;
  }
}

/** A hub process. */
export interface Hub {
  url: string;
  port: number;
  /** The hub's process id (its RSS is in /proc/<pid>/status on Linux). */
  pid: number;
  out: Lines;
  /** Kills the process (SIGKILL: no chance to finish anything) and waits for it. */
  kill(): Promise<void>;
  /** Stops the process politely and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts main.ts on `port` over the KV file `kvPath`, with `env` (server secrets) added; `root` is
 * another tree's folder (the benchmark's "before" hub), this repository's by default.
 */
export async function startHub(
  opts: { kvPath: string; port?: number; env?: Record<string, string>; root?: string },
): Promise<Hub> {
  const port = opts.port ?? freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: opts.root ?? ROOT,
    env: { PORT: String(port), PODIUM_KV: opts.kvPath, NO_COLOR: "1", ...opts.env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = new Lines(child.stdout, "[hub]");
  const err = new Lines(child.stderr, "[hub!]");
  const ended = child.status;
  try {
    await Promise.race([
      out.waitFor(/listening on/, 30_000),
      ended.then((s) => {
        throw new Error(`The hub exited (${s.code}) before listening:\n${err.all.join("\n")}`);
      }),
    ]);
  } catch (e) {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    throw e;
  }
  const end = async (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch { /* already gone */ }
    await ended;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    out,
    kill: () => end("SIGKILL"),
    stop: () => end("SIGTERM"),
  };
}

/** An agent process. */
export interface AgentProcess {
  out: Lines;
  err: Lines;
  status: Promise<Deno.CommandStatus>;
  stop(): Promise<Deno.CommandStatus>;
}

/**
 * Runs the agent (`script`: its path, or the hub's /agent.ts URL) with README's narrow permissions:
 * read the folders and the state file, write the state file and its .tmp sibling, reach the hub, read the secret.
 */
export function startAgent(opts: {
  hub: string;
  server: string;
  dirs: string[];
  state: string;
  secret: string;
  flags?: string[];
  script?: string;
}): AgentProcess {
  const host = new URL(opts.hub).host;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-config",
      `--allow-read=${[...opts.dirs, opts.state, `${opts.state}.tmp`].join(",")}`,
      `--allow-write=${opts.state},${opts.state}.tmp`,
      `--allow-net=${host}`,
      "--allow-env=PODIUM_AGENT_SECRET",
      // README's command line for an agent run from the hub: imports from it, fetched afresh.
      ...(opts.script?.startsWith("http") ? [`--allow-import=${host}`, `--reload=${opts.hub}/agent`] : []),
      opts.script ?? AGENT_PATH,
      "--hub",
      opts.hub,
      "--server",
      opts.server,
      ...opts.dirs.flatMap((d) => ["--dir", d]),
      "--state",
      opts.state,
      ...(opts.flags ?? []),
    ],
    env: { PODIUM_AGENT_SECRET: opts.secret, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = new Lines(child.stdout, "[agent]");
  const err = new Lines(child.stderr, "[agent!]");
  return {
    out,
    err,
    // The exit status once the output is read to the end too (a line can trail the exit).
    status: Promise.all([child.status, out.ended, err.ended]).then(([s]) => s),
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      return await child.status;
    },
  };
}

/** The SHA-256 hashes of every file the store imported (its exactly-once guard). */
export async function importedHashes(kvPath: string): Promise<string[]> {
  const kv = await Deno.openKv(kvPath);
  try {
    return await Array.fromAsync(kv.list({ prefix: ["file"] }), (e) => String(e.key[1]));
  } finally {
    kv.close();
  }
}

/** Polls `check` until it holds (files travel between processes; no fixed sleeps). */
export async function eventually(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
