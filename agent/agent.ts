/**
 * Podium's agent: runs on a game host, watches result folders and pushes every finished file to
 * the hub the moment it is complete. Self-contained modules (agent/*.ts, relative imports only) that
 * need nothing but Deno; the hub serves the folder at /agent/ (and /agent.ts redirects here), so a
 * host runs it straight from there and fetches it afresh on every start (README "Getting files in"):
 *
 *     deno run --allow-read=DIR,STATE,STATE.tmp --allow-write=STATE,STATE.tmp --allow-net=HUB_HOST \
 *       --allow-env=PODIUM_AGENT_SECRET --allow-import=HUB_HOST --reload=https://HUB/agent \
 *       https://HUB/agent.ts --hub https://HUB --server ID --dir DIR --state STATE
 *
 * (The state is written to STATE.tmp and renamed over STATE, so both names need the permissions.)
 *
 * Options: --dir (repeatable), --state FILE, --backfill (also send what is already in the folders),
 * --dry-run (list what would be sent), --once (send what is pending, then exit 0 when all of it was
 * acknowledged or rejected for good, 1 otherwise), --ac-plugin LISTEN:SERVER (relay the Assetto Corsa
 * server's UDP plugin events live, agent/ac_plugin.ts; --dir is then optional), --ac-content DIR (an AC
 * server's `content` folder: send its tracks' and cars' display names, agent/ac_content.ts). Exit 2: bad usage; 3: the hub refused us (wrong
 * secret, unknown server, clock off), fix and restart. The secret is read from PODIUM_AGENT_SECRET.
 *
 * The modules: options.ts (the command line), files.ts (paths, completeness), state.ts (the state
 * file), watcher.ts (scan, settle, send), sign.ts (the push protocol's signature).
 */

import { AcPluginRelay } from "./ac_plugin.ts";
import { Fatal, log, parseOptions, USAGE } from "./options.ts";
import { Agent } from "./watcher.ts";

/** Runs the agent with command-line arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseOptions(args);
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  if (typeof parsed === "string") {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const dirs: string[] = [];
  for (const d of parsed.dirs) {
    try {
      const real = await Deno.realPath(d);
      if (!dirs.includes(real)) dirs.push(real);
    } catch (err) {
      console.error(`Cannot watch "${d}": ${(err as Error).message}`);
      return 2;
    }
  }
  const secret = Deno.env.get("PODIUM_AGENT_SECRET") ?? "";
  if (!secret && !parsed.dryRun) {
    console.error("Set PODIUM_AGENT_SECRET to the secret the hub has for this server");
    return 2;
  }
  const agent = new Agent({ ...parsed, dirs }, secret);
  if (parsed.acContent && !parsed.dryRun) {
    const content = await import("./ac_content.ts");
    const t = { hub: parsed.hub, server: parsed.server, dir: parsed.acContent, secret, log };
    if (parsed.once) await content.sendAcContent(t, null);
    else content.watchAcContent(t);
  }
  const relay = parsed.acPlugin && !parsed.dryRun && !parsed.once
    ? new AcPluginRelay({
      hub: parsed.hub,
      server: parsed.server,
      secret,
      listenPort: parsed.acPlugin.listen,
      serverPort: parsed.acPlugin.server,
      queueFile: parsed.state.replace(/(\.json)?$/i, "-live.json"),
      log,
    })
    : null;
  const stop = () => Promise.all([agent.stop(), relay?.stop()]).finally(() => Deno.exit(0));
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  try {
    await relay?.start().catch((err) => {
      throw new Fatal(
        `Cannot relay AC plugin events on 127.0.0.1:${parsed.acPlugin?.listen}: ${err.message}`,
      );
    });
    if (relay && dirs.length === 0) return await new Promise<number>(() => {});
    const code = await agent.run();
    await agent.stop();
    return code;
  } catch (err) {
    if (!(err instanceof Fatal)) throw err;
    log(err.message);
    await agent.stop();
    return 3;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
