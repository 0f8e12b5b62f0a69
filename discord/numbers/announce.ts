/**
 * How the numbers domain's outbox items become Discord messages: claims and releases in the
 * announcement channel, new sync conflicts in the admin channel. The channel was read from the
 * guild's settings when the change was committed and travels in the item.
 */
import type { MessagePayload } from "@/discord/command.ts";
import type { AnnouncementRenderer } from "@/discord/announcements.ts";
import type { NumbersAnnouncement } from "@/kv/numbers/announcements.ts";
import { conflictText, mention } from "@/discord/numbers/embeds.ts";
import { esc, fitLines, LIMITS } from "@/discord/text.ts";

/** A claim or release announcement's text. */
export function renderNumbersAnnouncement(ann: NumbersAnnouncement): MessagePayload {
  switch (ann.type) {
    case "numbers_claimed":
      return {
        content: `🏁 ${mention(ann.userId)}${
          ann.displayName ? ` (${esc(ann.displayName)})` : ""
        } claimed **#${ann.number}**`,
      };
    case "numbers_released":
      return {
        content: ann.forced
          ? `**#${ann.number}** is free again: an admin released it from ${mention(ann.userId)}`
          : `**#${ann.number}** is free again: ${mention(ann.userId)} released it`,
      };
    case "numbers_conflicts": {
      const lines = ann.conflicts.map(conflictText);
      if (ann.more > 0) lines.push(`... and ${ann.more} more: /syncstatus`);
      return {
        embeds: [{
          title: `iRacing sync: ${ann.conflicts.length + ann.more} new conflict(s) in league ${ann.leagueId}`,
          description: fitLines(lines, LIMITS.description),
          color: 0xe67e22,
        }],
      };
    }
  }
}

function renderer(type: NumbersAnnouncement["type"]): AnnouncementRenderer<NumbersAnnouncement> {
  return {
    type,
    channel: (_deps, ann) => ann.channelId,
    render: (_deps, ann) => Promise.resolve(renderNumbersAnnouncement(ann)),
    // When it happened: claims and releases post in the order they were made.
    orderKey: (ann) => ann.at,
  };
}

/** One renderer per announcement type, registered in discord/announcements.ts. */
export const NUMBERS_ANNOUNCEMENTS: readonly AnnouncementRenderer[] = [
  renderer("numbers_claimed"),
  renderer("numbers_released"),
  renderer("numbers_conflicts"),
];
