/**
 * The agent's Assetto Corsa live relay (`--ac-plugin LISTEN:SERVER`, docs/live.md): binds UDP
 * `LISTEN` on 127.0.0.1, where the AC server sends its plugin events (`UDP_PLUGIN_ADDRESS`),
 * decodes them (agent/ac_protocol.ts), and sends them to the hub's `POST /api/live` signed like a
 * push, in batches (at most one every 100 ms). Events wait in a queue file while the hub is down
 * and go in order when it is back; each has a sequence number the hub acknowledges, so none is
 * applied twice. The hub's answer carries pending admin commands (kick, chat), which go to the
 * server's `UDP_PLUGIN_LOCAL_PORT` from the same socket (the server only listens to its plugin).
 */
import dgram from "node:dgram";
import {
  type AcEvent,
  decodePacket,
  encodeBroadcastChat,
  encodeGetCarInfo,
  encodeGetSessionInfo,
  encodeKick,
} from "./ac_protocol.ts";
// The push protocol's signature: every upload of the agent signs the same way.
import { signedHeaders } from "./sign.ts";

/** An event as queued and sent: the decoded message, its sequence number and when it arrived. */
export type LiveEvent = AcEvent & { seq: number; at: number };

/** A command the hub asks the agent to send to the server. */
export type LiveCommand =
  | { id: string; kind: "kick"; carId: number }
  | { id: string; kind: "say"; text: string };

/** How the relay runs. */
export interface AcPluginOptions {
  hub: string;
  server: string;
  secret: string;
  listenPort: number;
  serverPort: number;
  /** The queue file (written to FILE.tmp, then renamed). */
  queueFile: string;
  log: (line: string) => void;
  /** Car ids asked for at start (a plugin started mid-session knows nothing until it asks). */
  maxCars?: number;
  /** Quiet time after which the agent asks the hub for commands anyway. */
  pollMs?: number;
}

const BATCH_MS = 100;
const MAX_BATCH = 200;
const MAX_QUEUE = 200_000;

interface QueueState {
  version: 1;
  /** Names this queue's sequence: a new queue file starts a new stream the hub accepts from 1. */
  stream: string;
  nextSeq: number;
  pending: LiveEvent[];
}

/** Relays one AC server's plugin events to the hub. */
export class AcPluginRelay {
  readonly #o: AcPluginOptions;
  #q: QueueState = { version: 1, stream: crypto.randomUUID(), nextSeq: 1, pending: [] };
  #socket: dgram.Socket | null = null;
  #done: string[] = [];
  #seenCommands = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sending = false;
  #stopped = false;
  #failures = 0;
  #hubDown = false;
  #saving: Promise<void> | null = null;
  #dirty = false;
  #lastSendAt = 0;
  /** Counts for tests and logs. */
  readonly stats = { received: 0, skipped: 0, sent: 0 };

  constructor(o: AcPluginOptions) {
    this.#o = o;
  }

  /** Loads the queue, binds the socket and asks the server what is going on. */
  async start(): Promise<void> {
    await this.#load();
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(this.#o.listenPort, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve();
      });
    });
    socket.on("message", (msg: Uint8Array) => this.#receive(msg));
    socket.on("error", (err: Error) => this.#o.log(`AC plugin socket: ${err.message}`));
    this.#socket = socket;
    this.#o.log(
      `relaying AC plugin events from 127.0.0.1:${this.port()} (server 127.0.0.1:${this.#o.serverPort}); ${this.#q.pending.length} queued`,
    );
    this.#command(encodeGetSessionInfo());
    for (let id = 0; id < (this.#o.maxCars ?? 64); id++) this.#command(encodeGetCarInfo(id));
    this.#schedule(this.#q.pending.length > 0 ? 0 : BATCH_MS);
  }

  /** The bound UDP port. */
  port(): number {
    return this.#socket?.address().port ?? this.#o.listenPort;
  }

  /** Stops: closes the socket and writes the queue. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close();
    this.#socket = null;
    await this.#save();
    while (this.#saving) await this.#saving;
  }

  #receive(msg: Uint8Array): void {
    let ev: AcEvent;
    try {
      ev = decodePacket(msg);
    } catch (err) {
      this.stats.skipped++;
      const head = Array.from(msg.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join(" ");
      this.#o.log(`skipped an AC plugin packet (${msg.length} bytes: ${head}): ${(err as Error).message}`);
      return;
    }
    this.stats.received++;
    if (ev.type === "car_update") return; // positions ten times a second: not worth relaying
    if (ev.type === "connect") this.#command(encodeGetCarInfo(ev.carId));
    if (this.#q.pending.length >= MAX_QUEUE) {
      this.#o.log(`queue full (${MAX_QUEUE} events): dropping the oldest`);
      this.#q.pending.shift();
    }
    this.#q.pending.push({ ...ev, seq: this.#q.nextSeq++, at: Date.now() });
    void this.#save();
    if (!this.#sending && !this.#hubDown) {
      this.#schedule(Math.max(0, this.#lastSendAt + BATCH_MS - Date.now()));
    }
  }

  #command(bytes: Uint8Array): void {
    this.#socket?.send(bytes, this.#o.serverPort, "127.0.0.1");
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#flush(), ms);
  }

  /** Sends the oldest pending events (or an empty poll for commands); reschedules itself. */
  async #flush(): Promise<void> {
    if (this.#sending || this.#stopped) return;
    this.#sending = true;
    let next = this.#o.pollMs ?? 2000;
    try {
      this.#lastSendAt = Date.now();
      const ok = await this.#send(this.#q.pending.slice(0, MAX_BATCH));
      if (ok) {
        this.#failures = 0;
        // More waiting (arrived during this send): the next batch as soon as 100 ms are up.
        if (this.#q.pending.length > 0) next = Math.max(0, this.#lastSendAt + BATCH_MS - Date.now());
      } else {
        this.#failures++;
        next = Math.min(30_000, 500 * 2 ** Math.min(this.#failures - 1, 6));
      }
    } finally {
      this.#sending = false;
      this.#schedule(next);
    }
  }

  async #send(events: LiveEvent[]): Promise<boolean> {
    const body = new TextEncoder().encode(JSON.stringify({
      stream: this.#q.stream,
      sentAt: Date.now(),
      events,
      done: this.#done,
    }));
    const name = `live-${events[0]?.seq ?? "poll"}.json`;
    let res: Response;
    try {
      res = await fetch(`${this.#o.hub}/api/live`, {
        method: "POST",
        headers: {
          ...await signedHeaders(this.#o.secret, {
            server: this.#o.server,
            file: name,
            body,
            timestamp: Math.floor(Date.now() / 1000),
          }),
          "content-type": "application/json",
        },
        body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      this.#down(`${(err as Error).message}`);
      return false;
    }
    const answer = await res.json().catch(() => ({})) as {
      ack?: unknown;
      commands?: unknown;
      error?: unknown;
    };
    if (res.status !== 200) {
      if (res.status === 400 || res.status === 413) {
        // The hub will never take this batch: dropping it is the only way the rest can go.
        this.#o.log(`the hub refused ${events.length} event(s) for good: ${answer.error ?? res.status}`);
        this.#ack(events.at(-1)?.seq ?? 0);
        return true;
      }
      this.#down(`HTTP ${res.status}: ${answer.error ?? ""}`);
      return false;
    }
    if (this.#hubDown) this.#o.log(`hub reachable again; sending ${this.#q.pending.length} queued event(s)`);
    this.#hubDown = false;
    this.#done = [];
    if (typeof answer.ack === "number") this.#ack(answer.ack);
    this.stats.sent += events.length;
    for (const c of Array.isArray(answer.commands) ? answer.commands as LiveCommand[] : []) this.#run(c);
    return true;
  }

  #ack(seq: number): void {
    const before = this.#q.pending.length;
    this.#q.pending = this.#q.pending.filter((e) => e.seq > seq);
    if (this.#q.pending.length !== before) void this.#save();
  }

  #run(c: LiveCommand): void {
    this.#done.push(c.id);
    if (this.#seenCommands.has(c.id)) return; // answered again before our "done" arrived
    this.#seenCommands.add(c.id);
    if (c.kind === "kick" && Number.isInteger(c.carId)) {
      this.#o.log(`kicking car ${c.carId} (hub command)`);
      this.#command(encodeKick(c.carId));
    } else if (c.kind === "say" && typeof c.text === "string") {
      this.#o.log(`chat to everyone (hub command): ${c.text}`);
      this.#command(encodeBroadcastChat(c.text));
    }
    this.#schedule(0);
  }

  #down(why: string): void {
    if (!this.#hubDown) {
      this.#o.log(`hub unavailable for live events (${why}); queueing them, retrying with backoff`);
    }
    this.#hubDown = true;
  }

  async #load(): Promise<void> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.#o.queueFile);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return;
      throw err;
    }
    try {
      const raw = JSON.parse(text);
      if (raw?.version !== 1 || typeof raw.stream !== "string" || !Array.isArray(raw.pending)) {
        throw new Error("unknown layout");
      }
      this.#q = raw;
    } catch (err) {
      this.#o.log(
        `the live queue "${this.#o.queueFile}" is damaged (${(err as Error).message}): starting anew`,
      );
    }
  }

  /** Writes the queue soon; writes asked for while one runs are coalesced into the next. */
  #save(): Promise<void> {
    this.#dirty = true;
    this.#saving ??= (async () => {
      try {
        while (this.#dirty) {
          this.#dirty = false;
          const tmp = `${this.#o.queueFile}.tmp`;
          await Deno.writeTextFile(tmp, JSON.stringify(this.#q));
          await Deno.rename(tmp, this.#o.queueFile);
        }
      } catch (err) {
        this.#o.log(`cannot write the live queue "${this.#o.queueFile}": ${(err as Error).message}`);
      } finally {
        this.#saving = null;
      }
    })();
    return this.#saving;
  }
}
