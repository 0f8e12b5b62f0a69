/**
 * The awards post (after the round post) and the `/et awards` answers: endstats.lua's award lines
 * grouped as Slomix groups them, then the VS rows. Names come from game files: stripped, escaped.
 */
import type { APIEmbed, APIEmbedField } from "discord-api-types/v10";
import type { RoundAwards } from "@/kv/etl/endstats.ts";
import { discordName, fitLines } from "@/discord/et/embeds.ts";
import { esc, plain } from "@/discord/text.ts";

const GOLD = 0xf59e0b;

/** Award groups (Slomix's AWARD_CATEGORIES); awards in none go under "Other". */
const GROUPS: [string, RegExp][] = [
  ["⚔️ Combat", /damage given|damage received|kills per minute|damage per minute|K\/D|Tank/i],
  [
    "🎯 Skill",
    /headshot|accuracy|light weapon|pistol|rifle kills|sniper|knife|killing spree|multikill|doublekill|bullets/i,
  ],
  ["💣 Weapons", /grenade|panzer kills|mortar kills|mine|air support|riflenade|MG42 kills/i],
  ["🤝 Teamwork", /revive|assist|killsteal|team damage/i],
  ["🚩 Objectives", /dynamite|objective|gibs/i],
  ["⏱️ Timing", /useful|useless|respawn|denied|time dead/i],
  ["💀 Deaths", /deaths|selfkill|teamkill|death spree|magnet/i],
]; // deno-fmt-ignore

function groupOf(award: string): string {
  return GROUPS.find(([, re]) => re.test(award))?.[0] ?? "🏷️ Other";
}

/** The awards post of a round. */
export function awardsEmbed(a: RoundAwards, title: string): APIEmbed {
  const groups = new Map<string, string[]>();
  for (const w of a.awards) {
    const g = groupOf(w.award);
    const list = groups.get(g) ?? [];
    list.push(`${esc(w.award)}: **${discordName(w.name)}** ${esc(w.text)}`);
    groups.set(g, list);
  }
  const fields: APIEmbedField[] = [...groups].slice(0, 20).map(([name, lines]) => ({
    name,
    value: fitLines(lines, 1024),
  }));
  if (a.vs.length) {
    const vs = [...a.vs].sort((x, y) => y.kills - x.kills || x.deaths - y.deaths).map((v) =>
      `${v.of ? `${discordName(v.of)} vs ` : ""}**${discordName(v.name)}** ${v.kills}K/${v.deaths}D`
    );
    fields.push({ name: "🆚 VS", value: fitLines(vs, 1024) });
  }
  return {
    title: `🏅 Awards · ${esc(title)}`,
    color: GOLD,
    description: a.awards.length ? undefined : "No awards in this file.",
    fields,
    footer: { text: plain(`${a.roundId} | ${a.fileName}`) },
  };
}
