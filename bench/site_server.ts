/** Serves the whole app on a free loopback port over the KV named by PODIUM_KV (bench/site.ts drives it). */
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";

const kv = await Deno.openKv(Deno.env.get("PODIUM_KV")!);
const app = createApp({ kv, config: loadConfig(), now: () => new Date() });
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(`listening ${port}`),
}, app.fetch);
