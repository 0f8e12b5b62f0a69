/**
 * Link approval in Discord (docs/identities.md): the admin-channel post of a request, with
 * Approve/Reject buttons, and the buttons' handlers (admins only, checked here, server-side).
 */
import type { ComponentHandler, MessagePayload, Reply } from "@/discord/command.ts";
import type { AnnouncementRenderer } from "@/discord/announcements.ts";
import { esc } from "@/discord/format.ts";
import { LinkTakenError } from "@/kv/links.ts";
import { decideLink, type LinkRequest, type LinkRequestAnnouncement } from "@/kv/people/link_requests.ts";

const LABELS: Record<string, string> = {
  acc: "ACC",
  ac: "Assetto Corsa",
  etl: "ET:Legacy",
  iracing: "iRacing",
};

function who(r: LinkRequest): string {
  return `${r.displayName ? `**${esc(r.displayName)}** ` : ""}(${esc(r.playerId)})`;
}

/** The request's post: who asks for which identity, what it holds, and the two buttons. */
export function linkRequestMessage(r: LinkRequest): MessagePayload {
  return {
    content: `🔗 <@${r.userId}> asks to link ${LABELS[r.game] ?? r.game} ${who(r)}, which holds ${
      esc(r.holds)
    }`,
    components: [{
      type: 1,
      components: [
        { type: 2, style: 3, label: "Approve", custom_id: `link_ok:${r.id}` },
        { type: 2, style: 4, label: "Reject", custom_id: `link_no:${r.id}` },
      ],
    }],
  };
}

/** The renderer of `link_request` outbox items, registered in discord/announcements.ts. */
export const LINK_ANNOUNCEMENTS: readonly AnnouncementRenderer<LinkRequestAnnouncement>[] = [{
  type: "link_request",
  channel: (deps) => deps.config.discord.channels.admin ?? null,
  render: (_deps, ann) => Promise.resolve(linkRequestMessage(ann.request)),
}];

function decision(approve: boolean): ComponentHandler {
  return {
    id: approve ? "link_ok" : "link_no",
    async run(ctx, requestId): Promise<Reply> {
      if (!ctx.isAdmin) {
        return {
          kind: "message",
          ephemeral: true,
          message: { content: "Only league admins can decide link requests" },
        };
      }
      try {
        const d = await decideLink(ctx.deps.kv, requestId, { approve, by: ctx.userId, now: ctx.deps.now() });
        if (d.status === "gone") {
          return { kind: "update", message: { content: "This request was already decided", components: [] } };
        }
        const verdict = d.status === "approved" ? "✅ Approved" : "❌ Rejected";
        return {
          kind: "update",
          message: {
            content: `${verdict} by <@${ctx.userId}>: <@${d.request.userId}> as ${
              LABELS[d.request.game] ?? d.request.game
            } ${who(d.request)}`,
            components: [],
          },
        };
      } catch (err) {
        if (!(err instanceof LinkTakenError)) throw err;
        return {
          kind: "message",
          ephemeral: true,
          message: {
            content: "Another member holds that identity now: /admin unlink them first, then approve",
          },
        };
      }
    },
  };
}

/** The Approve and Reject buttons. */
export const LINK_COMPONENTS: ComponentHandler[] = [decision(true), decision(false)];
