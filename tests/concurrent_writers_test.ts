/**
 * Many writers, one local KV file: two CLI imports at once, a CLI import beside a serving hub that
 * imports files itself, and an import killed mid-run. The store must end exactly as one clean
 * import of the same files leaves it.
 */
import assert from "node:assert/strict";
import { generateAccFiles } from "@/fixtures/gen_acc.ts";
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { Importer } from "@/ingest/importer.ts";
import { fromFileUrl } from "@/tests/_path.ts";

const CLI = fromFileUrl(new URL("../ingest/cli.ts", import.meta.url));
const now = () => new Date("2026-02-01T00:00:00Z");

type File = { name: string; bytes: Uint8Array };

/** Few tracks and a small driver pool, so the writers collide on tracks, boards and drivers. */
function corpus(count: number, seed: number): File[] {
  return [
    ...generateAccFiles(count, { seed, drivers: 40, tracks: 2, carsPerSession: [3, 10], lapsPerCar: [2, 8] }),
  ];
}

async function writeAll(dir: string, files: File[]): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const f of files) await Deno.writeFile(`${dir}/${f.name}`, f.bytes);
}

function runCli(dir: string, kvPath: string) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "--no-announce", dir],
    env: { NO_COLOR: "1", PODIUM_KV: kvPath },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function finished(child: Deno.ChildProcess) {
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

/** Every key and value, without what records when (not what) was imported. */
async function dump(kv: Deno.Kv): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for await (const e of kv.list({ prefix: [] })) {
    const family = String(e.key[0]);
    if (family === "changes") continue;
    let v = e.value;
    if (v && typeof v === "object" && !ArrayBuffer.isView(v) && !Array.isArray(v)) {
      const { importedAt: _i, ...rest } = v as Record<string, unknown>;
      // A profile's nameAtMs is only a lower bound (see DriverProfile).
      v = family === "driver" ? { ...rest, nameAtMs: 0 } : rest;
    }
    out.set(JSON.stringify(e.key), v);
  }
  return out;
}

async function referenceStore(files: File[]): Promise<Map<string, unknown>> {
  using kv = await Deno.openKv(":memory:");
  const imp = new Importer(kv, { announce: false, now });
  const unique = [...new Map(files.map((f) => [f.name, f])).values()];
  await imp.importMany(unique, () => {});
  return await dump(kv);
}

async function assertSameStore(kvPath: string, expected: Map<string, unknown>): Promise<void> {
  using kv = await Deno.openKv(kvPath);
  const actual = await dump(kv);
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  assert.deepEqual({ extra: extra.slice(0, 10), missing: missing.slice(0, 10) }, { extra: [], missing: [] });
  for (const [k, v] of expected) assert.deepEqual(actual.get(k), v, k);
}

function sessionsIn(text: string): number {
  const m = text.match(/^imported (\d+), duplicate (\d+)/m);
  assert.ok(m, `no closing line in:\n${text}`);
  return Number(m[1]) + Number(m[2]);
}

for (const overlap of [false, true]) {
  Deno.test(`two CLI imports into one KV file at once (${overlap ? "overlapping" : "disjoint"} files) both finish and store each session once`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const files = corpus(120, overlap ? 21 : 11);
      const a = overlap ? files.slice(0, 80) : files.filter((_, i) => i % 2 === 0);
      const b = overlap ? files.slice(40) : files.filter((_, i) => i % 2 === 1);
      await writeAll(`${dir}/a`, a);
      await writeAll(`${dir}/b`, b);
      const kvPath = `${dir}/podium.kv`;
      const [ra, rb] = await Promise.all([
        finished(runCli(`${dir}/a`, kvPath)),
        finished(runCli(`${dir}/b`, kvPath)),
      ]);
      assert.equal(ra.code, 0, ra.text);
      assert.equal(rb.code, 0, rb.text);
      assert.doesNotMatch(ra.text + rb.text, /Uncaught|error:/i);
      // Each file was seen once by each run; an overlapping file is imported by one, a duplicate for the other.
      assert.equal(sessionsIn(ra.text), a.length);
      assert.equal(sessionsIn(rb.text), b.length);
      const imported = [ra.text, rb.text].map((t) => Number(t.match(/^imported (\d+)/m)![1]));
      assert.equal(imported[0]! + imported[1]!, files.length, "every session stored exactly once");
      await assertSameStore(kvPath, await referenceStore(files));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a CLI import beside a serving hub that imports files itself: no request fails, nothing doubled", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = corpus(120, 31);
    const cliFiles = files.slice(0, 80), hubFiles = files.slice(50);
    await writeAll(`${dir}/cli`, cliFiles);
    const kvPath = `${dir}/podium.kv`;
    using kv = await Deno.openKv(kvPath);
    const config = loadConfig((n) => ({ PODIUM_KV: kvPath } as Record<string, string>)[n]);
    const app = createApp({ kv, config, now });
    const ac = new AbortController();
    const server = Deno.serve({ port: 0, signal: ac.signal, onListen: () => {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const cli = runCli(`${dir}/cli`, kvPath);
    let done = false;
    const statuses: number[] = [];
    const reader = (async () => {
      while (!done) {
        for (const path of ["/api/tracks", "/api/health"]) {
          const res = await fetch(base + path);
          await res.body?.cancel();
          statuses.push(res.status);
        }
        const tracks = await (await fetch(base + "/api/tracks")).json() as { game: string; track: string }[];
        const t = tracks[0];
        if (t) {
          const res = await fetch(
            `${base}/api/records?game=${t.game}&track=${encodeURIComponent(t.track)}&kind=R`,
          );
          await res.body?.cancel();
          statuses.push(res.status);
        }
      }
    })();
    // The hub's own imports (what the push endpoint and the SSH poll do), one file per commit.
    const hub = new Importer(kv, { announce: false, now });
    const hubReports = [];
    for (const f of hubFiles) hubReports.push(await hub.importOne(f));
    const r = await finished(cli);
    done = true;
    await reader;
    ac.abort();
    await server.finished;
    assert.equal(r.code, 0, r.text);
    assert.ok(statuses.length > 0);
    assert.deepEqual(statuses.filter((s) => s !== 200), [], "every request answered 200");
    assert.deepEqual(hubReports.filter((x) => x.status === "rejected"), []);
    const hubImported = hubReports.filter((x) => x.status === "imported").length;
    const cliImported = Number(r.text.match(/^imported (\d+)/m)![1]);
    assert.equal(hubImported + cliImported, files.length, "every session stored exactly once");
    kv.close();
    await assertSameStore(kvPath, await referenceStore(files));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an import killed with SIGKILL mid-run, then run again, leaves the store of one clean import", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = corpus(300, 41);
    await writeAll(`${dir}/in`, files);
    const kvPath = `${dir}/podium.kv`;
    const child = runCli(`${dir}/in`, kvPath);
    // Kill it once some, but not all, sessions have landed.
    using watch = await Deno.openKv(kvPath);
    let landed = 0;
    for (let i = 0; i < 2000 && landed < 20; i++) {
      await new Promise((r) => setTimeout(r, 10));
      landed = (await Array.fromAsync(watch.list({ prefix: ["file"] }, { limit: 400 }))).length;
    }
    child.kill("SIGKILL");
    const killed = await child.status;
    assert.equal(killed.signal, "SIGKILL");
    assert.ok(landed >= 20 && landed < files.length, `killed after ${landed} of ${files.length} files`);
    watch.close();
    const again = await finished(runCli(`${dir}/in`, kvPath));
    assert.equal(again.code, 0, again.text);
    assert.equal(sessionsIn(again.text), files.length);
    await assertSameStore(kvPath, await referenceStore(files));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
