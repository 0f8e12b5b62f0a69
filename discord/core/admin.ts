/**
 * `/admin`: what league admins do to people and links (docs/identities.md). Merge identities into
 * one person, split one off, undo, read the audit log; link or unlink any member. Admins only,
 * checked by the dispatcher (server-side) before `run`.
 */
import type { APIApplicationCommandBasicOption as BasicOption } from "discord-api-types/v10";
import type { Command, CommandContext, Reply } from "@/discord/command.ts";
import { OptionType as Opt, UserError } from "@/discord/command.ts";
import { echo, esc, fitLines, LIMITS, mention } from "@/discord/text.ts";
import { searchNames } from "@/discord/_names.ts";
import { checkIdentity, identityChoices } from "@/discord/core/link_checks.ts";
import { LINK_GAMES, type LinkGame, LinkTakenError, removeLink, setLink } from "@/kv/links.ts";
import {
  getPerson,
  identitiesOf,
  type Identity,
  identityText,
  isPersonId,
  parseIdentity,
} from "@/kv/people/people.ts";
import {
  listPeopleAudit,
  mergeIdentities,
  PeopleError,
  splitIdentity,
  undoPeopleChange,
} from "@/kv/people/merge.ts";
import { type PeopleAuditEntry, PeopleChangedError, type RegroupResult } from "@/kv/people/regroup.ts";
import { auditLink } from "@/kv/people/link_requests.ts";
import { searchEtlPlayers } from "@/kv/etl/search.ts";
import { getEtlPlayer } from "@/kv/etl/players.ts";
import { kvReader } from "@/kv/reader.ts";
import type { DriverProfile } from "@/kv/racing/drivers.ts";
import { driverKey } from "@/kv/racing/keys.ts";

const LABELS: Record<LinkGame, string> = {
  acc: "ACC",
  ac: "Assetto Corsa",
  etl: "ET:Legacy",
  iracing: "iRacing",
};

const identityOption = (name: string, description: string, required = true): BasicOption => ({
  name,
  description,
  type: Opt.String,
  required,
  autocomplete: true,
  max_length: 100,
});
const memberOption: BasicOption = {
  name: "member",
  description: "The member",
  type: Opt.User,
  required: true,
};
const gameOption: BasicOption = {
  name: "game",
  description: "The game",
  type: Opt.String,
  required: true,
  choices: LINK_GAMES.map((g) => ({ name: LABELS[g], value: g })),
};

function say(content: string): Reply {
  return { kind: "message", ephemeral: true, message: { content } };
}

/** The identity an admin typed or picked: a driver (id or exact name), "etl:<GUID>", "iracing:<id>", a person. */
async function identityFrom(ctx: CommandContext, typed: unknown): Promise<Identity> {
  const text = String(typed ?? "").trim();
  const kv = ctx.deps.kv;
  if (isPersonId(text)) {
    const p = await getPerson(kv, text);
    if (p) return identitiesOf(p)[0]!;
  }
  const i = parseIdentity(text);
  if (!i) {
    throw new UserError(`"${echo(text)}" is no identity: pick a driver or player from the list as you type`);
  }
  if (i.kind === "etl" && !(await getEtlPlayer(kvReader(kv), i.id))) {
    throw new UserError(`No ET:Legacy player has the GUID "${echo(i.id)}"`);
  }
  if (i.kind !== "driver") return i;
  if ((await kv.get<DriverProfile>(driverKey(i.id))).value) return i;
  const same = (await searchNames(kv, { query: text, kind: "driver", limit: 25 }))
    .filter((h) => h.name.toLowerCase() === text.toLowerCase());
  if (same.length === 1) return identityFrom(ctx, same[0]!.id);
  throw new UserError(
    same.length > 1
      ? `${same.length} drivers are named "${echo(text)}": pick one from the list as you type`
      : `No driver has the id or name "${echo(text)}": pick one from the list as you type`,
  );
}

function batches(r: RegroupResult | null): string {
  if (!r) return "";
  return ` Boards rewritten on ${r.tracks} track(s) in ${r.batches} commit(s); nothing was announced`;
}

async function peopleChange(work: () => Promise<Reply>): Promise<Reply> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof PeopleError) throw new UserError(esc(err.message));
    if (err instanceof PeopleChangedError) throw new UserError(`${esc(err.message)}: try again`);
    throw err;
  }
}

async function choices(ctx: CommandContext, focused: { name: string; value: string }): Promise<Reply> {
  if (focused.name === "player") return await identityChoices(ctx, ctx.options.game, focused.value);
  const kv = ctx.deps.kv;
  const [drivers, players] = await Promise.all([
    searchNames(kv, { query: focused.value, kind: "driver", limit: 20 }),
    focused.value.trim() ? searchEtlPlayers(kv, focused.value, 5) : Promise.resolve([]),
  ]);
  return {
    kind: "choices",
    choices: [
      ...drivers.map((h) => ({ name: `${h.name} (${h.id})`, value: h.id })),
      ...players.map((p) => ({ name: `${p.name} (ET:Legacy ${p.guid})`, value: `etl:${p.guid}` })),
    ],
  };
}

/**
 * One /admin log line: who (a mention, or "config file" for the aliases), what, and the summary
 * escaped, with the member a link was about as a mention. Older entries kept `<@id>` inside the
 * summary: those tokens become mentions, the text around them is escaped.
 */
export function auditLine(e: PeopleAuditEntry): string {
  const who = e.by === "config" ? "config file" : mention(e.by);
  const summary = e.member !== undefined
    ? `${mention(e.member)} ${esc(e.summary)}`
    : e.summary.split(/<@!?(\d{15,21})>/).map((part, i) => i % 2 ? mention(part) : esc(part)).join("");
  return `\`${e.id}\` ${e.at.slice(0, 16).replace("T", " ")} ${who} ${e.action}: ${summary}`;
}

const SUBS: Record<string, (ctx: CommandContext) => Promise<Reply>> = {
  merge: (ctx) =>
    peopleChange(async () => {
      const identities = [
        await identityFrom(ctx, ctx.options.identity),
        await identityFrom(ctx, ctx.options.with),
      ];
      const name = typeof ctx.options.name === "string" ? ctx.options.name : undefined;
      const { person, result } = await mergeIdentities(ctx.deps.kv, {
        identities,
        ...(name !== undefined ? { name } : {}),
      }, { by: ctx.userId, now: ctx.deps.now() });
      if (!result) return say(`Already one person: **${esc(person.name)}** (${esc(person.id)})`);
      const list = identitiesOf(person).map((i) => esc(identityText(i))).join(", ");
      return say(
        `Merged: **${esc(person.name)}** (${esc(person.id)}) is ${list}.${
          batches(result)
        }. Undo: /admin undo`,
      );
    }),
  split: (ctx) =>
    peopleChange(async () => {
      const identity = await identityFrom(ctx, ctx.options.identity);
      const { person, result } = await splitIdentity(ctx.deps.kv, identity, {
        by: ctx.userId,
        now: ctx.deps.now(),
      });
      return say(
        `Split: ${esc(identityText(identity))} stands alone again, out of **${esc(person.name)}**.${
          batches(result)
        }. Undo: /admin undo`,
      );
    }),
  undo: (ctx) =>
    peopleChange(async () => {
      const id = typeof ctx.options.entry === "string" ? ctx.options.entry.trim() : null;
      const { entry, result } = await undoPeopleChange(ctx.deps.kv, id || null, {
        by: ctx.userId,
        now: ctx.deps.now(),
      });
      return say(`Undone: ${entry.action} (${esc(entry.summary)}).${batches(result)}`);
    }),
  log: async (ctx) => {
    const entries = await listPeopleAudit(ctx.deps.kv, 20);
    if (entries.length === 0) return say("No people or link changes yet");
    return say(fitLines(entries.map(auditLine), LIMITS.content));
  },
  link: async (ctx) => {
    const game = String(ctx.options.game) as LinkGame;
    if (!LINK_GAMES.includes(game)) throw new UserError("Pick a game from the list");
    const member = String(ctx.options.member ?? "");
    const { playerId, name } = await checkIdentity(ctx, game, String(ctx.options.player ?? ""));
    try {
      await setLink(ctx.deps.kv, member, game, playerId, name, { now: ctx.deps.now(), verified: true });
    } catch (err) {
      if (err instanceof LinkTakenError) {
        throw new UserError(`Another member holds that ${LABELS[game]} identity: /admin unlink them first`);
      }
      throw err;
    }
    const summary = `as ${game} "${playerId}"`;
    await auditLink(ctx.deps.kv, { action: "link", by: ctx.userId, member, summary, now: ctx.deps.now() });
    return say(`Linked <@${member}> to ${LABELS[game]} ${name ? `**${esc(name)}** ` : ""}(${esc(playerId)})`);
  },
  unlink: async (ctx) => {
    const game = String(ctx.options.game) as LinkGame;
    if (!LINK_GAMES.includes(game)) throw new UserError("Pick a game from the list");
    const member = String(ctx.options.member ?? "");
    const removed = await removeLink(ctx.deps.kv, member, game);
    if (!removed) return say(`<@${member}> had no ${LABELS[game]} identity linked`);
    const summary = `from ${game} "${removed.playerId}"`;
    await auditLink(ctx.deps.kv, { action: "unlink", by: ctx.userId, member, summary, now: ctx.deps.now() });
    return say(`Unlinked <@${member}> from ${LABELS[game]} ${esc(removed.playerId)}`);
  },
};

/** The /admin command. */
export const admin: Command = {
  definition: {
    name: "admin",
    description: "People and links: merge, split, undo, log, link, unlink",
    options: [
      {
        name: "merge",
        description: "Make two identities (or people) one person",
        type: Opt.Subcommand,
        options: [
          identityOption("identity", "A driver, ET:Legacy player (etl:GUID) or iRacing id (iracing:123)"),
          identityOption("with", "The identity to merge with it"),
          {
            name: "name",
            description: "The person's name (default: the first one's)",
            type: Opt.String,
            max_length: 100,
          },
        ],
      },
      {
        name: "split",
        description: "Take one identity out of its person",
        type: Opt.Subcommand,
        options: [identityOption("identity", "The identity to take out")],
      },
      {
        name: "undo",
        description: "Undo the newest merge or split (or the log entry named)",
        type: Opt.Subcommand,
        options: [{
          name: "entry",
          description: "An entry id from /admin log",
          type: Opt.String,
          max_length: 40,
        }],
      },
      { name: "log", description: "The newest merges, splits, links and unlinks", type: Opt.Subcommand },
      {
        name: "link",
        description: "Link a member to a game identity",
        type: Opt.Subcommand,
        options: [memberOption, gameOption, identityOption("player", "The driver, player or customer id")],
      },
      {
        name: "unlink",
        description: "Remove a member's link in a game",
        type: Opt.Subcommand,
        options: [memberOption, gameOption],
      },
    ],
  },
  admin: true,
  async run(ctx) {
    const sub = SUBS[ctx.sub[0] ?? ""];
    if (!sub) throw new UserError("Pick one of: merge, split, undo, log, link, unlink");
    return await sub(ctx);
  },
  autocomplete: choices,
};
