/**
 * Messages of the numbers set, as pure functions of plain data (no KV, no network). Names from
 * iRacing and Discord are escaped; members appear as `<@id>` mentions, which render as names and,
 * with `allowed_mentions: { parse: [] }` on every message, never ping.
 */
import type { APIEmbed } from "discord-api-types/v10";
import { channel, esc, fitLines, LIMITS, mention, when, whenAgo } from "@/discord/text.ts";
import type { Claim } from "@/kv/numbers/claims.ts";
import type { NumberSettings } from "@/kv/numbers/settings.ts";
import type { Conflict, SyncStatus } from "@/kv/numbers/sync.ts";
import type { AuditEntry } from "@/kv/numbers/audit.ts";
import type { RosterSnapshot } from "@/kv/numbers/roster.ts";
import { compareNumbers } from "@/kv/numbers/public.ts";
import { pageLabel, pageOf } from "@/discord/pages.ts";

const COLOR = 0x1f8b4c;
const WARN = 0xe67e22;

export { mention };

function mark(c: Pick<Claim, "verified">): string {
  return c.verified ? "✅" : "⏳";
}

/** One line of the roster: number, member, iRacing name, verified. */
export function claimLine(c: Claim): string {
  const driver = c.driverName ? ` (${esc(c.driverName)})` : "";
  return `${mark(c)} **#${c.number}** ${mention(c.userId)}${driver}`;
}

/** One number of /roster: a claim (with what iRacing says), or a number only the iRacing roster carries. */
export type RosterRow =
  | { number: string; claim: Claim }
  | { number: string; claim: null; carriers: RosterSnapshot["members"] };

/** Lines of /roster a page: 40 lines of at most ~90 characters stay well inside a description. */
export const ROSTER_PAGE = 40;

/**
 * Every number of /roster in number order: the claims, and the numbers carried on the iRacing
 * roster that nobody claimed in Discord (one row a number, with every carrier).
 */
export function rosterRows(claims: Claim[], members: RosterSnapshot["members"]): RosterRow[] {
  const claimed = new Set(claims.map((c) => c.number));
  const carried = new Map<string, RosterSnapshot["members"]>();
  for (const m of members) {
    if (m.number === null || m.number === "" || claimed.has(m.number)) continue;
    carried.set(m.number, [...carried.get(m.number) ?? [], m]);
  }
  const rows: RosterRow[] = [
    ...claims.map((c) => ({ number: c.number, claim: c })),
    ...[...carried].map(([number, carriers]) => ({ number, claim: null, carriers })),
  ];
  return rows.sort((a, b) => compareNumbers(a.number, b.number));
}

/** One line of /roster. */
export function rosterLine(r: RosterRow): string {
  if (r.claim) return claimLine(r.claim);
  const who = r.carriers.map((m) => `${esc(m.name)} (${m.custId})`).join(", ");
  return `🏁 **#${r.number}** ${who}: on the iRacing roster, not claimed here`;
}

/** One page of the /roster embed, clamped (discord/pages.ts). */
export function rosterEmbed(
  rows: RosterRow[],
  league: string | null,
  page = 0,
): { embed: APIEmbed; page: number; pages: number } {
  const claims = rows.flatMap((r) => r.claim ? [r.claim] : []);
  const verified = claims.filter((c) => c.verified).length;
  const onlyRoster = rows.length - claims.length;
  const p = pageOf(rows, page, ROSTER_PAGE);
  const counts = `${claims.length} claimed, ${verified} verified in iRacing` +
    (onlyRoster ? `, ${onlyRoster} only on the iRacing roster` : "");
  const embed: APIEmbed = {
    title: league ? `Car numbers: ${esc(league)}` : "Car numbers",
    description: rows.length
      ? fitLines(p.items.map(rosterLine), LIMITS.description)
      : "No number is claimed yet: use /claim",
    footer: {
      text: `${counts} (✅ verified, ⏳ not yet${onlyRoster ? ", 🏁 iRacing only" : ""})` +
        (p.pages > 1 ? ` · ${pageLabel(p)}` : ""),
    },
    color: COLOR,
  };
  return { embed, page: p.page, pages: p.pages };
}

/** Free numbers as compact ranges: "1-6, 8, 10-20". */
export function ranges(values: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    out.push(i === j ? String(values[i]) : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return out;
}

/** The /available embed. */
export function availableEmbed(free: number[], from: number, to: number): APIEmbed {
  return {
    title: `Free numbers ${from}-${to}`,
    description: free.length
      ? fitLines([ranges(free).join(", ")], LIMITS.description)
      : "Every number in that range is taken",
    footer: { text: `${free.length} free. Forms with leading zeros ("07") are separate numbers` },
    color: COLOR,
  };
}

/** The /check answer. */
export function checkText(number: string, claim: Claim | null, carriers: RosterSnapshot["members"]): string {
  const lines: string[] = [];
  if (claim) {
    lines.push(
      `**#${number}** is claimed by ${mention(claim.userId)} since ${when(claim.claimedAt)}: ${
        claim.verified ? "verified in iRacing ✅" : "not verified in iRacing yet ⏳"
      }`,
    );
  } else {
    lines.push(`**#${number}** is not claimed`);
  }
  if (carriers.length) {
    lines.push(`On the iRacing roster: ${carriers.map((m) => `${esc(m.name)} (${m.custId})`).join(", ")}`);
  } else if (!claim) {
    lines.push("It is free: /claim it");
  }
  return lines.join("\n");
}

/** One conflict as a sentence. */
export function conflictText(c: Conflict): string {
  const d = c.drivers[0];
  const who = c.userId ? mention(c.userId) : "nobody";
  switch (c.kind) {
    case "mismatch":
      return `**#${c.number}** claimed by ${who}, but iRacing has ${
        esc(d?.name ?? "them")
      } on **#${d?.number}**`;
    case "used_by_other":
      return `**#${c.number}** claimed by ${who}, but ${
        esc(d?.name ?? "another driver")
      } (${d?.custId}) carries it in iRacing`;
    case "left_league":
      return `**#${c.number}** claimed by ${who}, whose iRacing account is no longer in the league`;
    case "duplicate_on_roster":
      return `**#${c.number}** is on ${c.drivers.length} cars in iRacing: ${
        c.drivers.map((x) => esc(x.name)).join(", ")
      }`;
  }
}

/** The /syncstatus embed (and /sync's answer). */
export function syncStatusEmbed(s: SyncStatus | null, settings: NumberSettings): APIEmbed {
  if (!s) {
    return {
      title: "iRacing sync",
      description: settings.leagueId
        ? `No sync has run yet for league ${settings.leagueId}: an admin can run /sync`
        : "No iRacing league is set: an admin runs /setup league_id:<id>",
      color: WARN,
    };
  }
  const head = s.ok
    ? `Last sync ${whenAgo(s.at)}: ${s.rosterCount} drivers in ${
      esc(s.leagueName ?? `league ${s.leagueId}`)
    }, ` +
      `${s.verified} of ${s.claims} claims verified${
        s.unlinked ? `, ${s.unlinked} not linked (/link iracing)` : ""
      }`
    : `Last sync ${whenAgo(s.at)} **failed**: ${esc(s.error ?? "unknown error")}`;
  const lines = s.conflicts.map(conflictText);
  const more = s.conflictCount - s.conflicts.length;
  return {
    title: "iRacing sync",
    description: fitLines(
      [head, "", s.conflictCount ? `**${s.conflictCount} conflict(s):**` : "No conflicts", ...lines].concat(
        more > 0 ? [`... and ${more} more`] : [],
      ),
      LIMITS.description,
    ),
    color: s.ok && s.conflictCount === 0 ? COLOR : WARN,
  };
}

/** The /config embed. */
export function configEmbed(s: NumberSettings): APIEmbed {
  const channelOf = (id: string | null) => (id ? channel(id) : "none");
  return {
    title: "Car number settings",
    fields: [
      { name: "iRacing league", value: s.leagueId ? String(s.leagueId) : "not set", inline: true },
      { name: "Numbers", value: `${s.min}-${s.max}, pattern \`${s.pattern}\``, inline: true },
      { name: "Per member", value: String(s.maxPerMember), inline: true },
      { name: "Admin role", value: s.adminRoleId ? `<@&${s.adminRoleId}>` : "none", inline: true },
      { name: "Announcements", value: channelOf(s.channelId), inline: true },
      { name: "Conflicts", value: channelOf(s.adminChannelId ?? s.channelId), inline: true },
    ],
    footer: { text: s.updatedAt ? `Changed ${s.updatedAt.slice(0, 16).replace("T", " ")} UTC` : "Defaults" },
    color: COLOR,
  };
}

/** One audit line. */
export function auditLine(a: AuditEntry): string {
  const actor = a.actorId === "sync" ? "hourly sync" : mention(a.actorId);
  const target = a.targetId ? ` (member ${mention(a.targetId)})` : "";
  return `${when(a.at)} ${actor} **${a.action.replace("_", " ")}**${target}: ${esc(a.details)}`;
}

/** The /auditlog embed. */
export function auditEmbed(entries: AuditEntry[], memberId: string | null): APIEmbed {
  return {
    title: memberId ? "Audit log for one member" : "Audit log",
    description: entries.length
      ? fitLines(entries.map(auditLine), LIMITS.description)
      : "Nothing recorded yet",
    color: COLOR,
  };
}
