/**
 * Charts where the renderer cannot load (Deno Deploy is not reachable from here; a Deno without
 * `raw-imports` refuses lib/png.ts the same way): the summary still posts, with text instead of
 * the image, and the reason is logged once.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { chartPng } from "@/lib/chart_png.ts";

Deno.test("chartPng(): a loader that fails gives null every time and logs the reason once", async () => {
  const logs: string[] = [];
  const r = chartPng(
    () => Promise.reject(new Error('The import attribute type of "bytes" is unsupported.')),
    (m) => logs.push(m),
  );
  assert.equal(await r.render("<svg/>"), null);
  assert.equal(await r.render("<svg/>"), null);
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /cannot render PNG here \(The import attribute type of "bytes" is unsupported\.\)/);
});

Deno.test("the session summary without raw-imports: posted with the charts as text, the reason logged once", async () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const cfg = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  cfg.unstable = cfg.unstable.filter((u: string) => u !== "raw-imports");
  delete cfg.tasks;
  cfg.imports["@/"] = root;
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(cfg));
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        "--config",
        `${dir}/deno.json`,
        `${root}tests/etl/_chart_fallback_script.ts`,
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const msgs = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      embeds: { image?: unknown; fields?: { name: string; value: string }[] }[];
      files?: unknown[];
    }[];
    assert.equal(msgs.length, 2);
    for (const m of msgs) {
      assert.equal(m.files, undefined, "no image attached");
      assert.equal(m.embeds[0]!.image, undefined);
      const fields = new Map(m.embeds[0]!.fields!.map((f) => [f.name, f.value]));
      assert.match(fields.get("DPM")!, /^```\n.+█+ \d+\n/);
      assert.match(fields.get("K/D")!, /^```\n.+█+ \d+\.\d\d\n/);
    }
    assert.equal(stderr.match(/Charts: cannot render PNG here/g)?.length, 1, stderr);
    assert.match(stderr, /raw-imports|"bytes"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
