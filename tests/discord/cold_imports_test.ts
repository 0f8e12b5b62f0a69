import assert from "node:assert/strict";
import { fromFileUrl } from "@/tests/_path.ts";

interface Dep {
  specifier: string;
  code?: { specifier: string };
  isDynamic?: boolean;
}

/** npm packages the server loads before it can answer: static, non-type imports from main.ts. */
async function staticNpm(entry: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: { specifier: string; dependencies?: Dep[] }[];
    redirects: Record<string, string>;
  };
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const npm = new Set<string>();
  const stack = [...info.roots];
  while (stack.length) {
    const next = stack.pop()!;
    const s = info.redirects[next] ?? next;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      if (!d.code || d.isDynamic) continue;
      const target = d.code.specifier;
      if (target.startsWith("npm:")) npm.add(target.replace(/^npm:\/?/, "").replace(/@[\d.]+.*$/, ""));
      else stack.push(target);
    }
  }
  return npm;
}

Deno.test("main.ts loads neither @discordjs/rest, discord-api-types nor ssh2 before it answers (cold start)", async () => {
  const entry = fromFileUrl(new URL("../../main.ts", import.meta.url));
  const npm = await staticNpm(entry);
  assert.ok(npm.has("hono"), `the walk found the app's packages: ${[...npm].join(", ")}`);
  assert.ok(!npm.has("@discordjs/rest"), "@discordjs/rest is imported statically (0.4-1 s of cold start)");
  assert.ok(!npm.has("discord-api-types"), "discord-api-types is imported at runtime; use `import type`");
  assert.ok(
    !npm.has("ssh2"),
    "ssh2 is imported statically (about 0.3 s of cold start); load it on first use",
  );
});
