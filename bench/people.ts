/**
 * People (docs/identities.md), run by bench/mod.ts (`deno task bench --only people`): `/records`
 * and `/pb` p99 through the signed interactions path beside a signed PING (the floor), on a store
 * with 10,000 driver identities of which 4,000 are merged into 2,000 people (the /pb player is a
 * merged driver, so the person is resolved); then the cost of merging a driver who holds 50
 * records with their name-only id, and of undoing it, beside the floor of the same KV work done
 * bare: reading the 50 tracks' statistics and writing as many keys in plain atomic commits.
 */
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { applySession } from "@/kv/racing/apply.ts";
import { KvTxn } from "@/kv/txn.ts";
import { mergeIdentities, undoPeopleChange } from "@/kv/people/merge.ts";
import { driverTracksPrefix } from "@/kv/racing/keys.ts";
import { session } from "@/tests/_fixtures.ts";
import { commandBody, makeSigner, pingBody } from "@/tests/fakes/interactions.ts";

const IDENTITIES = 10_000, MERGED_PAIRS = 2_000, TRACKS = 30, PER_SESSION = 50, RECORDS = 50;
const REQUESTS = Number(Deno.args[0] ?? 2000);
const dir = await Deno.makeTempDir({ prefix: "podium-people-" });
const kv = await Deno.openKv(`${dir}/bench.kv`);
let sha = 0;

async function store(s: ReturnType<typeof session>): Promise<void> {
  const txn = new KvTxn(kv);
  await applySession(txn, s, {
    fileName: "bench.json",
    sha256: `bench${sha++}`.padEnd(64, "0"),
    importedAt: new Date(),
  }, { announce: false, now: new Date() });
  await txn.commit();
}

const id = (i: number) => `S7656${String(i).padStart(8, "0")}`;
const trackOf = (i: number) => `track_${String(i % TRACKS).padStart(2, "0")}`;
let t0 = performance.now();
for (let first = 0; first < IDENTITIES; first += PER_SESSION) {
  const cars = [];
  for (let i = first; i < first + PER_SESSION; i++) {
    cars.push({ driver: id(i), name: `Driver ${i}`, laps: [100_000 + ((i * 7919) % 20_000)] });
  }
  const day = 1 + (first / PER_SESSION) % 28;
  await store(
    session({
      at: `2026-01-${String(day).padStart(2, "0")}T20:00:00Z`,
      track: trackOf(first / PER_SESSION),
      cars,
    }),
  );
}
console.log(`\n## People (${IDENTITIES} identities, ${MERGED_PAIRS} people of 2 merged)`);
console.log(`Stored ${IDENTITIES} identities in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
t0 = performance.now();
const meta = () => ({ by: "bench", now: new Date() });
for (let k = 0; k < MERGED_PAIRS; k++) {
  await mergeIdentities(kv, {
    identities: [{ kind: "driver", id: id(2 * k) }, { kind: "driver", id: id(2 * k + 1) }],
    name: `Person ${k}`,
  }, meta());
}
const perMerge = (performance.now() - t0) / MERGED_PAIRS;
console.log(`${MERGED_PAIRS} merges of two one-track drivers: ${perMerge.toFixed(1)} ms each`);

// The driver holding 50 records, and their name-only id (a file without playerId) on the same tracks.
const REC = "S76561190000000001", NAMEONLY = "acc:record-holder";
for (let n = 0; n < RECORDS; n++) {
  const track = `record_${String(n).padStart(2, "0")}`;
  await store(
    session({
      at: "2026-02-01T20:00:00Z",
      track,
      cars: [{ driver: REC, name: "Record Holder", laps: [90_000 + n] }, { driver: id(n), laps: [95_000] }],
    }),
  );
  await store(
    session({
      at: "2026-02-02T20:00:00Z",
      track,
      cars: [{ driver: NAMEONLY, name: "Record Holder", laps: [91_000 + n] }],
    }),
  );
}

/** The floor: the same KV reads, and as many writes in plain atomic commits of 800. */
async function floor(writes: number): Promise<number> {
  const t = performance.now();
  for (const d of [REC, NAMEONLY]) await Array.fromAsync(kv.list({ prefix: driverTracksPrefix(d) }));
  for (let done = 0; done < writes; done += 800) {
    const op = kv.atomic();
    for (let i = done; i < Math.min(writes, done + 800); i++) {
      op.set(["bench_floor", i], { lapMs: i, name: "x" });
    }
    await op.commit();
  }
  return performance.now() - t;
}

const merges: number[] = [], undos: number[] = [];
let batches = 0;
for (let run = 0; run < 3; run++) {
  let t = performance.now();
  const { result } = await mergeIdentities(kv, {
    identities: [{ kind: "driver", id: REC }, { kind: "driver", id: NAMEONLY }],
    name: "Record Holder",
  }, meta());
  merges.push(performance.now() - t);
  batches = result!.batches;
  t = performance.now();
  await undoPeopleChange(kv, null, meta());
  undos.push(performance.now() - t);
}
// Per track: 2 boards (overall, class), each losing 2 entries and gaining 1, 3 count keys; the person's stats.
const writes = RECORDS * (2 * (3 + 3) + 1);
const floors = [await floor(writes), await floor(writes), await floor(writes)];
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
console.log(
  `Merge of a driver holding ${RECORDS} records (${RECORDS * 2} boards, ${batches} commits): ${
    med(merges).toFixed(0)
  } ms; ` +
    `undo ${med(undos).toFixed(0)} ms; floor (same reads, ${writes} bare writes) ${
      med(floors).toFixed(0)
    } ms (median of 3)`,
);

// Reads: the signed interactions path, in-process.
const signer = await makeSigner();
const env: Record<string, string> = {
  PODIUM_KV: `${dir}/bench.kv`,
  DISCORD_APPLICATION_ID: "100000000000000001",
  DISCORD_PUBLIC_KEY: signer.publicKeyHex,
  DISCORD_BOT_TOKEN: "bench-token",
};
const app = createApp({ kv, config: loadConfig((n) => env[n]), now: () => new Date() });
let seed = 7;
const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
const STR = 3;
const scenarios: { label: string; body: () => unknown }[] = [
  { label: "signed PING (floor)", body: () => pingBody() },
  {
    label: "/records <track>",
    body: () => commandBody("records", [{ name: "track", type: STR, value: `acc/${trackOf(rand(TRACKS))}` }]),
  },
  {
    label: "/pb <track> <merged driver>",
    body: () => {
      const i = rand(2 * MERGED_PAIRS);
      return commandBody("pb", [
        { name: "track", type: STR, value: `acc/${trackOf(Math.floor(i / PER_SESSION))}` },
        { name: "player", type: STR, value: id(i) },
      ]);
    },
  },
];
console.log(`\n### Signed interactions, in-process (${REQUESTS} requests each after 300 warm-up)`);
let pingP99 = 0;
for (const s of scenarios) {
  const sign = async (n: number) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const text = JSON.stringify(s.body());
      out.push({ text, headers: await signer.headers(text) });
    }
    return out;
  };
  const send = (r: { text: string; headers: Record<string, string> }) =>
    app.fetch(
      new Request("http://localhost/interactions", { method: "POST", headers: r.headers, body: r.text }),
    );
  for (const r of await sign(300)) await (await send(r)).arrayBuffer();
  const times: number[] = [];
  for (const r of await sign(REQUESTS)) {
    const t = performance.now();
    const res = await send(r);
    const body = await res.text();
    times.push(performance.now() - t);
    if (res.status !== 200 || body.includes("Sorry, that failed")) {
      throw new Error(`${s.label} answered ${res.status}: ${body}`);
    }
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))]!;
  if (!pingP99) pingP99 = p(0.99);
  const vs = s.label.includes("PING") ? "" : `; p99 ${(p(0.99) / pingP99).toFixed(2)}x PING's`;
  console.log(`${s.label}: p50 ${p(0.5).toFixed(3)} ms, p99 ${p(0.99).toFixed(3)} ms${vs}`);
}
kv.close();
await Deno.remove(dir, { recursive: true });
