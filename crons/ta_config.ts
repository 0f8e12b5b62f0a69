/**
 * Season edits without a restart: the config file (PODIUM_CONFIG) is watched, and an edit is
 * validated exactly as at start-up. A valid edit of `timeAttack` or `names` replaces them in the
 * running config (every reader takes them from there at each use), marks the store changed (kept
 * API answers are dropped, the live board looks again) and runs a rotation step, so the schedule,
 * boards and standings are edited once. A bad edit is refused with its reason and the running
 * season stays. Other sections (servers, Discord, SSH sources) apply at the next start.
 */
import { type Config, ConfigError, parseConfigFile } from "@/config.ts";
import { rotateTimeAttack, type TaDeps } from "@/crons/ta_rotation.ts";
import { changesKey } from "@/kv/keys.ts";

/** What an edit did. */
export type ConfigEdit =
  | { status: "applied" | "same" }
  | { status: "refused"; reason: string };

const LIVE = ["timeAttack", "names"] as const;

/** Validates `text` (the config file's new content) and applies its live parts; see the module doc. */
export async function applyConfigEdit(
  deps: TaDeps,
  text: string,
  opts: { source: string; now: Date; env?: (name: string) => string | undefined },
): Promise<ConfigEdit> {
  const refuse = (reason: string): ConfigEdit => ({ status: "refused", reason });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return refuse(`Invalid config "${opts.source}": not JSON (${(err as Error).message})`);
  }
  let next;
  try {
    next = parseConfigFile(raw, opts.source);
  } catch (err) {
    if (err instanceof ConfigError) return refuse(err.message);
    throw err;
  }
  const running: Config = deps.config;
  if (!next.timeAttack !== !running.timeAttack) {
    return refuse(`${next.timeAttack ? "Adding" : "Removing"} timeAttack needs a restart`);
  }
  const sw = next.timeAttack?.serverSwitch;
  const env = opts.env ?? ((n: string) => Deno.env.get(n));
  if (sw && !env(sw.privateKeyEnv)) {
    return refuse(
      `timeAttack.serverSwitch needs its SSH private key in ${sw.privateKeyEnv}: set it, or remove serverSwitch`,
    );
  }
  if (JSON.stringify(next.servers) !== JSON.stringify(running.servers) && next.timeAttack) {
    const ta = next.timeAttack.server;
    const was = running.servers.find((s) => s.id === ta), now = next.servers.find((s) => s.id === ta);
    if (JSON.stringify(was) !== JSON.stringify(now)) {
      return refuse(`A change to server "${ta}" needs a restart`);
    }
  }
  if (LIVE.every((k) => JSON.stringify(next[k]) === JSON.stringify(running[k]))) return { status: "same" };
  running.timeAttack = next.timeAttack;
  running.names = next.names;
  const old = await deps.kv.get(changesKey());
  await deps.kv.set(changesKey(), old.value ?? {});
  await rotateTimeAttack(deps, opts.now);
  return { status: "applied" };
}

/** A running watch of the config file. */
export interface ConfigWatch {
  stop(): void;
}

/**
 * Watches `path` (its folder, so an editor's write-then-rename is seen too) and applies each edit
 * once it has been quiet for `quietMs`; `log` hears what happened.
 */
export function watchConfigFile(
  deps: TaDeps,
  path: string,
  opts: { quietMs?: number; log?: (line: string) => void; now?: () => Date } = {},
): ConfigWatch {
  const log = opts.log ?? ((l: string) => console.log(l));
  const now = opts.now ?? (() => new Date());
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = slash >= 0 ? path.slice(0, slash) || "/" : ".";
  const name = path.slice(slash + 1);
  const watcher = Deno.watchFs(dir, { recursive: false });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain = Promise.resolve();
  const apply = () => {
    chain = chain.then(async () => {
      let text: string;
      try {
        text = await Deno.readTextFile(path);
      } catch (err) {
        return log(`Config edit refused: cannot read "${path}": ${(err as Error).message}`);
      }
      const r = await applyConfigEdit(deps, text, { source: path, now: now() });
      if (r.status === "applied") log(`Config edit applied: time attack and names from "${path}"`);
      if (r.status === "refused") log(`Config edit refused (the running season stays): ${r.reason}`);
    }).catch((err) => log(`Config edit failed: ${(err as Error).message}`));
  };
  (async () => {
    for await (const ev of watcher) {
      if (!ev.paths.some((p) => p.endsWith(`/${name}`) || p.endsWith(`\\${name}`) || p === name)) continue;
      clearTimeout(timer);
      timer = setTimeout(apply, opts.quietMs ?? 300);
    }
  })().catch(() => {});
  return {
    stop() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
