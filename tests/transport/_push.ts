/** Builds signed push requests for tests, computing the HMAC with WebCrypto (independently of the hub's code). */
import { createApp } from "@/app.ts";
import { type Config, loadConfig } from "@/config.ts";

const enc = new TextEncoder();

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The documented signature: hex HMAC-SHA256 over "timestamp\nserver\nfile\nsha256(body)". */
export async function sign(
  secret: string,
  p: { timestamp: string; server: string; file: string; body: Uint8Array },
): Promise<string> {
  const bodyHash = hex(await crypto.subtle.digest("SHA-256", p.body as Uint8Array<ArrayBuffer>));
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  return hex(
    await crypto.subtle.sign("HMAC", key, enc.encode(`${p.timestamp}\n${p.server}\n${p.file}\n${bodyHash}`)),
  );
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
  const timestamp = String(Math.floor(opts.at.getTime() / 1000));
  const headers: Record<string, string> = {
    "x-podium-server": opts.server,
    "x-podium-file": encodeURIComponent(opts.file),
    "x-podium-timestamp": timestamp,
    "x-podium-signature": await sign(opts.secret, {
      timestamp,
      server: opts.server,
      file: opts.file,
      body: opts.body,
    }),
  };
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
export function pushApp(kv: Deno.Kv, opts: { now: Date; config?: Config }) {
  const kicks = { n: 0 };
  const deps = {
    kv,
    config: opts.config ?? configWith(),
    now: () => opts.now,
    delivery: { kick: () => void kicks.n++ },
  };
  return { app: createApp(deps), kicks };
}
