/**
 * SSH behind a small interface (list, read, write, exec over one connection), built on npm ssh2.
 * Two things matter (shared/docs/platform.md): Nagle is off on our own socket (ssh2's default
 * costs 30x on a 10,000-file listing), and the host key is verified against the SHA-256
 * fingerprint `ssh-keygen -lf` prints, so an unknown or changed key refuses the connection. Every
 * step has a timeout; a step that times out closes the connection.
 */
import { createHash } from "node:crypto";
import net from "node:net";
import { Buffer } from "node:buffer";
import { Client } from "ssh2";

/** Where and how to log in. */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** The private key, OpenSSH or PEM text. */
  privateKey: string;
  /** The server's host key fingerprint as `ssh-keygen -lf` prints it: "SHA256:...". */
  hostKeyFingerprint: string;
}

/** A file in a remote folder. */
export interface RemoteFile {
  name: string;
  size: number;
  mtimeMs: number;
}

/** One logged-in connection. */
export interface SshSession {
  /** Regular files of a folder (no subfolders, links or devices). */
  list(dir: string): Promise<RemoteFile[]>;
  read(path: string): Promise<Uint8Array>;
  write(path: string, bytes: Uint8Array): Promise<void>;
  exec(cmd: string): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Why an SSH step failed, in a sentence naming the host. */
export class SshError extends Error {}

/** The host key's fingerprint does not match the configured one. */
export class HostKeyMismatch extends SshError {}

/** The `ssh-keygen -lf` fingerprint of a raw public key blob. */
export function sshFingerprint(key: Uint8Array): string {
  return "SHA256:" + createHash("sha256").update(key).digest("base64").replace(/=+$/, "");
}

// deno-lint-ignore no-explicit-any
type Any = any;

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new SshError(`Timed out after ${ms} ms ${what}`));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Connects, verifies the host key and opens SFTP. `timeoutMs` bounds each step (default 10 s). */
export async function connectSsh(target: SshTarget, opts: { timeoutMs?: number } = {}): Promise<SshSession> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const where = `${target.user}@${target.host}:${target.port}`;
  const sock = net.connect({ host: target.host, port: target.port, noDelay: true });
  const client: Any = new Client();
  let seenKey: string | null = null;
  const kill = () => {
    try {
      client.end();
    } catch { /* already closed */ }
    sock.destroy();
  };
  const ready = new Promise<void>((resolve, reject) => {
    client.once("ready", resolve);
    client.once("error", (err: Error) => {
      if (seenKey !== null && seenKey !== target.hostKeyFingerprint) {
        reject(
          new HostKeyMismatch(
            `Refused ${where}: its host key is ${seenKey}, the config expects ${target.hostKeyFingerprint}. ` +
              "If the server's key really changed, put the new fingerprint (ssh-keygen -lf) in the config",
          ),
        );
      } else reject(new SshError(`Cannot log in to ${where}: ${err.message}`));
    });
  });
  // Errors reach the step that hit them; these keep late ones (after a timeout) from going unhandled.
  sock.on("error", () => {});
  client.on("error", () => {});
  try {
    client.connect({
      sock,
      username: target.user,
      privateKey: target.privateKey,
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        seenKey = sshFingerprint(key);
        return seenKey === target.hostKeyFingerprint;
      },
    });
  } catch (err) {
    kill();
    throw new SshError(`Cannot log in to ${where}: ${(err as Error).message}`);
  }
  try {
    await withTimeout(ready, timeoutMs, `logging in to ${where}`, kill);
  } catch (err) {
    kill();
    throw err;
  }
  let sftp: Any;
  try {
    sftp = await withTimeout(
      new Promise((resolve, reject) =>
        client.sftp((err: Error | undefined, s: Any) => err ? reject(err) : resolve(s))
      ),
      timeoutMs,
      `opening SFTP on ${where}`,
      kill,
    );
  } catch (err) {
    kill();
    throw err instanceof SshError
      ? err
      : new SshError(`Cannot open SFTP on ${where}: ${(err as Error).message}`);
  }
  const step = <T>(what: string, fn: (done: (err: Error | undefined | null, v?: T) => void) => void) =>
    withTimeout(
      new Promise<T>((resolve, reject) =>
        fn((err, v) =>
          err ? reject(new SshError(`Failed ${what} on ${where}: ${err.message}`)) : resolve(v as T)
        )
      ),
      timeoutMs,
      `${what} on ${where}`,
      kill,
    );
  const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
  return {
    list: async (dir) => {
      const entries = await step<Any[]>(`listing "${dir}"`, (done) => sftp.readdir(dir, done));
      return entries
        .filter((e) => e.attrs.isFile())
        .map((e) => ({
          name: e.filename as string,
          size: e.attrs.size as number,
          mtimeMs: e.attrs.mtime * 1000,
        }));
    },
    read: async (path) => {
      const buf = await step<Buffer>(`reading "${path}"`, (done) => sftp.readFile(path, done));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    },
    write: (path, bytes) =>
      step<void>(`writing "${path}"`, (done) => sftp.writeFile(path, Buffer.from(bytes), done)),
    exec: (cmd) =>
      withTimeout(
        new Promise((resolve, reject) =>
          client.exec(cmd, (err: Error | undefined, stream: Any) => {
            if (err) return reject(new SshError(`Cannot run a command on ${where}: ${err.message}`));
            let stdout = "", stderr = "", code = -1;
            stream.on("data", (d: Buffer) => stdout += d.toString("utf8"));
            stream.stderr.on("data", (d: Buffer) => stderr += d.toString("utf8"));
            stream.on("exit", (c: number | null) => code = c ?? -1);
            stream.on("close", () => resolve({ code, stdout, stderr }));
          })
        ),
        timeoutMs,
        `running a command on ${where}`,
        kill,
      ),
    close: async () => {
      client.end();
      await withTimeout(closed, timeoutMs, `closing ${where}`, kill).catch(() => {});
    },
  };
}
