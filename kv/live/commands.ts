/**
 * Admin commands for a server's agent (docs/live.md): queued here by `/live kick|say` and the
 * time-attack switch, handed to the agent in the answer to its next batch, deleted when the agent
 * says it sent them. A command the agent has not picked up within `COMMAND_TTL_MS` is dropped:
 * kicking someone an hour late is worse than not at all.
 */
import { liveCommandKey, liveCommandsPrefix } from "@/kv/live/keys.ts";
import type { KvReader } from "@/kv/reader.ts";

/** How long a command waits for the agent. */
export const COMMAND_TTL_MS = 2 * 60 * 1000;

/** What a command does on the server. */
export type LiveCommandBody = { kind: "kick"; carId: number } | { kind: "say"; text: string };

/** A queued command. */
export type LiveCommand = LiveCommandBody & { id: string; createdAt: string };

let issued = 0;

/** Queues commands in one atomic write; returns their ids. */
export async function queueLiveCommands(
  kv: Deno.Kv,
  server: string,
  bodies: LiveCommandBody[],
  now: Date,
): Promise<string[]> {
  const op = kv.atomic();
  const ids: string[] = [];
  bodies.forEach((b) => {
    // Time first, then this process's count: ids sort in the order commands were given.
    const id = `${now.getTime().toString(36).padStart(10, "0")}-${(issued++).toString(36).padStart(6, "0")}-${
      crypto.randomUUID().slice(0, 8)
    }`;
    ids.push(id);
    op.set(liveCommandKey(server, id), { ...b, id, createdAt: now.toISOString() } satisfies LiveCommand);
  });
  const res = await op.commit();
  if (!res.ok) throw new Error(`Cannot queue commands for "${server}"`);
  return ids;
}

/** The commands still worth sending, oldest first. */
export async function pendingLiveCommands(r: KvReader, server: string, now: Date): Promise<LiveCommand[]> {
  const all = await r.list<LiveCommand>(liveCommandsPrefix(server), 100);
  return all.map((e) => e.value).filter((c) => now.getTime() - Date.parse(c.createdAt) < COMMAND_TTL_MS);
}
