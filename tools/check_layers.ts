/**
 * The layer check (`deno task layers`, part of `deno task ok`, and tests/layers_test.ts): reads
 * every import in the tree (tests/, bench/ and fixtures/ aside) and fails when a lower folder
 * imports a higher one, naming the file and the import. Type imports count: a lower layer gets
 * what it needs as a parameter. Also refuses a private module (`_name.ts`) imported from outside
 * its own folder. The layers are written down in docs/architecture.md.
 *
 * Usage: deno run --allow-read tools/check_layers.ts [ROOT]
 */
import { dirname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Each top-level folder (`name/`) or root file and what it may import besides itself, bottom up.
 * A folder missing here fails the check until it is placed in a layer.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  "lib/": [],
  "games/": ["lib/"],
  // config.ts is the entry (loadConfig, Config, ConfigError); config/ holds its areas' schemas.
  "config/": ["lib/", "games/"],
  "config.ts": ["lib/", "games/", "config/"],
  "kv/": ["lib/", "games/", "config.ts"],
  "ingest/": ["lib/", "games/", "config.ts", "kv/"],
  "discord/": ["lib/", "games/", "config.ts", "kv/", "ingest/"],
  "crons/": ["lib/", "games/", "config.ts", "kv/", "ingest/", "discord/"],
  "routes/": ["lib/", "games/", "config.ts", "kv/", "ingest/", "discord/"],
  "deps.ts": ["lib/", "games/", "config.ts", "kv/", "ingest/", "discord/", "crons/", "routes/"],
  "app.ts": ["lib/", "games/", "config.ts", "kv/", "ingest/", "discord/", "crons/", "routes/", "deps.ts"],
  "main.ts": [
    "lib/",
    "games/",
    "config.ts",
    "kv/",
    "ingest/",
    "discord/",
    "crons/",
    "routes/",
    "deps.ts",
    "app.ts",
  ],
  // The demo server: the app plus the fixture generators.
  "demo.ts": [
    "lib/",
    "games/",
    "config.ts",
    "kv/",
    "ingest/",
    "discord/",
    "crons/",
    "routes/",
    "deps.ts",
    "app.ts",
    "fixtures/",
  ],
  // The on-host agent is self-contained: the hub serves its folder as is.
  "agent/": [],
  // This checker.
  "tools/": [],
};

/** Folders that are not layers: they may import anything, and nothing in a layer imports them. */
export const ASIDE: readonly string[] = ["tests/", "bench/", "fixtures/"];

const SKIP_DIRS = new Set(["node_modules", "data", "static", ".git", ".ci", "docs"]);
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

/** One import that breaks the layering. */
export interface Violation {
  /** The importing file, relative to the root. */
  file: string;
  /** The import as written. */
  specifier: string;
  /** Why it is refused, in one sentence. */
  reason: string;
}

/** The layer unit of a path relative to the root: `kv/` for `kv/racing/keys.ts`, `main.ts` for itself. */
export function unitOf(rel: string): string {
  const parts = rel.split("/");
  return parts.length > 1 ? `${parts[0]}/` : parts[0]!;
}

function* sourceFiles(root: string, dir = root): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) {
      if (SKIP_DIRS.has(e.name) || e.name.startsWith(".")) continue;
      if (dir === root && ASIDE.includes(`${e.name}/`)) continue;
      yield* sourceFiles(root, path);
    } else if (e.isFile && /\.(ts|tsx)$/.test(e.name)) {
      yield path;
    }
  }
}

/** Strips comments, keeping strings: a `from "..."` inside a JSDoc example is not an import. */
function withoutComments(src: string): string {
  return src.replace(
    /("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g,
    (_m, s) => s ?? "",
  );
}

/** Every import of the tree that breaks the layering, sorted by file. */
export function checkLayers(root: string): Violation[] {
  const out: Violation[] = [];
  for (const path of sourceFiles(root)) {
    const file = relative(root, path).split(sep).join("/");
    const from = unitOf(file);
    const allowed = LAYERS[from];
    const text = withoutComments(Deno.readTextFileSync(path));
    if (!allowed) {
      out.push({
        file,
        specifier: "",
        reason: `${from} is in no layer: place it in tools/check_layers.ts LAYERS and docs/architecture.md`,
      });
      continue;
    }
    for (const m of text.matchAll(IMPORT)) {
      const specifier = m[1]!;
      let target: string;
      if (specifier.startsWith("@/")) target = specifier.slice(2);
      else if (specifier.startsWith("./") || specifier.startsWith("../")) {
        target = relative(root, normalize(join(dirname(path), specifier))).split(sep).join("/");
      } else continue; // npm:, node:, and bare names mapped in deno.json
      const to = unitOf(target);
      if (to !== from && !allowed.includes(to)) {
        const known = LAYERS[to] !== undefined || ASIDE.includes(to);
        out.push({
          file,
          specifier,
          reason: known
            ? `${from} may not import ${to} (${from} may import ${
              allowed.join(", ") || "nothing outside itself"
            })`
            : `${to} is in no layer`,
        });
      }
      // A private module (`_name.ts`) serves its own folder and the folders inside it.
      const home = dirname(target);
      if (target.split("/").at(-1)!.startsWith("_") && !`${dirname(file)}/`.startsWith(`${home}/`)) {
        out.push({ file, specifier, reason: `${target} is private to ${home}/` });
      }
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

if (import.meta.main) {
  const root = Deno.args[0] ?? join(dirname(fileURLToPath(import.meta.url)), "..");
  const found = checkLayers(root);
  for (const v of found) console.error(`${v.file}: ${v.specifier ? `"${v.specifier}": ` : ""}${v.reason}`);
  if (found.length > 0) {
    console.error(`Layer check: ${found.length} import(s) go up a layer (docs/architecture.md)`);
    Deno.exit(1);
  }
  console.log("Layer check: every import goes down a layer");
}
