/** The game servers that push results, and the folders polled over SSH (the `servers` and `sshSources` areas). */
import { z } from "zod";
import { TimeZone } from "./fields.ts";

/** A game server: its id, game, display name, time zone and push secret variable. */
export const GameServer = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "use lower-case letters, digits, - and _ (max 40)"),
  game: z.enum(["acc", "ac", "etl"]),
  name: z.string().min(1).optional(),
  timeZone: TimeZone.default("UTC"),
  /** The variable holding the push secret, when not PODIUM_SECRET_<ID> (see ingest/push_auth.ts). */
  secretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name").optional(),
}).strict();
export type GameServer = z.infer<typeof GameServer>;

/**
 * The environment variable holding a game server's push secret: its `secretEnv`, else
 * `PODIUM_SECRET_<ID>` (upper-cased, anything but A-Z and 0-9 turned into `_`).
 */
export function pushSecretVariable(server: { id: string; secretEnv?: string | undefined }): string {
  return server.secretEnv ?? `PODIUM_SECRET_${server.id.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** A folder polled over SSH (ingest/ssh_poll.ts); files from it import as `server`'s. */
export const SshSource = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "use lower-case letters, digits, - and _ (max 40)"),
  server: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "the game server id its files belong to"),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1),
  /** The environment variable holding the private key (OpenSSH/PEM text, or that text base64-encoded). */
  privateKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"),
  remoteDir: z.string().min(1),
  /** File names to fetch: * and ? wildcards, e.g. "*.txt". */
  pattern: z.string().min(1).default("*"),
  hostKeyFingerprint: z.string().regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    'as `ssh-keygen -lf` prints it: "SHA256:..."',
  ),
  timeZone: TimeZone.optional(),
}).strict();
export type SshSource = z.infer<typeof SshSource>;
