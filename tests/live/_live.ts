/**
 * Live-timing test rig: a hub (the real app on a loopback port over a given KV), the agent's
 * relay in this process, and the fake AC server between them, all on OS-chosen ports.
 */
import { createApp } from "@/app.ts";
import type { Config } from "@/config.ts";
import { AcPluginRelay } from "@/agent/ac_plugin.ts";
import { FakeAcServer } from "@/tests/fakes/ac_server.ts";

export const SECRET = "live-secret-for-tests";
Deno.env.set("PODIUM_SECRET_AC_TA", SECRET);

/** A hub serving the app; `stop()` and `start()` take it down and bring it back on the same port. */
export class TestHub {
  #server: Deno.HttpServer<Deno.NetAddr> | null = null;
  port = 0;
  constructor(readonly kv: Deno.Kv, readonly config: Config) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    const app = createApp({ kv: this.kv, config: this.config, now: () => new Date() });
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: this.port, onListen() {} }, app.fetch);
    this.port = this.#server.addr.port;
  }

  async stop(): Promise<void> {
    await this.#server?.shutdown();
    this.#server = null;
  }

  /** `GET /api/live/:server` as JSON. */
  async live(server = "ac-ta") {
    const res = await fetch(`${this.url}/api/live/${server}`);
    return await res.json();
  }
}

/** Waits until `check` returns a truthy value (polling every 50 ms); fails after `ms`. */
export async function until<T>(check: () => Promise<T> | T, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a relay from the fake server to the hub; points the fake server at it. */
export async function startRelay(
  hub: TestHub,
  fake: FakeAcServer,
  queueFile: string,
  log: string[] = [],
): Promise<AcPluginRelay> {
  const relay = new AcPluginRelay({
    hub: hub.url,
    server: "ac-ta",
    secret: SECRET,
    listenPort: 0,
    serverPort: fake.port,
    queueFile,
    log: (l) => log.push(l),
    maxCars: 4,
    pollMs: 200,
  });
  await relay.start();
  fake.pluginPort = relay.port();
  return relay;
}
