/**
 * What the `ta` commands answer, as functions of the store, the config and the time: the
 * commands in discord/ta/commands.ts only read their options and call these. A problem the user
 * can fix is a `TaUserError` with one sentence.
 */
import type { TaSeasonConfig, TimeAttackConfig } from "@/config.ts";
import { seasonBoards } from "@/kv/ta/boards.ts";
import { currentSeason, eventAt, findSeason, seasonEvents } from "@/kv/ta/schedule.ts";
import { computeStandings } from "@/kv/ta/standings.ts";
import { eventBoardView, seasonView } from "@/kv/ta/views.ts";
import { echo, esc } from "@/discord/text.ts";
import { boardIdOf } from "@/kv/people/people.ts";
import { loadAcNames } from "@/kv/ac_content/names.ts";
import type { ContentNames } from "@/games/ac/names.ts";
import {
  eventMessage,
  type PbLine,
  pbMessage,
  scheduleMessage,
  standingsMessage,
  type TaMessage,
} from "@/discord/ta/embeds.ts";

/** A sentence for the user (an unknown season, event or driver). */
export class TaUserError extends Error {}

function configured(ta: TimeAttackConfig | undefined): TimeAttackConfig {
  if (!ta) throw new TaUserError("Time attack is not set up on this server");
  return ta;
}

function seasonOf(ta: TimeAttackConfig, season: number | undefined, nowMs: number): TaSeasonConfig {
  if (season === undefined) return currentSeason(ta, nowMs);
  const s = findSeason(ta, season);
  if (!s) {
    throw new TaUserError(
      `There is no season ${season}; seasons: ${ta.seasons.map((x) => x.season).join(", ")}`,
    );
  }
  return s;
}

const names = (s: TaSeasonConfig) => new Map(s.events.map((e) => [e.key, e.name ?? e.key]));

/** `/standings [season]`: one page (clamped) of the season's standings. */
export async function standingsReply(
  kv: Deno.Kv,
  taConfig: TimeAttackConfig | undefined,
  season: number | undefined,
  nowMs: number,
  page = 0,
): Promise<TaMessage> {
  const ta = configured(taConfig);
  const s = seasonOf(ta, season, nowMs);
  return standingsMessage(computeStandings(s, await seasonBoards(kv, ta, s)), names(s), page);
}

/** The config's `names` (read at each use: a config edit applies without a restart). */
type Named = { names?: ContentNames };

/** `/schedule`: the current season's listed events, the current one marked. */
export async function scheduleReply(
  kv: Deno.Kv,
  config: Named & { timeAttack?: TimeAttackConfig | undefined },
  nowMs: number,
): Promise<TaMessage> {
  const ta = configured(config.timeAttack);
  const s = currentSeason(ta, nowMs);
  const view = seasonView(s, await loadAcNames(kv, config));
  return scheduleMessage(view, eventAt(seasonEvents(s), nowMs)?.key ?? null, ta.emoji);
}

/** `/event [key]`: an event's leaderboard, 10 a page, and the time left; the current event by default. */
export async function eventReply(
  kv: Deno.Kv,
  config: Named & { timeAttack?: TimeAttackConfig | undefined },
  key: string | undefined,
  nowMs: number,
  page = 0,
): Promise<TaMessage> {
  const ta = configured(config.timeAttack);
  const s = currentSeason(ta, nowMs);
  const events = seasonEvents(s);
  const event = key === undefined ? eventAt(events, nowMs) : events.find((e) => e.key === key);
  if (!event) {
    throw new TaUserError(
      key === undefined
        ? "No event is running right now; try /schedule"
        : `There is no event "${echo(key)}" in season ${s.season}; try /schedule`,
    );
  }
  const names = await loadAcNames(kv, config);
  return eventMessage((await eventBoardView(kv, ta, s, event.key, names))!, event.name, nowMs, page);
}

/** The events' keys and names of the current season, for autocomplete. */
export function eventChoices(
  taConfig: TimeAttackConfig | undefined,
  typed: string,
  nowMs: number,
): { name: string; value: string }[] {
  if (!taConfig) return [];
  const q = typed.toLowerCase();
  return seasonEvents(currentSeason(taConfig, nowMs))
    .filter((e) => e.key.toLowerCase().includes(q) || e.name.toLowerCase().includes(q))
    .slice(0, 25)
    .map((e) => ({ name: e.name === e.key ? e.key : `${e.name} (${e.key})`, value: e.key }));
}

/**
 * `/ta pb [player]`: a driver's bests this season. `player` is a GUID, or a name matched against
 * this season's drivers (exact, then unique prefix, case ignored).
 */
export async function pbReply(
  kv: Deno.Kv,
  config: Named & { timeAttack?: TimeAttackConfig | undefined },
  player: string,
  nowMs: number,
): Promise<TaMessage> {
  const ta = configured(config.timeAttack);
  const names = await loadAcNames(kv, config);
  const s = currentSeason(ta, nowMs);
  const boards = await seasonBoards(kv, ta, s);
  const all = new Map(boards.flatMap((b) => b.entries.map((e) => [e.driver.id, e.driver] as const)));
  const q = player.trim().toLowerCase();
  // A driver merged into a person (kv/people/) is on the boards as the person.
  let driver = all.get(player.trim()) ?? all.get(await boardIdOf(kv, player.trim()));
  if (!driver) {
    const exact = [...all.values()].filter((d) => d.name.toLowerCase() === q);
    const prefix = [...all.values()].filter((d) => d.name.toLowerCase().startsWith(q));
    const found = exact.length === 1 ? exact : prefix;
    if (found.length > 1) {
      throw new TaUserError(
        `"${esc(player)}" matches ${found.length} drivers; type more of the name, or use the GUID`,
      );
    }
    driver = found[0];
  }
  if (!driver) throw new TaUserError(`No laps from "${esc(player)}" in season ${s.season}`);
  const st = computeStandings(s, boards);
  const line = st.entries.find((e) => e.driver.id === driver.id) ?? null;
  const lines: PbLine[] = [];
  for (const b of boards) {
    const e = b.entries.find((x) => x.driver.id === driver.id);
    if (!e) continue;
    lines.push({
      event: b.event.key,
      name: b.event.name,
      rank: e.rank,
      of: b.entries.length,
      lapMs: e.lapMs,
      car: names.car(e.car).name,
      points: line?.events[b.event.key] ?? null,
      dropped: line?.dropped.includes(b.event.key) ?? false,
    });
  }
  return pbMessage(s.season, driver, lines, line ? { rank: line.rank, points: line.points } : null);
}
