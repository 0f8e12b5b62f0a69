/** Spawning the hub, and reading a spawned server's output. */
import { fromFileUrl } from "@/tests/_path.ts";

/**
 * Reads `reader` until the text so far contains `marker` (e.g. "listening") and returns that
 * text; throws, with what was read, when the stream ends first.
 */
export async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  marker: string,
): Promise<string> {
  let out = "";
  while (!out.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The process's output ended before "${marker}": ${out}`);
    out += value;
  }
  return out;
}

const MAIN = fromFileUrl(new URL("../main.ts", import.meta.url));

/**
 * Starts `main.ts` in `cwd` with only `env` and what Deno needs to run (HOME, PATH, DENO_DIR): no
 * variable of the test's own environment leaks into the hub. Output is piped.
 */
export function spawnMain(cwd: string, env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    cwd,
    env: {
      NO_COLOR: "1",
      HOME: Deno.env.get("HOME") ?? cwd,
      PATH: Deno.env.get("PATH") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      ...env,
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}
