/**
 * Generates ET:Legacy gamestats files in the real c0rnp0rn format (8-field header, weapon
 * blocks by bitmask, 38 TAB fields; R2 cumulative where the Lua writes it cumulative), as
 * stopwatch evenings: R1 then R2 of each map, ten maps a night, one night a day.
 */

/** A generated file. */
export interface GeneratedEtlFile {
  name: string;
  text: string;
}

const MAPS = [
  "supply",
  "etl_adlernest",
  "te_escape2",
  "sw_goldrush_te",
  "etl_sp_delivery",
  "et_brewdog",
  "frostbite",
];
const CUMULATIVE = new Set([0, 1, 2, 3, 4, 5, 6, 7, 20, 22]);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Line = { weapons: Map<number, number[]>; f: number[] };

function roundLine(r: () => number, minutes: number): Line {
  const weapons = new Map<number, number[]>();
  for (const id of [2, 4, 5, 11, 3, 6, 20, 27]) {
    if (r() < 0.55) {
      const shots = Math.floor(r() * 300);
      const hits = Math.floor(shots * (0.2 + r() * 0.2));
      weapons.set(id, [hits, shots, Math.floor(r() * 6), Math.floor(r() * 5), Math.floor(hits * r() * 0.15)]);
    }
  }
  const f = Array.from(
    { length: 38 },
    (_, i) => (i === 8 ? 50 + Math.floor(r() * 500) / 10 : Math.floor(r() * 8)),
  );
  f[0] = Math.floor(r() * 3000);
  f[1] = Math.floor(r() * 3000);
  f[9] = Math.floor(r() * 80);
  f[20] = [...weapons.values()].reduce((n, w) => n + w[1]!, 0);
  f[21] = 0;
  f[22] = minutes;
  f[25] = Math.round(minutes * r() * 5) / 10;
  return { weapons, f };
}

function cumulative(a: Line, b: Line): Line {
  const weapons = new Map(a.weapons);
  for (const [id, w] of b.weapons) {
    weapons.set(
      id,
      (a.weapons.get(id) ?? [0, 0, 0, 0, 0]).map((v, i) => v + w[i]!),
    );
  }
  const f = b.f.map((v, i) => (CUMULATIVE.has(i) ? Math.round((a.f[i]! + v) * 10) / 10 : v));
  return { weapons, f };
}

function render(guid: string, name: string, rounds: number, team: number, l: Line): string {
  let mask = 0;
  const ids = [...l.weapons.keys()].sort((x, y) => x - y);
  for (const id of ids) mask |= 1 << id;
  const block = [mask, ...ids.flatMap((id) => l.weapons.get(id)!)].join(" ");
  const fields = l.f.map((
    v,
    i,
  ) => (i === 8 || i === 21 || i === 22 || i === 23 || i === 24 || i === 25 ? v.toFixed(1) : String(v)));
  return `${guid}\\${name}\\${rounds}\\${team}\\${block} \t${fields.join("\t")}\n`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function stampOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${
    pad(d.getUTCMinutes())
  }${pad(d.getUTCSeconds())}`;
}

/** Options of {@link generateEtlFiles}. */
export interface EtlGenOptions {
  seed?: number;
  /** GUIDs in the pool (default 200). */
  players?: number;
  /** Players per round (default 12). */
  perRound?: number;
  /** The first evening's 20:00 (default 2025-01-01T20:00Z). */
  start?: Date;
  /** Maps per evening (default 10). */
  mapsPerNight?: number;
  /** Days between evenings (default 1). */
  daysApart?: number;
}

/** `count` rounds (R1/R2 pairs), `players` GUIDs in the pool, 6 or 12 per round. */
export function* generateEtlFiles(count: number, opts: EtlGenOptions = {}): Generator<GeneratedEtlFile> {
  const r = rng(opts.seed ?? 7);
  const pool = Array.from({ length: opts.players ?? 200 }, (_, i) => ({
    guid: (0x10000000 + i * 7919).toString(16).toUpperCase().slice(0, 8),
    name: `^${i % 10}Player^7${i}`,
  }));
  const per = opts.perRound ?? 12;
  let made = 0;
  for (let day = 0; made < count; day++) {
    let t = (opts.start?.getTime() ?? Date.UTC(2025, 0, 1, 20, 0, 0)) +
      day * (opts.daysApart ?? 1) * 86_400_000;
    const roster = Array.from({ length: per }, () => pool[Math.floor(r() * pool.length)]!)
      .filter((p, i, a) => a.findIndex((x) => x.guid === p.guid) === i);
    for (let m = 0; m < (opts.mapsPerNight ?? 10) && made < count; m++) {
      const map = MAPS[Math.floor(r() * MAPS.length)]!;
      const set = 120 + Math.floor(r() * 480);
      const r1Lines = new Map(roster.map((p) => [p.guid, roundLine(r, Math.round(set / 6) / 10)]));
      const head = (round: number, limit: string, actual: string) =>
        `^a#^7bench\\${map}\\legacy6\\${round}\\1\\${1 + Math.floor(r() * 2)}\\${limit}\\${actual}\n`;
      const mmss = (s: number) => `${Math.floor(s / 60)}:${pad(s % 60)}`;
      let text = head(1, "12:00", mmss(set));
      roster.forEach((p, i) => text += render(p.guid, p.name, 0, 1 + (i % 2), r1Lines.get(p.guid)!));
      t += set * 1000 + 60_000;
      yield { name: `${stampOf(t)}-${map}-round-1.txt`, text };
      made++;
      if (made >= count) return;
      const r2set = Math.min(set, 60 + Math.floor(r() * set));
      text = head(2, mmss(set), mmss(r2set));
      roster.forEach((p, i) =>
        text += render(
          p.guid,
          p.name,
          1,
          2 - (i % 2),
          cumulative(r1Lines.get(p.guid)!, roundLine(r, Math.round(r2set / 6) / 10)),
        )
      );
      t += r2set * 1000 + 90_000;
      yield { name: `${stampOf(t)}-${map}-round-2.txt`, text };
      made++;
    }
  }
}
