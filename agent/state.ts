/** The agent's state file: what it knows of each file, written atomically (write, then rename). */
import { Fatal } from "./options.ts";

/** What the agent knows of one file, by absolute path. */
export interface Known {
  size: number;
  mtimeMs: number;
  /**
   * acked: the hub has it; rejected: refused for good; baseline: there before the first run;
   * failed: given up after FILE_ATTEMPTS tries (`--retry-failed` sends it again).
   */
  status: "acked" | "rejected" | "baseline" | "failed";
  sha256?: string;
  reason?: string;
}

/** The acknowledged files, kept in a JSON file written atomically (write, then rename). */
export class StateFile {
  files: Record<string, Known> = {};
  #dirty = false;
  #writing: Promise<void> | null = null;

  constructor(readonly path: string) {}

  /** Loads the state; false when there was none (a first run). */
  async load(): Promise<boolean> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw new Fatal(`Cannot read the state file "${this.path}": ${(err as Error).message}`);
    }
    try {
      const raw = JSON.parse(text);
      if (raw?.version !== 1) throw new Error("unknown layout");
      if (raw.files === null || typeof raw.files !== "object" || Array.isArray(raw.files)) {
        throw new Error('"files" is not an object');
      }
      for (const [path, k] of Object.entries(raw.files as Record<string, Partial<Known> | null>)) {
        // An entry this agent cannot read is forgotten: at worst its file is sent again (the hub
        // answers "duplicate"), never a crash.
        if (isKnown(k)) this.files[path] = k;
      }
      return true;
    } catch (err) {
      throw new Fatal(
        `The state file "${this.path}" is damaged (${
          (err as Error).message
        }): move it away and run with --backfill`,
      );
    }
  }

  ackedHashes(): Map<string, string> {
    const m = new Map<string, string>();
    for (const [path, k] of Object.entries(this.files)) {
      if (k.sha256 && k.status === "acked") m.set(k.sha256, path);
    }
    return m;
  }

  /** Writes the state soon; writes requested while one is under way are coalesced into the next. */
  save(): Promise<void> {
    this.#dirty = true;
    this.#writing ??= (async () => {
      try {
        while (this.#dirty) {
          this.#dirty = false;
          const tmp = `${this.path}.tmp`;
          await Deno.writeTextFile(tmp, JSON.stringify({ version: 1, files: this.files }));
          // Windows virus scanners briefly lock fresh files: a few tries before giving up.
          for (let attempt = 1;; attempt++) {
            try {
              await Deno.rename(tmp, this.path);
              break;
            } catch (err) {
              if (attempt >= 5 || err instanceof Deno.errors.NotCapable) throw err;
              await new Promise((r) => setTimeout(r, 100 * attempt));
            }
          }
        }
      } finally {
        this.#writing = null;
      }
    })();
    return this.#writing;
  }

  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }
}

function isKnown(k: unknown): k is Known {
  const o = k as Partial<Known> | null;
  return typeof o === "object" && o !== null && typeof o.size === "number" && typeof o.mtimeMs === "number" &&
    ["acked", "rejected", "baseline", "failed"].includes(o.status as string);
}
