import assert from "node:assert/strict";
import { join } from "node:path";
import { checkLayers } from "@/tools/check_layers.ts";
import { fromFileUrl } from "@/tests/_path.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));
const CHECK = fromFileUrl(new URL("../tools/check_layers.ts", import.meta.url));

/** Writes `files` (path -> text) under a fresh temporary folder. */
function tree(files: Record<string, string>): string {
  const root = Deno.makeTempDirSync({ prefix: "podium-layers-" });
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    Deno.mkdirSync(join(full, ".."), { recursive: true });
    Deno.writeTextFileSync(full, text);
  }
  return root;
}

Deno.test("checkLayers(): Podium's own tree imports only down", () => {
  assert.deepEqual(checkLayers(ROOT), []);
});

Deno.test("checkLayers() names each file and import that goes up, type imports and relative paths included", () => {
  const root = tree({
    "lib/ok.ts": `import { z } from "zod";\nimport { a } from "node:path";\n`,
    "lib/up.ts": `import { readTokens } from "../kv/numbers/tokens.ts";\n`,
    "games/acc/parser.ts": `import type { AppDeps } from "@/deps.ts";\nimport { f } from "@/lib/ok.ts";\n`,
    "kv/racing/keys.ts":
      `/** Like ingest/importer.ts, see import { x } from "@/ingest/importer.ts" */\nimport type {\n  Importer,\n} from "@/ingest/importer.ts";\nimport { g } from "@/games/acc/parser.ts";\n`,
    "discord/reply.ts": `const m = await import("@/routes/site/mod.ts");\n`,
    "routes/api.ts":
      `import { d } from "@/discord/reply.ts";\nimport { h } from "@/kv/racing/_private.ts";\n`,
    "crons/mod.ts": `import { d } from "@/discord/reply.ts";\nimport { f } from "@/fixtures/gen_acc.ts";\n`,
    "main.ts": `import { app } from "@/app.ts";\n`,
    "tests/anything_test.ts": `import { app } from "@/main.ts";\n`,
    "bench/mod.ts": `import { app } from "@/routes/api.ts";\n`,
    "stuff/x.ts": `export const x = 1;\n`,
  });
  try {
    const found = checkLayers(root).map((v) => [v.file, v.specifier, v.reason].filter(Boolean).join(" | "));
    assert.deepEqual(found, [
      "crons/mod.ts | @/fixtures/gen_acc.ts | crons/ may not import fixtures/ (crons/ may import lib/, games/, config.ts, kv/, ingest/, discord/)",
      "discord/reply.ts | @/routes/site/mod.ts | discord/ may not import routes/ (discord/ may import lib/, games/, config.ts, kv/, ingest/)",
      "games/acc/parser.ts | @/deps.ts | games/ may not import deps.ts (games/ may import lib/)",
      "kv/racing/keys.ts | @/ingest/importer.ts | kv/ may not import ingest/ (kv/ may import lib/, games/, config.ts)",
      "lib/up.ts | ../kv/numbers/tokens.ts | lib/ may not import kv/ (lib/ may import nothing outside itself)",
      "routes/api.ts | @/kv/racing/_private.ts | kv/racing/_private.ts is private to kv/racing/",
      "stuff/x.ts | stuff/ is in no layer: place it in tools/check_layers.ts LAYERS and docs/architecture.md",
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("tools/check_layers.ts exits 1 and prints file and import; 0 on a clean tree", async () => {
  const bad = tree({
    "kv/a.ts": `import { b } from "@/ingest/b.ts";\n`,
    "ingest/b.ts": `export const b = 1;\n`,
  });
  const good = tree({
    "kv/a.ts": `export const a = 1;\n`,
    "ingest/b.ts": `import { a } from "@/kv/a.ts";\n`,
  });
  try {
    const run = (root: string) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", CHECK, root],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const failed = await run(bad);
    assert.equal(failed.code, 1);
    const err = new TextDecoder().decode(failed.stderr);
    assert.match(err, /^kv\/a\.ts: "@\/ingest\/b\.ts": kv\/ may not import ingest\//m);
    const passed = await run(good);
    assert.equal(passed.code, 0, new TextDecoder().decode(passed.stderr));
  } finally {
    Deno.removeSync(bad, { recursive: true });
    Deno.removeSync(good, { recursive: true });
  }
});
