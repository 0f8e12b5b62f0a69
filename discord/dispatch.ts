/**
 * The dispatcher: turns a verified, parsed interaction into Discord's answer. Finds the command
 * or button handler, checks admin rights server-side, and keeps Discord's 3-second window: a
 * handler that has not answered after `deferAfterMs` is deferred (type 5, or 6 for buttons) and
 * its answer PATCHed onto @original when it comes. Every reply gets `allowed_mentions: {parse:
 * []}` and Discord's limits; a crash is logged with the interaction id and answered with an
 * ephemeral apology, never a timeout.
 */
import type { APIInteractionResponse } from "discord-api-types/v10";
import type { RawFile } from "@discordjs/rest";
import type {
  Command,
  CommandContext,
  CommandSet,
  ComponentHandler,
  MessagePayload,
  Reply,
} from "@/discord/command.ts";
import { UserError } from "@/discord/command.ts";
import { clip, clipWords, fitEmbeds, LIMITS, plain } from "@/discord/text.ts";
import {
  asApiInteraction,
  type Interaction,
  isAdminMember,
  readOptions,
  userIdOf,
} from "@/discord/interaction.ts";
import type { MessageBody } from "@/discord/_api.ts";
import type { DiscordDeps } from "@/discord/deps.ts";

/** Ephemeral message flag. */
const EPHEMERAL = 64;

/** What the endpoint sends back: Discord's JSON (with files: multipart), or a 400 with a reason. */
export type Answer =
  | { status: 200; body: APIInteractionResponse; files?: RawFile[] }
  | { status: 400; error: string };

/** The sentence a member sees when a handler crashed. */
export function apology(interactionId: string): string {
  return `Sorry, that failed on our side. A league admin can find it in the server log as interaction ${interactionId}`;
}

/** Deferred work still running in this process (tests and shutdown wait for it with `settled()`). */
const inFlight = new Set<Promise<void>>();

/** Resolves when every deferred answer started so far was sent (or failed and was logged). */
export async function settled(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}

/** Message data as Discord takes it: mentions off, limits kept, files listed as attachments. */
export function messageData(
  m: MessagePayload,
  ephemeral = false,
): { data: MessageBody & { flags?: number }; files: RawFile[] } {
  const data: MessageBody & { flags?: number } = { allowed_mentions: { parse: [] } };
  if (m.content !== undefined) data.content = clip(m.content, LIMITS.content);
  if (m.embeds) data.embeds = fitEmbeds(m.embeds);
  if (m.components) data.components = m.components;
  const files = (m.files ?? []).map((f) => {
    const file: RawFile = { name: f.name, data: f.data };
    if (f.contentType) file.contentType = f.contentType;
    return file;
  });
  if (files.length) data.attachments = files.map((f, i) => ({ id: String(i), filename: f.name }));
  if (ephemeral) data.flags = EPHEMERAL;
  return { data, files };
}

function say(text: string): Reply {
  return { kind: "message", ephemeral: true, message: { content: text } };
}

type Outcome = { reply: Reply } | { error: unknown };

/** Routes interactions to the command sets it was built with. */
export class Dispatcher {
  readonly #commands = new Map<string, Command>();
  readonly #components = new Map<string, ComponentHandler>();
  readonly #deferAfterMs: number;

  constructor(sets: CommandSet[], opts: { deferAfterMs?: number } = {}) {
    for (const set of sets) {
      for (const c of set.commands) this.#commands.set(c.definition.name, c);
      for (const h of set.components ?? []) this.#components.set(h.id, h);
    }
    this.#deferAfterMs = opts.deferAfterMs ?? 2000;
  }

  /** The answer to one interaction. */
  async handle(deps: DiscordDeps, i: Interaction): Promise<Answer> {
    if (i.type === 1) return { status: 200, body: { type: 1 } };
    const userId = userIdOf(i);
    if (!userId) return { status: 400, error: "Malformed interaction: no member or user" };
    const base = {
      deps,
      interaction: asApiInteraction(i),
      userId,
      guildId: i.guild_id ?? null,
      isAdmin: isAdminMember(i, deps.config),
    };

    if (i.type === 3) {
      const cut = i.data.custom_id.indexOf(":");
      const id = cut < 0 ? i.data.custom_id : i.data.custom_id.slice(0, cut);
      const state = cut < 0 ? "" : i.data.custom_id.slice(cut + 1);
      const handler = this.#components.get(id);
      if (!handler) return { status: 400, error: `Unknown component "${id}"` };
      const ctx: CommandContext = { ...base, sub: [], options: {} };
      return await this.#answer(ctx, i, true, () => handler.run(ctx, state));
    }

    const command = this.#commands.get(i.data.name);
    if (!command) return { status: 400, error: `Unknown command "/${i.data.name}"` };
    const { sub, options, focused } = readOptions(i.data.options);
    const ctx: CommandContext = { ...base, sub, options };

    if (i.type === 4) return await this.#autocomplete(ctx, i, command, focused);
    if (command.admin && !ctx.isAdmin) {
      return this.#toAnswer(
        say(`Only league admins can use /${i.data.name} (Administrator, Manage Server, or an admin role)`),
        ctx,
        false,
      );
    }
    return await this.#answer(ctx, i, false, () => command.run(ctx));
  }

  async #autocomplete(
    ctx: CommandContext,
    i: Interaction & { id: string },
    command: Command,
    focused: { name: string; value: string } | null,
  ): Promise<Answer> {
    const none: Answer = { status: 200, body: { type: 8, data: { choices: [] } } };
    if (!command.autocomplete || !focused) return none;
    // Autocomplete cannot be deferred: past the deadline, answer with no choices.
    const outcome = await this.#within(this.#outcome(() => command.autocomplete!(ctx, focused)));
    if (!outcome) return none;
    if ("error" in outcome) {
      console.error(
        `Interaction ${i.id}: autocomplete of /${command.definition.name} failed:`,
        outcome.error,
      );
      return none;
    }
    if (outcome.reply.kind !== "choices") return none;
    const choices = outcome.reply.choices.slice(0, LIMITS.choices).map((c) => ({
      name: clipWords(plain(c.name), LIMITS.choiceName) || "?",
      value: c.value.slice(0, 100),
    }));
    return { status: 200, body: { type: 8, data: { choices } } };
  }

  /** The handler's outcome, errors included. */
  #outcome(run: () => Promise<Reply>): Promise<Outcome> {
    return (async () => {
      try {
        return { reply: await run() };
      } catch (error) {
        return { error };
      }
    })();
  }

  /** The outcome if it comes within the deadline, else null (the work keeps running). */
  async #within(work: Promise<Outcome>): Promise<Outcome | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.#deferAfterMs);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a handler; answers with its reply, or defers when it is slow and finishes later. */
  async #answer(
    ctx: CommandContext,
    i: Interaction & { id: string; token: string },
    component: boolean,
    run: () => Promise<Reply>,
  ): Promise<Answer> {
    const work = this.#outcome(run);
    const outcome = await this.#within(work);
    if (outcome) return this.#toAnswer(this.#settle(ctx, outcome), ctx, component);
    // Too slow for Discord's window: acknowledge now, edit @original when the handler is done.
    this.#later(ctx, i, async () => this.#settle(ctx, await work));
    return component ? { status: 200, body: { type: 6 } } : { status: 200, body: { type: 5 } };
  }

  /** A handler's outcome as a reply: UserErrors become their sentence, crashes an apology. */
  #settle(ctx: CommandContext, outcome: Outcome): Reply {
    if ("reply" in outcome) return outcome.reply;
    if (outcome.error instanceof UserError) return say(outcome.error.message);
    const name = "data" in ctx.interaction && ctx.interaction.data && "name" in ctx.interaction.data
      ? `/${ctx.interaction.data.name}`
      : "component";
    console.error(`Interaction ${ctx.interaction.id} (${name}) failed:`, outcome.error);
    return say(apology(ctx.interaction.id));
  }

  #toAnswer(reply: Reply, ctx: CommandContext, component: boolean): Answer {
    const i = ctx.interaction as { id: string; token: string };
    switch (reply.kind) {
      case "message": {
        const { data, files } = messageData(reply.message, reply.ephemeral);
        return { status: 200, body: { type: 4, data }, files };
      }
      case "update": {
        const { data, files } = messageData(reply.message);
        return { status: 200, body: { type: component ? 7 : 4, data }, files };
      }
      case "defer":
        this.#later(ctx, i, async () => ({ kind: "message", message: await reply.work() }));
        if (component) return { status: 200, body: { type: 6 } };
        return { status: 200, body: reply.ephemeral ? { type: 5, data: { flags: EPHEMERAL } } : { type: 5 } };
      case "choices":
        return this.#toAnswer(
          this.#settle(ctx, { error: new Error("choices returned outside autocomplete") }),
          ctx,
          component,
        );
    }
  }

  /** Runs `work` after the answer and PATCHes @original with its message (or the apology). */
  #later(ctx: CommandContext, i: { id: string; token: string }, work: () => Promise<Reply>): void {
    const task = (async () => {
      let reply: Reply;
      try {
        reply = await work();
      } catch (error) {
        reply = this.#settle(ctx, { error });
      }
      const message = reply.kind === "message" || reply.kind === "update"
        ? reply.message
        : reply.kind === "defer"
        ? await reply.work().catch((error) => {
          const r = this.#settle(ctx, { error });
          return r.kind === "message" ? r.message : { content: apology(i.id) };
        })
        : { content: apology(i.id) };
      const api = ctx.deps.discord;
      if (!api) {
        console.error(`Interaction ${i.id}: a deferred answer is ready but Discord REST is not configured`);
        return;
      }
      const { data, files } = messageData(message);
      try {
        await api.editOriginal(i.token, data, files.length ? files : undefined);
      } catch (err) {
        console.error(`Interaction ${i.id}: cannot edit the deferred answer:`, err);
      }
    })();
    inFlight.add(task);
    task.finally(() => inFlight.delete(task));
  }
}

/** The HTTP response for an answer: JSON, or multipart/form-data with payload_json when it carries files. */
export function toResponse(answer: Answer): Response {
  if (answer.status === 400) {
    return Response.json({ error: answer.error }, { status: 400 });
  }
  if (!answer.files?.length) return Response.json(answer.body);
  const form = new FormData();
  form.append("payload_json", JSON.stringify(answer.body));
  answer.files.forEach((f, n) => {
    const bytes = f.data instanceof Uint8Array ? f.data : new TextEncoder().encode(String(f.data));
    form.append(
      `files[${n}]`,
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: f.contentType ?? "application/octet-stream" }),
      f.name,
    );
  });
  return new Response(form);
}
