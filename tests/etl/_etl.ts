/** Helpers for the ET:Legacy tests: the real samples, parsed or imported. */
import { etlFormat, type EtlRound } from "@/games/etl/parser.ts";
import { decodeText } from "@/ingest/decode.ts";
import { Importer, type ImportReport } from "@/ingest/importer.ts";
import { listSamples, readSample } from "@/tests/_samples.ts";

/** Every ET:Legacy sample's base name, sorted. */
export function etlSampleNames(): string[] {
  return listSamples("etl").filter((p) => p.endsWith(".txt")).map((p) => p.slice(p.lastIndexOf("/") + 1));
}

/** Parses one sample; fails the test when it is not stored. */
export function parseSample(name: string): EtlRound {
  const out = etlFormat.parse(decodeText(readSample(`etl/${name}`)), { name });
  if (out.status !== "etl") throw new Error(`${name}: ${out.status}: ${"reason" in out ? out.reason : ""}`);
  return out.round;
}

/** Imports samples in the given order through the real importer. */
export async function importSamples(kv: Deno.Kv, names: string[], announce = false): Promise<ImportReport[]> {
  const imp = new Importer(kv, { announce, now: () => new Date("2026-01-05T12:00:00Z") });
  const out: ImportReport[] = [];
  for (const name of names) out.push(await imp.importOne({ name, bytes: readSample(`etl/${name}`) }));
  return out;
}

/** A seeded shuffle (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(xs: T[], seed: number): T[] {
  const a = [...xs];
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** The first `share` of a file's bytes, cut after a line end (so that it parses). */
export function prefixAtLine(bytes: Uint8Array, share = 0.6): Uint8Array {
  const end = bytes.lastIndexOf(0x0a, Math.floor(bytes.length * share));
  if (end <= 0) throw new Error("the cut must keep the header and a player line");
  return bytes.slice(0, end + 1);
}
