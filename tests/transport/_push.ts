/** Builds signed push requests for tests, computing the HMAC with WebCrypto (independently of the hub's code). */
import { createApp } from "@/app.ts";
import { type Config, loadConfig } from "@/config.ts";
import type { BodyBudget } from "@/lib/body.ts";

const enc = new TextEncoder();

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The documented signature: hex HMAC-SHA256 over "podium-push-2\ntimestamp\nserver\nfile\nsize\nsha256(body)". */
export async function sign(
  secret: string,
  p: { timestamp: string; server: string; file: string; size: number; sha256: string },
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  const text = `podium-push-2\n${p.timestamp}\n${p.server}\n${p.file}\n${p.size}\n${p.sha256}`;
  return hex(await crypto.subtle.sign("HMAC", key, enc.encode(text)));
}

/** The hex SHA-256 of bytes. */
export async function sha256Of(body: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>));
}

/** The signed headers of a push of `body` (the protocol's v2: size and hash signed). */
export async function pushHeaders(
  opts: { secret: string; server: string; file: string; body: Uint8Array; at: Date },
): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(opts.at.getTime() / 1000));
  const sha256 = await sha256Of(opts.body);
  const size = opts.body.length;
  return {
    "x-podium-server": opts.server,
    "x-podium-file": encodeURIComponent(opts.file),
    "x-podium-timestamp": timestamp,
    "x-podium-size": String(size),
    "x-podium-sha256": sha256,
    "x-podium-signature": await sign(opts.secret, {
      timestamp,
      server: opts.server,
      file: opts.file,
      size,
      sha256,
    }),
  };
}

/** A signed POST /api/ingest request; `over` replaces any header (null drops it). */
export async function pushRequest(
  opts: {
    secret: string;
    server: string;
    file: string;
    body: Uint8Array;
    at: Date;
    over?: Record<string, string | null>;
    base?: string;
  },
): Promise<Request> {
  const headers = await pushHeaders(opts);
  for (const [k, v] of Object.entries(opts.over ?? {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  return new Request(`${opts.base ?? "http://hub.test"}/api/ingest`, {
    method: "POST",
    headers,
    body: opts.body as Uint8Array<ArrayBuffer>,
  });
}

/** The default test configuration, with `servers` from a config file's shape. */
export function configWith(servers: unknown[] = []): Config {
  const base = loadConfig((name) => ({ PODIUM_KV: ":memory:" } as Record<string, string>)[name]);
  return { ...base, servers: servers as Config["servers"] };
}

/** The app over `kv` with a fixed clock, and a delivery that counts kicks. */
export function pushApp(kv: Deno.Kv, opts: { now: Date; config?: Config; bodyBudget?: BodyBudget }) {
  const kicks = { n: 0 };
  const deps = {
    kv,
    config: opts.config ?? configWith(),
    now: () => opts.now,
    delivery: { kick: () => void kicks.n++ },
  };
  return { app: createApp(deps, opts.bodyBudget ? { bodyBudget: opts.bodyBudget } : {}), kicks };
}

/** A chunked body of `size` bytes that counts how much of it the hub pulled. */
export function counted(size: number) {
  let pulled = 0;
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (pulled >= size) return ctl.close();
      ctl.enqueue(chunk.slice());
      pulled += chunk.length;
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => pulled };
}
