/**
 * Polls the configured SSH sources (docs/game_servers.md): for each, take its lease, log in
 * (host key checked), list the remote folder, download only files not seen before (name, size and
 * mtime; identity is still the content hash), import them oldest first through the shared live
 * importer, remember them, give the lease back. Sources run side by side, and one that fails or
 * hangs never stops the others.
 */
import type { SshSource } from "@/config.ts";
import type { IngestDeps } from "@/ingest/deps.ts";
import { connectSsh, type RemoteFile, type SshSession, type SshTarget } from "@/lib/ssh.ts";
import { importLiveMany, StoreBusy } from "@/ingest/live.ts";
import type { ImportItem, ImportReport } from "@/ingest/importer.ts";
import { MAX_FILE_BYTES } from "@/ingest/pipeline.ts";
import { type Lease, releaseLease, renewLease, SeenFiles, takeLease } from "@/kv/transport/ssh_state.ts";

/** What one poll of one source did. */
export interface SourceReport {
  source: string;
  /** ok; busy: another poll holds the source; failed: see `error`. */
  status: "ok" | "busy" | "failed";
  listed: number;
  fetched: number;
  imported: number;
  duplicate: number;
  rejected: number;
  error?: string;
  /** Where the time went, in ms: logging in (with the lease and the seen files), listing, fetching and importing, saving. */
  ms: { login: number; list: number; fetchImport: number; save: number };
}

/** Knobs for tests and the benchmark. */
export interface PollOptions {
  /** Bound on every SSH step (default 10 s). */
  timeoutMs?: number;
  /** How long a lease lasts unless renewed (default 2 min). */
  leaseMs?: number;
  /** Environment lookup for private keys (default Deno.env). */
  env?: (name: string) => string | undefined;
  connect?: (target: SshTarget, opts: { timeoutMs: number }) => Promise<SshSession>;
  log?: (line: string) => void;
}

/** A glob of * and ? as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/** The private key from its variable: PEM text, or that text base64-encoded. */
export function privateKeyFrom(value: string): string {
  if (value.includes("-----BEGIN")) return value.replace(/\\n/g, "\n");
  try {
    const decoded = atob(value.replace(/\s+/g, ""));
    if (decoded.includes("-----BEGIN")) return decoded;
  } catch { /* not base64 */ }
  return value;
}

function posixJoin(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** Polls one source; never throws. */
export async function pollSource(
  deps: IngestDeps,
  src: SshSource,
  now: Date,
  opts: PollOptions = {},
): Promise<SourceReport> {
  const report: SourceReport = {
    source: src.id,
    status: "ok",
    listed: 0,
    fetched: 0,
    imported: 0,
    duplicate: 0,
    rejected: 0,
    ms: { login: 0, list: 0, fetchImport: 0, save: 0 },
  };
  let t = performance.now();
  const lap = (phase: keyof SourceReport["ms"]) => {
    const n = performance.now();
    report.ms[phase] = Math.round(n - t);
    t = n;
  };
  const log = opts.log ?? ((l: string) => console.log(l));
  const leaseMs = opts.leaseMs ?? 120_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let lease: Lease | null = null;
  let session: SshSession | null = null;
  try {
    lease = await takeLease(deps.kv, src.id, now, leaseMs);
    if (!lease) return { ...report, status: "busy" };
    const key = (opts.env ?? ((n) => Deno.env.get(n)))(src.privateKeyEnv);
    if (!key) throw new Error(`${src.privateKeyEnv} is not set (the private key)`);
    const target = {
      host: src.host,
      port: src.port,
      user: src.user,
      privateKey: privateKeyFrom(key),
      hostKeyFingerprint: src.hostKeyFingerprint,
    };
    const [s, seen] = await Promise.all([
      (opts.connect ?? connectSsh)(target, { timeoutMs }),
      SeenFiles.load(deps.kv, src.id),
    ]);
    session = s;
    lap("login");
    const pattern = globToRegExp(src.pattern);
    const files = (await session.list(src.remoteDir)).filter((f) => pattern.test(f.name));
    report.listed = files.length;
    lap("list");
    const fresh = files.filter((f) => !seen.has(f.name, f))
      .sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
    let leaseLost = false;
    try {
      await fetchAndImport(deps, src, session, fresh, { report, log, seen, lease, leaseMs });
    } catch (err) {
      leaseLost = err instanceof LeaseLost;
      throw err;
    } finally {
      lap("fetchImport");
      // A poll that lost its lease leaves the seen files to the one that holds it now.
      if (!leaseLost) {
        seen.keepOnly(new Set(files.map((f) => f.name)));
        await seen.save();
      }
      lap("save");
    }
  } catch (err) {
    report.status = "failed";
    report.error = (err as Error).message;
    log(`ssh ${src.id}: ${report.error}`);
  } finally {
    await session?.close().catch(() => {});
    if (lease) await releaseLease(deps.kv, lease).catch(() => {});
  }
  return report;
}

const READ_AHEAD = 8;

class LeaseLost extends Error {}

/**
 * Downloads the new files a few ahead (SFTP answers several requests at once) and imports them
 * in order, several per commit; each file is remembered once its fate is known. Files a busy store
 * could not take are left for the next poll.
 */
async function fetchAndImport(
  deps: IngestDeps,
  src: SshSource,
  session: SshSession,
  fresh: RemoteFile[],
  ctx: { report: SourceReport; log: (line: string) => void; seen: SeenFiles; lease: Lease; leaseMs: number },
): Promise<void> {
  const { report, log, seen, lease, leaseMs } = ctx;
  const byOrigin = new Map<string, RemoteFile>();
  const reads = new Map<number, Promise<Uint8Array>>();
  const tooLarge = (f: RemoteFile) => f.size > MAX_FILE_BYTES;
  const startRead = (i: number) => {
    const f = fresh[i];
    if (!f || reads.has(i) || tooLarge(f)) return;
    const p = session.read(posixJoin(src.remoteDir, f.name));
    p.catch(() => {}); // awaited in turn below; a failure surfaces there
    reads.set(i, p);
  };
  async function* items(): AsyncGenerator<ImportItem> {
    for (let i = 0; i < fresh.length; i++) {
      for (let j = i; j < i + READ_AHEAD; j++) startRead(j);
      const f = fresh[i]!;
      // Renew well before the lease runs out; a poll that lost its lease stops at once.
      if (
        lease.untilMs - deps.now().getTime() < leaseMs / 2 &&
        !await renewLease(deps.kv, lease, deps.now(), leaseMs)
      ) {
        throw new LeaseLost(`lost the lease of "${src.id}" to another poll; it carries on`);
      }
      if (tooLarge(f)) {
        report.rejected++;
        log(
          `ssh ${src.id}: rejected ${f.name}: ${
            (f.size / 1024 / 1024).toFixed(1)
          } MiB is over the 32 MiB limit`,
        );
        seen.add(f.name, f);
        continue;
      }
      const bytes = await reads.get(i)!;
      reads.delete(i);
      report.fetched++;
      const origin = `ssh:${src.id}:${posixJoin(src.remoteDir, f.name)}`;
      byOrigin.set(origin, f);
      yield {
        name: f.name,
        bytes,
        serverId: src.server,
        ...(src.timeZone ? { timeZone: src.timeZone } : {}),
        modifiedAt: new Date(f.mtimeMs),
        origin,
      };
    }
  }
  const onReport = (r: ImportReport) => {
    const f = byOrigin.get(r.origin ?? "");
    if (r.status === "imported") {
      report.imported++;
      log(`ssh ${src.id}: imported ${r.name} as session ${r.sessionId}`);
    } else if (r.status === "rejected" && r.transient) return; // not stored: the next poll tries again
    else if (r.status === "rejected") {
      report.rejected++;
      log(`ssh ${src.id}: rejected ${r.name}: ${r.reason}`);
    } else report.duplicate++;
    if (f) seen.add(f.name, f);
  };
  try {
    await importLiveMany(deps, items(), onReport);
  } catch (err) {
    if (err instanceof StoreBusy) throw new Error(`${err.message}; the next poll tries again`);
    throw err;
  }
}

/** Polls every configured source side by side; one line per source that failed or brought news. */
export async function pollSources(
  deps: IngestDeps,
  now: Date,
  opts: PollOptions = {},
): Promise<SourceReport[]> {
  const sources = deps.config.sshSources ?? [];
  return await Promise.all(sources.map((src) => pollSource(deps, src, now, opts)));
}
