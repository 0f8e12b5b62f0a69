/**
 * The `numbers` command set: iRacing car numbers per Discord server. Members claim and release
 * numbers and look them up; admins (Administrator, Manage Guild, or the role set in /setup,
 * checked here, server-side) set the server up, force releases, sync with iRacing and read the
 * audit log (discord/numbers/admin.ts). The set is on when IRACING_* are set or PODIUM_NUMBERS=on.
 */
import type {
  Command,
  CommandContext,
  CommandSet,
  ComponentHandler,
  MessagePayload,
} from "@/discord/command.ts";
import { OptionType as Opt, UserError } from "@/discord/command.ts";
import { claimNumber, getClaim, listClaims, memberNumbers, releaseNumber } from "@/kv/numbers/claims.ts";
import { getSettings, MAX_NUMBER_LENGTH } from "@/kv/numbers/settings.ts";
import { carriersOf, getRoster } from "@/kv/numbers/roster.ts";
import { publicNumbers } from "@/kv/numbers/public.ts";
import { linkedCustId } from "@/kv/numbers/links.ts";
import { numbersCsv } from "@/lib/numbers_csv.ts";
import { availableEmbed, checkText, mention, rosterEmbed, rosterRows } from "@/discord/numbers/embeds.ts";
import { pager } from "@/discord/pages.ts";
import { displayNameOf, guildOf, say, text } from "@/discord/numbers/_shared.ts";
import { echo, esc } from "@/discord/text.ts";
import { adminCommands } from "@/discord/numbers/admin.ts";

const numberOption = (description: string, autocomplete = false) =>
  ({
    name: "number",
    description,
    type: Opt.String,
    required: true,
    min_length: 1,
    max_length: MAX_NUMBER_LENGTH,
    ...(autocomplete ? { autocomplete: true } : {}),
  }) as const;

const claim: Command = {
  definition: {
    name: "claim",
    description: 'Claim a car number ("07" and "7" are different numbers)',
    options: [numberOption("The number, as it should be on the car")],
  },
  async run(ctx) {
    const guildId = guildOf(ctx);
    const { kv } = ctx.deps;
    const out = await claimNumber(kv, {
      guildId,
      userId: ctx.userId,
      number: text(ctx, "number"),
      displayName: displayNameOf(ctx),
      linkedCustId: await linkedCustId(kv, ctx.userId),
    }, ctx.deps.now());
    if (out.ok) {
      ctx.deps.delivery?.kick();
      return say(
        `**#${out.claim.number}** is yours. It shows as verified once the league roster in iRacing has it on your car ` +
          `(link your account with /link iracing <cust_id> if you have not)`,
      );
    }
    switch (out.reason) {
      case "taken":
        throw new UserError(
          out.claim.userId === ctx.userId
            ? `You already hold **#${out.claim.number}**`
            : `**#${out.claim.number}** is taken by ${
              mention(out.claim.userId)
            }: see /available for free numbers`,
        );
      case "limit":
        throw new UserError(
          `You hold ${
            out.held.map((n) => `#${n}`).join(", ")
          } and this server allows ${out.max} per member: /release one first`,
        );
      case "roster":
        throw new UserError(
          `That number is on another driver's car in iRacing; if that is you, /link iracing <your cust_id> first`,
        );
      case "invalid":
        throw new UserError(esc(out.message));
    }
  },
};

const release: Command = {
  definition: {
    name: "release",
    description: "Give up one of your car numbers",
    options: [numberOption("One of your numbers", true)],
  },
  async run(ctx) {
    const guildId = guildOf(ctx);
    const out = await releaseNumber(ctx.deps.kv, {
      guildId,
      actorId: ctx.userId,
      number: text(ctx, "number"),
    }, ctx.deps.now());
    if (out.ok) {
      ctx.deps.delivery?.kick();
      return say(`Released **#${out.claim.number}**`);
    }
    if (out.reason === "not_yours") {
      throw new UserError(
        `**#${out.claim.number}** is not yours: it is held by ${mention(out.claim.userId)}`,
      );
    }
    if (out.reason === "free") throw new UserError("Nobody holds that number: see /mynumbers for yours");
    throw new UserError(esc(out.message));
  },
  async autocomplete(ctx, focused) {
    if (!ctx.guildId) return { kind: "choices", choices: [] };
    const mine = await memberNumbers(ctx.deps.kv, ctx.guildId, ctx.userId);
    const hits = mine.filter((n) => n.startsWith(focused.value.trim()));
    return { kind: "choices", choices: hits.slice(0, 25).map((n) => ({ name: `#${n}`, value: n })) };
  },
};

const mynumbers: Command = {
  definition: { name: "mynumbers", description: "Your car numbers in this server" },
  async run(ctx) {
    const guildId = guildOf(ctx);
    const numbers = await memberNumbers(ctx.deps.kv, guildId, ctx.userId);
    if (!numbers.length) return say("You hold no number yet: /claim one (see /available)");
    const claims = await Promise.all(numbers.map((n) => getClaim(ctx.deps.kv, guildId, n)));
    const lines = claims.filter((c) => c !== null).map((c) =>
      `**#${c.number}** ${c.verified ? "verified in iRacing ✅" : "not verified in iRacing yet ⏳"}`
    );
    return say(lines.join("\n"));
  },
};

/** The roster's page `page` (clamped), with its page buttons. */
async function rosterMessage(ctx: CommandContext, page: number): Promise<MessagePayload> {
  const guildId = guildOf(ctx);
  const [claims, r] = await Promise.all([
    listClaims(ctx.deps.kv, guildId),
    getRoster(ctx.deps.kv, guildId),
  ]);
  const shown = rosterEmbed(rosterRows(claims, r?.members ?? []), r?.leagueName ?? null, page);
  return { embeds: [shown.embed], components: pager("ros", String, shown.page, shown.pages) };
}

const roster: Command = {
  definition: {
    name: "roster",
    description: "Every car number: who claimed it, whether iRacing agrees, and numbers only iRacing has",
  },
  async run(ctx) {
    return { kind: "message", message: await rosterMessage(ctx, 0) };
  },
};

const rosterPager: ComponentHandler = {
  id: "ros",
  async run(ctx, state) {
    if (!/^-?\d{1,3}$/.test(state)) {
      throw new UserError("This button is from an older version; run /roster again");
    }
    return { kind: "update", message: await rosterMessage(ctx, Number(state)) };
  },
};

const available: Command = {
  definition: {
    name: "available",
    description: "Free car numbers (not claimed and not on the iRacing roster)",
    options: [
      {
        name: "from",
        description: "Lowest number to show",
        type: Opt.Integer,
        min_value: 0,
        max_value: 9999,
      },
      { name: "to", description: "Highest number to show", type: Opt.Integer, min_value: 0, max_value: 9999 },
    ],
  },
  async run(ctx) {
    const guildId = guildOf(ctx);
    const { kv } = ctx.deps;
    const [settings, claims, r] = await Promise.all([
      getSettings(kv, guildId),
      listClaims(kv, guildId),
      getRoster(kv, guildId),
    ]);
    const from = Math.max(settings.min, Number(ctx.options.from ?? settings.min));
    const to = Math.min(settings.max, Number(ctx.options.to ?? settings.max));
    if (from > to) {
      throw new UserError(`Nothing to show: this server's numbers are ${settings.min}-${settings.max}`);
    }
    const used = new Set([...claims.map((c) => c.number), ...(r?.members ?? []).map((m) => m.number ?? "")]);
    const pattern = new RegExp(`^(?:${settings.pattern})$`);
    const free: number[] = [];
    for (let v = from; v <= to; v++) if (!used.has(String(v)) && pattern.test(String(v))) free.push(v);
    return { kind: "message", ephemeral: true, message: { embeds: [availableEmbed(free, from, to)] } };
  },
};

const check: Command = {
  definition: {
    name: "check",
    description: "Who holds a number, and what the iRacing roster says",
    options: [numberOption("The number")],
  },
  async run(ctx) {
    const guildId = guildOf(ctx);
    const number = text(ctx, "number");
    if (!/^\d+$/.test(number)) {
      throw new UserError(`"${echo(number, 10)}" is not a car number: use digits`);
    }
    const [c, r] = await Promise.all([
      getClaim(ctx.deps.kv, guildId, number),
      getRoster(ctx.deps.kv, guildId),
    ]);
    return say(checkText(number, c, carriersOf(r, number)));
  },
};

const exportCsv: Command = {
  definition: { name: "export", description: "The numbers list as a CSV file" },
  async run(ctx) {
    const guildId = guildOf(ctx);
    const list = await publicNumbers(ctx.deps.kv, guildId);
    const rows = list?.numbers ?? [];
    return {
      kind: "message",
      ephemeral: true,
      message: {
        content: `${rows.length} number(s)`,
        files: [{
          name: `numbers-${guildId}.csv`,
          data: new TextEncoder().encode(numbersCsv(rows)),
          contentType: "text/csv",
        }],
      },
    };
  },
};

/** The numbers set: on when the iRacing account is configured, or PODIUM_NUMBERS=on (claims without sync). */
export const numbers: CommandSet = {
  id: "numbers",
  enabled: (config) => Boolean(config.iracing) || config.numbersEnabled === true,
  commands: [claim, release, mynumbers, roster, available, check, exportCsv, ...adminCommands],
  components: [rosterPager],
};
