/**
 * `deno run -A discord/dead_letters.ts [--requeue] [ID...]`: lists the announcements Discord
 * refused for good, with their reasons, from the KV that PODIUM_KV names; with `--requeue`, puts
 * them (all, or the given ids) back in the outbox, for after the cause is fixed. A running server
 * delivers them within a second. Exit 0, or 2 when it could not run.
 */
import { parseArgs } from "node:util";
import { loadConfigOrReport } from "@/config.ts";
import { openKv } from "@/kv/open.ts";
import { deliveryStatus, requeueDeadLetters } from "@/discord/delivery.ts";

const USAGE = "Usage: deno run -A discord/dead_letters.ts [--requeue] [ID...]";

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { requeue: { type: "boolean", default: false } },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfigOrReport();
  if (config === null) return 2;
  const kvPath = config.kvPath;
  if (kvPath === null) {
    console.error("Set PODIUM_KV to the KV to read (a path or a KV Connect URL)");
    return 2;
  }
  const kv = await openKv(kvPath);
  try {
    if (parsed.values.requeue) {
      const ids = parsed.positionals.length ? parsed.positionals : undefined;
      const n = await requeueDeadLetters(kv, ids);
      console.log(`requeued ${n} dead letter(s)`);
      return 0;
    }
    const status = await deliveryStatus(kv, { deadLetters: 1000 });
    for (const d of status.deadLetters) {
      console.log(`${d.at}  ${d.id}  ${d.type} -> ${d.channelId ?? "(no channel)"}: ${d.reason}`);
    }
    console.log(`${status.deadLetterCount} dead letter(s), ${status.pending} pending`);
    return 0;
  } finally {
    kv.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
