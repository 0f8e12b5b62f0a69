/**
 * A recording TaOutput, in-process, for the rotation's tests until the real fake Discord
 * (tests/fakes/discord.ts) and kept messages (discord/kept_message.ts) are on main. Announcements
 * go into the real KV outbox keys in the caller's atomic operation; kept messages are recorded.
 */
import type { TaAnnouncement, TaOutput } from "@/discord/ta/announce.ts";
import type { TaMessage } from "@/discord/ta/embeds.ts";
import { outboxKey, outboxPrefix } from "@/kv/keys.ts";

/** One send of a kept message. */
export interface KeptSend {
  key: string;
  channelId: string;
  payload: TaMessage;
  /** "post" the first time (or after a deletion), else "edit". */
  op: "post" | "edit";
}

/** See the module doc. */
export class RecordingOutput implements TaOutput {
  readonly sends: KeptSend[] = [];
  kicks = 0;
  readonly #live = new Set<string>();
  readonly #waiters: { n: number; resolve: () => void }[] = [];

  /** Resolves once `n` sends have been recorded. */
  sendsReach(n: number): Promise<void> {
    if (this.sends.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }

  addAnnouncements(op: Deno.AtomicOperation, items: TaAnnouncement[], now: Date, sourceId: string): void {
    items.forEach((announcement, i) => {
      const id = `${String(now.getTime()).padStart(15, "0")}-${sourceId}-${String(i).padStart(3, "0")}`;
      op.set(outboxKey(id), { id, createdAt: now.toISOString(), attempts: 0, announcement });
    });
  }

  upsertKeptMessage(key: string, channelId: string, payload: TaMessage): Promise<void> {
    const op = this.#live.has(key) ? "edit" : "post";
    this.#live.add(key);
    this.sends.push({ key, channelId, payload, op });
    for (const w of this.#waiters.filter((w) => this.sends.length >= w.n)) w.resolve();
    return Promise.resolve();
  }

  kick(): void {
    this.kicks++;
  }

  /** Sends of one kept message. */
  of(key: string): KeptSend[] {
    return this.sends.filter((s) => s.key === key);
  }
}

/** The announcements in the outbox, oldest first. */
export async function outbox(kv: Deno.Kv): Promise<TaAnnouncement[]> {
  return await Array.fromAsync(
    kv.list<{ announcement: TaAnnouncement }>({ prefix: outboxPrefix() }),
    (e) => e.value.announcement,
  );
}
