/**
 * Where the real sample files live: ../shared/samples beside the repository, or PODIUM_SAMPLES.
 * They are read in place and never copied into the repository.
 */
import { existsSync } from "node:fs";
import { fromFileUrl } from "@/tests/_path.ts";
import { SAMPLE_TWINS } from "@/tests/_sample_twins.ts";

export const SAMPLES_DIR: string = Deno.env.get("PODIUM_SAMPLES") ??
  fromFileUrl(new URL("../../shared/samples", import.meta.url));

export const samplesAvailable: boolean = existsSync(SAMPLES_DIR);

const required = Boolean(Deno.env.get("PODIUM_REQUIRE_SAMPLES") || Deno.env.get("CI"));

/** Reads a sample file's raw bytes, `rel` relative to the samples folder (e.g. "acc/simdesk/Session_R.json"). */
export function readSample(rel: string): Uint8Array {
  return Deno.readFileSync(`${SAMPLES_DIR}/${rel}`);
}

/** Lists sample files under a folder of the samples, recursively, as paths relative to the samples folder. */
export function listSamples(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of Deno.readDirSync(`${SAMPLES_DIR}/${rel}`)) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory) walk(child);
      else if (e.isFile) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Registers a test that reads the real samples. Without them, a test whose behaviour a fixture
 * test also covers (tests/_sample_twins.ts) is not registered, and the run says so once; any
 * other is skipped loudly (and `.ci/run` fails a fresh clone's run on it unless the map lists it as
 * null, not covered yet). With CI or PODIUM_REQUIRE_SAMPLES set, the samples must be there.
 */
export function sampleTest(name: string, fn: (t: Deno.TestContext) => void | Promise<void>): void {
  if (!(name in SAMPLE_TWINS)) {
    throw new Error(
      `Sample test "${name}" is not in tests/_sample_twins.ts: name its fixture twin (or null)`,
    );
  }
  if (!samplesAvailable && !required) {
    if (SAMPLE_TWINS[name]) {
      if (!announced) {
        announced = true;
        console.warn(
          `Tests on real samples are not registered (no samples at ${SAMPLES_DIR}; set PODIUM_SAMPLES): ` +
            "fixture tests cover their behaviours",
        );
      }
      return;
    }
    console.warn(`SKIPPED (no samples at ${SAMPLES_DIR}; no fixture twin yet; set PODIUM_SAMPLES): ${name}`);
  }
  Deno.test({
    name,
    ignore: !samplesAvailable && !required,
    fn: async (t) => {
      if (!samplesAvailable) {
        throw new Error(`Cannot run "${name}": no samples at "${SAMPLES_DIR}"; set PODIUM_SAMPLES`);
      }
      await fn(t);
    },
  });
}

let announced = false;
