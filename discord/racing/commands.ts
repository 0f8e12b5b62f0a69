/**
 * The `racing` set (ACC and AC): /records, /pb, /leaders, /tracks, /recent and the admin /status.
 * Reads come from the racing core (boards, ranks, driver stats); messages from embeds.ts.
 */
import type { Command, CommandContext, CommandSet, ComponentHandler, Reply } from "@/discord/command.ts";
import { OptionType as Opt, UserError } from "@/discord/command.ts";
import { searchNames } from "@/discord/_names.ts";
import { esc } from "@/discord/text.ts";
import {
  leadersEmbed,
  pbEmbed,
  type PbView,
  recentEmbed,
  recordsEmbed,
  recordsPageEmbed,
  statusEmbed,
  tracksEmbed,
} from "@/discord/racing/embeds.ts";
import {
  leaders,
  recentSessions,
  resolveDriver,
  resolveTrack,
  trackClasses,
} from "@/discord/racing/reads.ts";
import type { RacingGame, SessionKind } from "@/games/racing/types.ts";
import { changesKey } from "@/kv/keys.ts";
import { listOutbox } from "@/kv/outbox.ts";
import { deliveryStatus } from "@/discord/delivery_status.ts";
import { ALL_CLASSES } from "@/kv/racing/keys.ts";
import { driverPbs, recordsOf } from "@/kv/racing/records.ts";
import { listTracks } from "@/kv/racing/tracks.ts";
import { loadAcNames, withAcNames } from "@/kv/ac_content/names.ts";
import { kvReader } from "@/kv/reader.ts";
import { clampPage, MAX_PAGES, pageCount, pager } from "@/discord/pages.ts";

const RECORDS_PAGE = 10;
const LEADERS_PAGE = 8;
const GAME_LABEL: Record<RacingGame, string> = { acc: "ACC", ac: "AC" };

const trackOption = {
  name: "track",
  description: "The track; pick from the list as you type",
  type: Opt.String,
  required: true,
  autocomplete: true,
  max_length: 100,
} as const;
const classOption = {
  name: "class",
  description: "A car class (GT3, GT4, ...); all classes when left out",
  type: Opt.String,
  autocomplete: true,
  max_length: 60,
} as const;

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

async function trackChoices(ctx: CommandContext, query: string): Promise<Reply> {
  const hits = await searchNames(ctx.deps.kv, { query, kind: "track", limit: 25 });
  return {
    kind: "choices",
    choices: hits.map((h) => ({ name: `${h.name} (${h.game ? GAME_LABEL[h.game] : "?"})`, value: h.id })),
  };
}

async function driverChoices(ctx: CommandContext, query: string): Promise<Reply> {
  const hits = await searchNames(ctx.deps.kv, { query, kind: "driver", limit: 25 });
  const count = new Map<string, number>();
  for (const h of hits) count.set(h.name, (count.get(h.name) ?? 0) + 1);
  return {
    kind: "choices",
    choices: hits.map((h) => ({
      name: count.get(h.name)! > 1 ? `${h.name} (${h.id})` : h.name,
      value: h.id,
    })),
  };
}

async function classChoices(ctx: CommandContext, query: string): Promise<Reply> {
  const typed = str(ctx, "track");
  if (!typed) return { kind: "choices", choices: [] };
  const track = await resolveTrack(ctx.deps.kv, typed, ctx.deps.config).catch(() => null);
  if (!track) return { kind: "choices", choices: [] };
  const q = query.toLowerCase();
  const classes = (await trackClasses(ctx.deps.kv, track.game, track.track)).filter((c) =>
    c.toLowerCase().includes(q)
  );
  return { kind: "choices", choices: classes.slice(0, 25).map((c) => ({ name: c, value: c })) };
}

/** The state of a leaderboard page, carried in its buttons' custom_id. */
function recordsState(game: RacingGame, track: string, kind: SessionKind, cls: string) {
  return (page: number) => `${game}/${track}|${kind}|${cls}|${page}`;
}

async function recordsPage(
  ctx: CommandContext,
  t: { game: RacingGame; track: string; name: string },
  kind: SessionKind,
  cls: string,
  page: number,
) {
  const board = { game: t.game, track: t.track, kind, cls };
  const wanted = Math.max(0, Math.min(MAX_PAGES - 1, page));
  const { entries, of } = await recordsOf(kvReader(ctx.deps.kv), board, (wanted + 1) * RECORDS_PAGE);
  // A forged or stale button (page 99 of a 7-page board) shows the last page, never "page 50 of 7".
  const pages = pageCount(of, RECORDS_PAGE);
  page = clampPage(wanted, pages);
  const embed = recordsPageEmbed({
    name: t.name,
    game: t.game,
    cls,
    kind,
    entries: entries.slice(page * RECORDS_PAGE),
    leaderMs: entries[0]?.lapMs ?? null,
    of,
    page,
    pages,
  });
  return { embeds: [embed], components: pager("rec", recordsState(t.game, t.track, kind, cls), page, pages) };
}

const records: Command = {
  definition: {
    name: "records",
    description: "Top 3 qualifying and race times of a track; with kind, its top 10 with pages",
    options: [
      trackOption,
      {
        name: "kind",
        description: "Qualifying or race: show that leaderboard, 10 a page",
        type: Opt.String,
        choices: [{ name: "Qualifying", value: "Q" }, { name: "Race", value: "R" }],
      },
      classOption,
    ],
  },
  async run(ctx) {
    const typed = str(ctx, "track") ?? "";
    const cls = str(ctx, "class") ?? ALL_CLASSES;
    const kind = str(ctx, "kind");
    const { kv, viewCache } = ctx.deps;
    if (kind === "Q" || kind === "R") {
      return {
        kind: "message",
        message: await recordsPage(ctx, await resolveTrack(kv, typed, ctx.deps.config), kind, cls, 0),
      };
    }
    // Kept until the next import (one get when warm), what was typed resolved inside.
    const view = await viewCache.through(kv, `discord-records\u0000${typed}\u0000${cls}`, async () => {
      const t = await resolveTrack(kv, typed, ctx.deps.config);
      const boards = await Promise.all((["Q", "R"] as const).map(async (k) => {
        const { entries, of } = await recordsOf(
          kvReader(kv),
          { game: t.game, track: t.track, kind: k, cls },
          3,
        );
        return { kind: k, entries, of };
      }));
      return { name: t.name, game: t.game, cls, boards };
    });
    return { kind: "message", message: recordsEmbed(view) };
  },
  autocomplete(ctx, focused) {
    return focused.name === "class" ? classChoices(ctx, focused.value) : trackChoices(ctx, focused.value);
  },
};

const recordsPager: ComponentHandler = {
  id: "rec",
  async run(ctx, state) {
    const m = /^(acc|ac)\/(.+)\|(Q|R)\|(.+)\|(-?\d{1,3})$/.exec(state);
    if (!m) throw new UserError("This leaderboard button is from an older version; run /records again");
    const game = m[1] as RacingGame;
    const t = await resolveTrack(ctx.deps.kv, `${game}/${m[2]}`, ctx.deps.config);
    return { kind: "update", message: await recordsPage(ctx, t, m[3] as SessionKind, m[4]!, Number(m[5])) };
  },
};

const pb: Command = {
  definition: {
    name: "pb",
    description: "A driver's personal best on a track, with rank, gap and sectors against the record",
    options: [
      trackOption,
      {
        name: "player",
        description: "The driver; you (your /link) when left out",
        type: Opt.String,
        autocomplete: true,
        max_length: 100,
      },
    ],
  },
  async run(ctx) {
    const { kv, viewCache } = ctx.deps;
    const typedTrack = str(ctx, "track") ?? "";
    let player = str(ctx, "player");
    // "Me": the member's link decides the driver; the game comes from the track when both exist.
    if (!player) player = (await resolveDriver(ctx, undefined, await guessGame(ctx, typedTrack))).id;
    const key = `discord-pb\u0000${typedTrack}\u0000${player}`;
    const view = await viewCache.through(kv, key, () => pbView(ctx, typedTrack, player));
    return { kind: "message", message: pbEmbed(view) };
  },
  autocomplete(ctx, focused) {
    return focused.name === "player" ? driverChoices(ctx, focused.value) : trackChoices(ctx, focused.value);
  },
};

async function guessGame(ctx: CommandContext, typedTrack: string): Promise<RacingGame> {
  return (await resolveTrack(ctx.deps.kv, typedTrack, ctx.deps.config).catch(() => null))?.game ?? "acc";
}

/** A driver's PBs on a track with the records they are measured against. */
async function pbView(ctx: CommandContext, typedTrack: string, player: string) {
  const { kv, rankCache } = ctx.deps;
  const t = await resolveTrack(kv, typedTrack, ctx.deps.config);
  const driver = await resolveDriver(ctx, player, t.game);
  const r = kvReader(kv);
  const found = await driverPbs(r, driver.id, { kv, rankCache });
  const mine = (found?.pbs ?? []).filter((p) =>
    p.game === t.game && p.track === t.track && p.class === ALL_CLASSES && (p.kind === "Q" || p.kind === "R")
  ).sort((a, b) => a.kind.localeCompare(b.kind));
  if (mine.length === 0) {
    throw new UserError(
      `${esc(found?.driver.name ?? driver.name)} has no qualifying or race lap at ${esc(t.name)} yet`,
    );
  }
  const views: PbView[] = await Promise.all(mine.map(async (p) => {
    const top = (await recordsOf(r, { game: t.game, track: t.track, kind: p.kind, cls: ALL_CLASSES }, 1))
      .entries[0];
    return {
      pb: p,
      record: top
        ? { driverName: top.driver.name, splitsMs: top.splitsMs, isMe: top.driver.id === driver.id }
        : null,
    };
  }));
  return { driverName: found!.driver.name, trackName: t.name, game: t.game, views };
}

function leadersState(game: RacingGame | undefined, cls: string) {
  return (page: number) => `${game ?? "*"}|${cls}|${page}`;
}

async function leadersPage(ctx: CommandContext, game: RacingGame | undefined, cls: string, page: number) {
  const { kv, viewCache } = ctx.deps;
  const rows = await viewCache.through(
    kv,
    `discord-leaders\u0000${game ?? "*"}\u0000${cls}`,
    () => leaders(kv, game, cls),
  );
  const pages = pageCount(rows.length, LEADERS_PAGE);
  const p = clampPage(page, pages);
  const embed = leadersEmbed({
    tracks: rows.slice(p * LEADERS_PAGE, (p + 1) * LEADERS_PAGE),
    cls,
    page: p,
    pages,
    total: rows.length,
  });
  return { embeds: [embed], components: pager("lead", leadersState(game, cls), p, pages) };
}

const leadersCommand: Command = {
  definition: {
    name: "leaders",
    description: "The #1 qualifying and race time of every track",
    options: [
      {
        name: "game",
        description: "Only this game",
        type: Opt.String,
        choices: [{ name: "ACC", value: "acc" }, { name: "Assetto Corsa", value: "ac" }],
      },
      {
        name: "class",
        description: "A car class (GT3, GT4, ...); overall when left out",
        type: Opt.String,
        max_length: 60,
      },
    ],
  },
  async run(ctx) {
    const g = str(ctx, "game");
    const game = g === "acc" || g === "ac" ? g : undefined;
    return { kind: "message", message: await leadersPage(ctx, game, str(ctx, "class") ?? ALL_CLASSES, 0) };
  },
};

const leadersPager: ComponentHandler = {
  id: "lead",
  async run(ctx, state) {
    const m = /^(acc|ac|\*)\|(.+)\|(-?\d{1,3})$/.exec(state);
    if (!m) throw new UserError("This button is from an older version; run /leaders again");
    const game = m[1] === "*" ? undefined : m[1] as RacingGame;
    return { kind: "update", message: await leadersPage(ctx, game, m[2]!, Math.max(0, Number(m[3]))) };
  },
};

async function tracksPage(ctx: CommandContext, page: number) {
  const names = await loadAcNames(ctx.deps.kv, ctx.deps.config);
  const all = withAcNames(await listTracks(ctx.deps.kv), names).sort((a, b) => a.name.localeCompare(b.name));
  return tracksEmbed(all, page);
}

const tracks: Command = {
  definition: { name: "tracks", description: "Every track with sessions, and when it was last driven" },
  async run(ctx) {
    return { kind: "message", message: await tracksPage(ctx, 0) };
  },
};

const tracksPager: ComponentHandler = {
  id: "trk",
  async run(ctx, state) {
    if (!/^-?\d{1,3}$/.test(state)) {
      throw new UserError("This button is from an older version; run /tracks again");
    }
    return { kind: "update", message: await tracksPage(ctx, Number(state)) };
  },
};

const recent: Command = {
  definition: {
    name: "recent",
    description: "The latest sessions with their winners",
    options: [{
      name: "count",
      description: "How many (default 10)",
      type: Opt.Integer,
      min_value: 1,
      max_value: 25,
    }],
  },
  async run(ctx) {
    const n = typeof ctx.options.count === "number" ? Math.max(1, Math.min(25, ctx.options.count)) : 10;
    return { kind: "message", message: recentEmbed(await recentSessions(ctx.deps.kv, n)) };
  },
};

const status: Command = {
  definition: { name: "status", description: "Delivery queue, dead letters and the last import (admin)" },
  admin: true,
  async run(ctx) {
    const kv = ctx.deps.kv;
    const [delivery, oldest, changes] = await Promise.all([
      deliveryStatus(kv, { deadLetters: 10 }),
      listOutbox(kv, 1),
      kv.get<{ lastImportAt?: string }>(changesKey()),
    ]);
    const message = statusEmbed({
      pending: delivery.pending,
      pendingCapped: delivery.pending >= 10_000,
      oldestPendingAt: oldest[0]?.createdAt ?? null,
      deadLetters: delivery.deadLetters,
      deadLetterCount: delivery.deadLetterCount,
      lastDelivered: delivery.lastDelivered,
      lastImportAt: changes.value?.lastImportAt ?? null,
      discordRest: ctx.deps.discord != null,
    });
    return { kind: "message", ephemeral: true, message };
  },
};

/** On when no servers are configured (a plain install) or any ACC/AC server is. */
export function racingEnabled(config: { servers: { game: string }[] }): boolean {
  return config.servers.length === 0 || config.servers.some((s) => s.game === "acc" || s.game === "ac");
}

/** The racing set. */
export const racing: CommandSet = {
  id: "racing",
  enabled: racingEnabled,
  commands: [records, pb, leadersCommand, tracks, recent, status],
  components: [recordsPager, leadersPager, tracksPager],
};
