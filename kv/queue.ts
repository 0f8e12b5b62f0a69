/**
 * One Deno KV queue listener per KV handle, shared by every domain. Deno splits the messages of
 * one handle among all its `listenQueue` callers (measured: two listeners each got every other
 * message), so a second direct listener would silently steal the first one's messages. Every
 * queue user registers here instead, by the `kind` its messages carry: `{ kind: "podium.x", ... }`.
 */

type Handler = (msg: Record<string, unknown>) => Promise<void> | void;

const listeners = new WeakMap<Deno.Kv, Map<string, Handler>>();

/**
 * Routes this KV handle's queue messages of `kind` to `handler` (one handler per kind). A message
 * whose kind nobody handles here (its handler stopped: the process is shutting down) is dropped:
 * queue messages only wake work whose truth is in KV (delivery's pending items), and a handler
 * scans that at its start, so nothing is lost, and no retry storm or stack trace is left behind.
 */
export function onQueueMessage(kv: Deno.Kv, kind: string, handler: Handler): void {
  let handlers = listeners.get(kv);
  if (!handlers) {
    const map = new Map<string, Handler>();
    listeners.set(kv, handlers = map);
    kv.listenQueue(async (raw: unknown) => {
      const k = typeof raw === "object" && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
      const h = typeof k === "string" ? map.get(k) : undefined;
      if (!h) return;
      await h(raw as Record<string, unknown>);
    }).catch((err) => console.error(`The KV queue listener stopped: ${(err as Error).message}`));
  }
  if (handlers.has(kind)) {
    throw new Error(`A handler for queue messages of kind "${kind}" is already registered`);
  }
  handlers.set(kind, handler);
}

/** Removes the handler of `kind` (the listener itself lives as long as the KV handle). */
export function offQueueMessage(kv: Deno.Kv, kind: string): void {
  listeners.get(kv)?.delete(kind);
}
