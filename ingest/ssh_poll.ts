/**
 * Polls the configured SSH sources (README "Getting files in"): for each, take its lease, log in
 * (host key checked), list the remote folder, download only files not seen before (name, size and
 * mtime; identity is still the content hash), import them oldest first through the shared live
 * importer, remember them, give the lease back. Sources run side by side, and one that fails or
 * hangs never stops the others.
 */
import type { SshSource } from "@/config.ts";
import type { AppDeps } from "@/routes/env.ts";
import { connectSsh, type RemoteFile, type SshSession, type SshTarget } from "@/lib/ssh.ts";
import { importLive, StoreBusy } from "@/ingest/live.ts";
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
  deps: AppDeps,
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
    const pattern = globToRegExp(src.pattern);
    const files = (await session.list(src.remoteDir)).filter((f) => pattern.test(f.name));
    report.listed = files.length;
    const fresh = files.filter((f) => !seen.has(f.name, f))
      .sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
    try {
      for (const f of fresh) {
        // Renew well before the lease runs out; a poll that lost its lease stops at once.
        if (
          lease.untilMs - deps.now().getTime() < leaseMs / 2 &&
          !await renewLease(deps.kv, lease, deps.now(), leaseMs)
        ) {
          throw new Error("lost the lease to another poll; it carries on");
        }
        await handleFile(deps, src, session, f, report, log);
        seen.add(f.name, f);
      }
    } finally {
      seen.keepOnly(new Set(files.map((f) => f.name)));
      await seen.save();
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

async function handleFile(
  deps: AppDeps,
  src: SshSource,
  session: SshSession,
  f: RemoteFile,
  report: SourceReport,
  log: (line: string) => void,
): Promise<void> {
  if (f.size > MAX_FILE_BYTES) {
    report.rejected++;
    log(
      `ssh ${src.id}: rejected ${f.name}: ${(f.size / 1024 / 1024).toFixed(1)} MiB is over the 32 MiB limit`,
    );
    return;
  }
  const bytes = await session.read(posixJoin(src.remoteDir, f.name));
  report.fetched++;
  const r = await importLive(deps, {
    name: f.name,
    bytes,
    serverId: src.server,
    ...(src.timeZone ? { timeZone: src.timeZone } : {}),
    modifiedAt: new Date(f.mtimeMs),
    origin: `ssh:${src.id}:${posixJoin(src.remoteDir, f.name)}`,
  }).catch((err) => {
    if (err instanceof StoreBusy) throw new Error(`${err.message}; the next poll tries again`);
    throw err;
  });
  if (r.status === "imported") {
    report.imported++;
    log(`ssh ${src.id}: imported ${f.name} as session ${r.sessionId}`);
  } else if (r.status === "rejected") {
    report.rejected++;
    log(`ssh ${src.id}: rejected ${f.name}: ${r.reason}`);
  } else report.duplicate++;
}

/** Polls every configured source side by side; one line per source that failed or brought news. */
export async function pollSources(deps: AppDeps, now: Date, opts: PollOptions = {}): Promise<SourceReport[]> {
  const sources = deps.config.sshSources ?? [];
  return await Promise.all(sources.map((src) => pollSource(deps, src, now, opts)));
}
