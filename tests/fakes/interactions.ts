/**
 * Signs interaction POSTs exactly as Discord does: Ed25519 over the timestamp string followed by
 * the raw body bytes, hex in `X-Signature-Ed25519`, unix seconds in `X-Signature-Timestamp`.
 * The key pair is generated per signer; give the app `publicKeyHex` as DISCORD_PUBLIC_KEY.
 */
import { bytesToHex } from "@/discord/verify.ts";

/** Anything with Hono's `request` (an app) or a `fetch` handler. */
export type Target = { request(path: string, init: RequestInit): Response | Promise<Response> } | {
  fetch(req: Request): Response | Promise<Response>;
};

/** Ways to send a request that Discord would not (for the hostile cases). */
export interface PostOptions {
  /** Seconds since the epoch; default: now. */
  timestamp?: number | string;
  /** Send this body text instead of JSON.stringify(body), signed as is. */
  rawBody?: string;
  /** Replace the signature header with this value. */
  signature?: string;
  /** Leave out the signature header (or the timestamp header). */
  omit?: "signature" | "timestamp";
  /** Sign one body and send another. */
  tamper?: boolean;
  /** Path of the endpoint (default "/interactions"); a full URL for `fetch` targets. */
  path?: string;
}

/** A Discord-like signer with its own key pair. */
export interface Signer {
  publicKeyHex: string;
  /** Signs and POSTs one interaction body. */
  post(app: Target, body: unknown, opts?: PostOptions): Promise<Response>;
  /** The headers Discord would send for this body text. */
  headers(bodyText: string, timestamp?: number | string): Promise<Record<string, string>>;
}

/** Generates a key pair and returns a signer for it. */
export async function makeSigner(): Promise<Signer> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const publicKeyHex = bytesToHex(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)));
  const enc = new TextEncoder();
  async function headers(bodyText: string, timestamp: number | string = Math.floor(Date.now() / 1000)) {
    const ts = String(timestamp);
    const sig = await crypto.subtle.sign("Ed25519", pair.privateKey, enc.encode(ts + bodyText));
    return {
      "content-type": "application/json",
      "x-signature-ed25519": bytesToHex(new Uint8Array(sig)),
      "x-signature-timestamp": ts,
    };
  }
  return {
    publicKeyHex,
    headers,
    async post(app, body, opts = {}) {
      const text = opts.rawBody ?? JSON.stringify(body);
      const h: Record<string, string> = await headers(text, opts.timestamp);
      if (opts.signature !== undefined) h["x-signature-ed25519"] = opts.signature;
      if (opts.omit) delete h[`x-signature-${opts.omit === "signature" ? "ed25519" : "timestamp"}`];
      const sent = opts.tamper ? text.replace(/}$/, ', "x": 1}') : text;
      const path = opts.path ?? "/interactions";
      const init: RequestInit = { method: "POST", headers: h, body: sent };
      if ("request" in app) return await app.request(path, init);
      return await app.fetch(new Request(path.startsWith("http") ? path : `http://localhost${path}`, init));
    },
  };
}

let seq = 0;
function snowflake(): string {
  seq++;
  return String(1_300_000_000_000_000_000n + BigInt(seq));
}

/** Who is interacting: a guild member (with permissions and roles) or a DM user. */
export interface Actor {
  userId?: string;
  guildId?: string | null;
  /** Decimal permission bitset; default "0" (no admin rights). */
  permissions?: string;
  roles?: string[];
}

function actor(a: Actor = {}) {
  const user = {
    id: a.userId ?? "200000000000000001",
    username: "member",
    discriminator: "0",
    global_name: null,
  };
  if (a.guildId === null) return { user };
  return {
    guild_id: a.guildId ?? "300000000000000001",
    member: {
      user,
      roles: a.roles ?? [],
      permissions: a.permissions ?? "0",
      joined_at: "2026-01-01T00:00:00Z",
    },
  };
}

/** A string option of a subcommand (`focused` while it is being typed). */
export type StringOpt = { name: string; value: string; focused?: boolean };

/** The options of `/<command> <name> ...`: one subcommand with string options. */
export function subcommand(name: string, options: StringOpt[] = []) {
  return [{ name, type: 1, options: options.map((o) => ({ ...o, type: 3 })) }];
}

/** The options of `/<command> admin <name> ...`: the `admin` group's subcommand. */
export function adminSubcommand(name: string, options: StringOpt[] = []) {
  return [{ name: "admin", type: 2, options: subcommand(name, options) }];
}

/** A chat-input command as Discord sends it; `options` nest for subcommands (pass the raw list). */
export function commandBody(
  name: string,
  options: { name: string; type: number; value?: unknown; options?: unknown[]; focused?: boolean }[] = [],
  who?: Actor,
) {
  return {
    id: snowflake(),
    application_id: "100000000000000001",
    type: 2,
    token: `token-${seq}`,
    version: 1,
    channel_id: "400000000000000001",
    data: { id: "500000000000000001", name, type: 1, options },
    ...actor(who),
  };
}

/** An autocomplete request: the option being typed carries `focused: true`. */
export function autocompleteBody(
  name: string,
  options: { name: string; type: number; value?: unknown; options?: unknown[]; focused?: boolean }[],
  who?: Actor,
) {
  return { ...commandBody(name, options, who), type: 4 };
}

/** A button click. */
export function componentBody(customId: string, who?: Actor) {
  return {
    id: snowflake(),
    application_id: "100000000000000001",
    type: 3,
    token: `token-${seq}`,
    version: 1,
    channel_id: "400000000000000001",
    message: { id: "600000000000000001", channel_id: "400000000000000001" },
    data: { custom_id: customId, component_type: 2 },
    ...actor(who),
  };
}

/** Discord's endpoint check. */
export function pingBody() {
  return {
    id: snowflake(),
    application_id: "100000000000000001",
    type: 1,
    token: `token-${seq}`,
    version: 1,
  };
}
