/**
 * The `ta` set (time attack, when `timeAttack` is configured): /standings, /schedule, /event and
 * /ta pb. Each reads its options and calls discord/ta/replies.ts; a `TaUserError` becomes one
 * ephemeral sentence.
 */
import type { Command, CommandContext, CommandSet, ComponentHandler, Reply } from "@/discord/command.ts";
import { OptionType as Opt, UserError } from "@/discord/command.ts";
import { searchNames } from "@/kv/racing/names.ts";
import { linkedPlayer } from "@/discord/core/commands.ts";
import {
  eventChoices,
  eventReply,
  pbReply,
  scheduleReply,
  standingsReply,
  TaUserError,
} from "@/discord/ta/replies.ts";
import type { TaMessage } from "@/discord/ta/embeds.ts";

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** Runs a reply builder; what the member can fix comes back as one sentence. */
async function answer(
  build: () => TaMessage | Promise<TaMessage>,
  kind: "message" | "update" = "message",
): Promise<Reply> {
  try {
    const { embeds, content, components } = await build();
    return {
      kind,
      message: {
        embeds,
        ...(content !== undefined ? { content } : {}),
        ...(components !== undefined ? { components } : {}),
      },
    };
  } catch (err) {
    if (err instanceof TaUserError) throw new UserError(err.message);
    throw err;
  }
}

const now = (ctx: CommandContext) => ctx.deps.now().getTime();

const standings: Command = {
  definition: {
    name: "standings",
    description: "Time-attack season standings: points per event, drop weeks, totals",
    options: [{
      name: "season",
      description: "The season number; the current one when left out",
      type: Opt.Integer,
      min_value: 1,
    }],
  },
  run(ctx) {
    const season = typeof ctx.options.season === "number" ? ctx.options.season : undefined;
    return answer(() => standingsReply(ctx.deps.kv, ctx.deps.config.timeAttack, season, now(ctx)));
  },
};

const schedule: Command = {
  definition: { name: "schedule", description: "The time-attack schedule: tracks, cars and start times" },
  run(ctx) {
    return answer(() => scheduleReply(ctx.deps.kv, ctx.deps.config, now(ctx)));
  },
};

const event: Command = {
  definition: {
    name: "event",
    description: "A time-attack event's top 10 and the time left",
    options: [{
      name: "key",
      description: "The event; the current one when left out",
      type: Opt.String,
      autocomplete: true,
      max_length: 40,
    }],
  },
  run(ctx) {
    return answer(() => eventReply(ctx.deps.kv, ctx.deps.config, str(ctx, "key"), now(ctx)));
  },
  autocomplete(ctx, focused) {
    return Promise.resolve({
      kind: "choices",
      choices: eventChoices(ctx.deps.config.timeAttack, focused.value, now(ctx)),
    });
  },
};

const ta: Command = {
  definition: {
    name: "ta",
    description: "Time attack",
    options: [{
      name: "pb",
      description: "A driver's best lap in each event of this season, with rank and points",
      type: Opt.Subcommand,
      options: [{
        name: "player",
        description: "The driver; you (your /link) when left out",
        type: Opt.String,
        autocomplete: true,
        max_length: 100,
      }],
    }],
  },
  async run(ctx) {
    // The member's own link (AC) when no player is given; a typed name or GUID otherwise.
    const typed = str(ctx, "player");
    // Time attack runs on Assetto Corsa: only the AC link counts, never an ACC one.
    const player = typed ?? await linkedPlayer(ctx, "ac");
    return await answer(() => pbReply(ctx.deps.kv, ctx.deps.config, player, now(ctx)));
  },
  async autocomplete(ctx, focused) {
    const hits = await searchNames(ctx.deps.kv, {
      query: focused.value,
      kind: "driver",
      game: "ac",
      limit: 25,
    });
    return { kind: "choices", choices: hits.map((h) => ({ name: h.name, value: h.id })) };
  },
};

const older = "This button is from an older version; run the command again";

/** `/standings`' page buttons: `tas:<season>|<page>` (the season the reply showed). */
const standingsPager: ComponentHandler = {
  id: "tas",
  run(ctx, state) {
    const m = /^(\d{1,6})\|(-?\d{1,3})$/.exec(state);
    if (!m) throw new UserError(older);
    return answer(
      () => standingsReply(ctx.deps.kv, ctx.deps.config.timeAttack, Number(m[1]), now(ctx), Number(m[2])),
      "update",
    );
  },
};

/** `/event`'s page buttons: `tae:<event key>|<page>`. */
const eventPager: ComponentHandler = {
  id: "tae",
  run(ctx, state) {
    const m = /^(.{1,40})\|(-?\d{1,3})$/s.exec(state);
    if (!m) throw new UserError(older);
    return answer(() => eventReply(ctx.deps.kv, ctx.deps.config, m[1], now(ctx), Number(m[2])), "update");
  },
};

/** The `ta` command set. */
export const taCommands: CommandSet = {
  id: "ta",
  enabled: (config) => config.timeAttack !== undefined,
  commands: [standings, schedule, event, ta],
  components: [standingsPager, eventPager],
};
