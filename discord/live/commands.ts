/**
 * The `live` set (when an AC server is configured): `/live kick <driver>` and `/live say <text>`,
 * admin only (checked server-side by the dispatcher, and registered with Manage Guild). Each
 * queues a command for the server's agent (kv/live/commands.ts), which sends it to the AC server
 * within seconds (docs/live.md).
 */
import type { Config } from "@/config.ts";
import type { Command, CommandContext, CommandSet, Reply } from "@/discord/command.ts";
import { OptionType as Opt, UserError } from "@/discord/command.ts";
import { echo, esc } from "@/discord/text.ts";
import { queueLiveCommands } from "@/kv/live/commands.ts";
import { getLiveState } from "@/kv/live/state.ts";
import { kvReader } from "@/kv/reader.ts";
import type { LiveCar } from "@/games/ac/live.ts";

/** Longest chat line the plugin protocol carries (a 1-byte character count). */
const MAX_CHAT = 255;

function acServers(config: Config): string[] {
  return config.servers.filter((s) => s.game === "ac").map((s) => s.id);
}

/** The server the command names, else the time-attack server, else the only AC server. */
function serverOf(ctx: CommandContext): string {
  const ids = acServers(ctx.deps.config);
  const named = typeof ctx.options.server === "string" ? ctx.options.server.trim() : "";
  if (named) {
    if (!ids.includes(named)) {
      throw new UserError(`No Assetto Corsa server "${echo(named)}"; servers: ${ids.join(", ")}`);
    }
    return named;
  }
  const ta = ctx.deps.config.timeAttack?.server;
  if (ta && ids.includes(ta)) return ta;
  if (ids.length === 1) return ids[0]!;
  throw new UserError(`Name the server: one of ${ids.join(", ")}`);
}

/** The connected car a name (or GUID) points at: exact first, then a unique part of a name. */
export function findDriver(cars: LiveCar[], who: string): LiveCar {
  const on = cars.filter((c) => c.connected);
  const q = who.trim().toLowerCase();
  const exact = on.filter((c) => c.guid === who.trim() || c.driver.toLowerCase() === q);
  if (exact.length === 1) return exact[0]!;
  const part = on.filter((c) => c.driver.toLowerCase().includes(q));
  if (part.length === 1) return part[0]!;
  if (part.length > 1 || exact.length > 1) {
    throw new UserError(
      `"${esc(who)}" matches ${part.length || exact.length} drivers: ${
        (exact.length > 1 ? exact : part).map((c) => esc(c.driver)).join(", ")
      }; give more of the name`,
    );
  }
  throw new UserError(`Nobody called "${esc(who)}" is on the server now`);
}

const serverOption = {
  name: "server",
  description: "The AC server (the time-attack server when left out)",
  type: Opt.String,
} as const;

const live: Command = {
  admin: true,
  definition: {
    name: "live",
    description: "Admin: act on a running Assetto Corsa server through its agent",
    options: [
      {
        name: "kick",
        description: "Kick a driver off the server",
        type: Opt.Subcommand,
        options: [
          {
            name: "driver",
            description: "Their name as in game (or Steam GUID)",
            type: Opt.String,
            required: true,
          },
          serverOption,
        ],
      },
      {
        name: "say",
        description: "Send a chat message to everyone on the server",
        type: Opt.Subcommand,
        options: [
          {
            name: "text",
            description: "The message",
            type: Opt.String,
            required: true,
            max_length: MAX_CHAT,
          },
          serverOption,
        ],
      },
    ],
  },
  async run(ctx): Promise<Reply> {
    const server = serverOf(ctx);
    const now = ctx.deps.now();
    if (ctx.sub[0] === "kick") {
      const state = await getLiveState(kvReader(ctx.deps.kv), server);
      const car = findDriver(state.cars, String(ctx.options.driver ?? ""));
      await queueLiveCommands(ctx.deps.kv, server, [{ kind: "kick", carId: car.carId }], now);
      return {
        kind: "message",
        ephemeral: true,
        message: { content: `Kick of ${esc(car.driver)} (car ${car.carId}) sent to ${server}'s agent` },
      };
    }
    const text = String(ctx.options.text ?? "").trim().slice(0, MAX_CHAT);
    if (!text) throw new UserError("Write the message to send");
    await queueLiveCommands(ctx.deps.kv, server, [{ kind: "say", text }], now);
    return { kind: "message", ephemeral: true, message: { content: `Message sent to ${server}'s agent` } };
  },
};

/** The live set: on when an AC server is configured. */
export const liveCommands: CommandSet = {
  id: "live",
  enabled: (config) => acServers(config).length > 0,
  commands: [live],
};
