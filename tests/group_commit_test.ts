import assert from "node:assert/strict";
import { Importer } from "@/ingest/importer.ts";
import { generateAccFiles } from "@/fixtures/gen_acc.ts";

const now = () => new Date("2026-02-01T00:00:00Z");

async function dump(kv: Deno.Kv): Promise<[string, unknown][]> {
  return await Array.fromAsync(kv.list({ prefix: [] }), (e) => [JSON.stringify(e.key), e.value]);
}

Deno.test("Importer.importMany() (group commits, pipelined) stores exactly what file-by-file imports store", async () => {
  const files = [...generateAccFiles(80, { seed: 3, drivers: 60, tracks: 3, carsPerSession: [4, 12] })];
  // Out of order, with a duplicate: the order of arrival must not matter for records.
  const shuffled = [...files.slice(40), ...files.slice(0, 40), files[5]!];
  using one = await Deno.openKv(":memory:");
  const single = new Importer(one, { announce: true, now });
  for (const f of shuffled) await single.importOne({ name: f.name, bytes: f.bytes });
  using many = await Deno.openKv(":memory:");
  const grouped = new Importer(many, { announce: true, now, groupSize: 7, preload: true });
  const summary = await grouped.importMany(shuffled.map((f) => ({ name: f.name, bytes: f.bytes })), () => {});
  assert.deepEqual(summary, { imported: 80, duplicate: 1, skipped: 0, rejected: 0 });
  const a = await dump(one), b = await dump(many);
  assert.equal(b.length, a.length);
  assert.deepEqual(b, a);
});

Deno.test("Records, PBs, histories and names do not depend on the order files arrive in", async () => {
  const files = [...generateAccFiles(60, { seed: 9, drivers: 40, tracks: 2, carsPerSession: [4, 10] })];
  const reversed = [...files].reverse();
  const stores: Deno.Kv[] = [];
  for (const order of [files, reversed]) {
    const kv = await Deno.openKv(":memory:");
    stores.push(kv);
    const imp = new Importer(kv, { announce: false, now });
    await imp.importMany(order.map((f) => ({ name: f.name, bytes: f.bytes })), () => {});
  }
  try {
    for (const family of ["board", "board_count", "driver", "driver_track", "track"]) {
      const [a, b] = await Promise.all(
        stores.map((kv) =>
          Array.fromAsync(kv.list({ prefix: [family] }), (e) => {
            // A profile's nameAtMs is only a lower bound (see DriverProfile): compare the rest.
            const v = family === "driver" ? { ...(e.value as object), nameAtMs: 0 } : e.value;
            return [JSON.stringify(e.key), v];
          })
        ),
      );
      assert.ok(a!.length > 0, family);
      assert.deepEqual(b, a, family);
    }
  } finally {
    for (const kv of stores) kv.close();
  }
});
