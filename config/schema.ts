/** The schema of the optional JSON config file PODIUM_CONFIG names, area by area. */
import { z } from "zod";
import { DEFAULT_LAP_LIMITS } from "@/games/racing/laps.ts";
import { lowerKeys, Snowflake } from "./fields.ts";
import { GameServer, pushSecretVariable, SshSource } from "./servers.ts";
import { TimeAttack } from "./time_attack.ts";

/** Display names of AC content the Kunos table does not know (games/ac/names.ts). */
const ContentNames = z.object({
  /** By track folder name, or `track@layout` for one layout. */
  tracks: z.record(
    z.string().min(1).max(200),
    z.object({ name: z.string().min(1).max(100), country: z.string().min(1).max(60).optional() }).strict(),
  ).default({}).transform(lowerKeys),
  cars: z.record(
    z.string().min(1).max(100),
    z.object({
      name: z.string().min(1).max(100),
      brand: z.string().min(1).max(60).optional(),
      country: z.string().min(1).max(60).optional(),
    }).strict(),
  ).default({}).transform(lowerKeys),
}).strict();
/** A person known in advance (kv/people/merge.ts applyAliases): their name and identities. */
const Alias = z.object({
  name: z.string().trim().min(1).max(100),
  /** ACC/AC driver ids: a playerId ("S7656..."), an AC GUID, or a name-only id ("acc:first-last"). */
  drivers: z.array(z.string().min(1).max(100)).default([]),
  /** ET:Legacy GUIDs. */
  etl: z.array(z.string().regex(/^[0-9A-Fa-f]{8,32}$/, "an ET:Legacy GUID (hex)")).default([]),
  /** iRacing customer ids. */
  iracing: z.array(z.union([z.int().min(1), z.string().regex(/^\d{1,12}$/)])).default([]),
}).strict().refine((a) => a.drivers.length + a.etl.length + a.iracing.length >= 2, {
  message: "an alias names two identities or more",
});

/** ET:Legacy settings (docs/etl.md "Rounds that do not count", "Posts"). */
const EtlSettings = z.object({
  /** Which rounds are kept but not counted; see games/etl/exclusion.ts. */
  exclude: z.object({
    restarts: z.boolean().default(true),
    bots: z.boolean().default(true),
    fillerMaps: z.array(z.string().min(1).max(50)).max(100).default(["mp_sillyctf"]),
  }).strict().default({ restarts: true, bots: true, fillerMaps: ["mp_sillyctf"] }),
  /** The session summary is posted this long after the last round (Slomix: 60). */
  sessionSummaryAfterMinutes: z.int().min(5).max(24 * 60).default(30),
  /** Team names for `/et teams` and the session summary, by a member's GUID (any member names it). */
  teamNames: z.record(z.string().regex(/^[0-9A-Fa-f]{8}$/, "an 8-hex GUID"), z.string().min(1).max(40))
    .default({}),
}).strict();
export type EtlSettings = z.infer<typeof EtlSettings>;

/** The optional JSON config file. */
export const ConfigFile = z.object({
  league: z.object({ name: z.string().min(1).max(100) }).strict().default({ name: "Podium" }),
  servers: z.array(GameServer).default([]).refine(
    (s) => new Set(s.map((x) => x.id)).size === s.length,
    { message: "server ids must be unique" },
  ).superRefine((servers, ctx) => {
    // Ids are used exactly: two that read one secret variable could push as each other.
    const seen = new Map<string, string>();
    for (const s of servers) {
      const variable = pushSecretVariable(s);
      const other = seen.get(variable);
      if (other !== undefined && other !== s.id) {
        ctx.addIssue({
          code: "custom",
          message: `"${other}" and "${s.id}" would share the push secret ${variable}: ` +
            "rename one, or give one its own secretEnv",
        });
      }
      seen.set(variable, s.id);
    }
  }),
  /** The plausible lap range (games/racing/laps.ts): laps outside it are stored invalid. */
  laps: z.object({
    floorMs: z.int().min(0).max(600_000).default(DEFAULT_LAP_LIMITS.floorMs),
    ceilingMs: z.int().min(1000).max(86_400_000).default(DEFAULT_LAP_LIMITS.ceilingMs),
  }).strict().refine((l) => l.floorMs < l.ceilingMs, { message: "floorMs must be under ceilingMs" })
    .default(DEFAULT_LAP_LIMITS),
  sshSources: z.array(SshSource).default([]).refine(
    (s) => new Set(s.map((x) => x.id)).size === s.length,
    { message: "SSH source ids must be unique" },
  ),
  discord: z.object({
    channels: z.object({
      records: Snowflake.optional(),
      results: Snowflake.optional(),
      /** ET:Legacy round posts, map results and session summaries. */
      etl: Snowflake.optional(),
      /** Link requests waiting for approval (docs/identities.md). */
      admin: Snowflake.optional(),
    }).strict().default({}),
    /** Role ids whose members may use admin commands (besides Administrator / Manage Guild). */
    adminRoles: z.array(Snowflake).max(50).optional(),
    /** A /link to an identity that holds records or numbers waits for an admin (channels.admin). */
    linkApproval: z.boolean().optional(),
  }).strict().default({ channels: {} }),
  timeAttack: TimeAttack.optional(),
  etl: EtlSettings.default({
    exclude: { restarts: true, bots: true, fillerMaps: ["mp_sillyctf"] },
    sessionSummaryAfterMinutes: 30,
    teamNames: {},
  }),
  /** AC content names (tracks, cars) beside Kunos's and what the agents send. */
  names: ContentNames.default({ tracks: {}, cars: {} }),
  /** People known in advance: a name and the identities it owns (docs/identities.md). */
  aliases: z.array(Alias).max(1000).optional(),
}).strict().refine((c) => !c.discord.linkApproval || c.discord.channels.admin !== undefined, {
  message: "discord.linkApproval needs discord.channels.admin (where requests are posted)",
  path: ["discord", "channels", "admin"],
});
export type ConfigFile = z.infer<typeof ConfigFile>;
