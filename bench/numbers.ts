/**
 * `deno task bench --only numbers` (or `deno run -A bench/numbers.ts`): iRacing car numbers.
 *  0. `/claim` through the signed interactions endpoint (signature check, parse, claim commit,
 *     answer) beside a signed PING, alternating in the same run, on a file KV and in memory.
 *  1. A claim's KV path (settings, roster, claim and holding in one read, one checked atomic with
 *     audit and outbox writes), p50/p99, beside a plain Deno KV get and a plain set of one small
 *     key, interleaved in the same run.
 *  2. A sync of a 500-member roster against the fake iRacing on loopback: first sync (every claim
 *     becomes verified) and an unchanged re-sync, time and KV writes, beside the floor of the same
 *     run: fetching and parsing the roster alone, and writing as many keys in commits of 90.
 * Options: --claims N (default 2000), --roster N (default 500).
 */
import { parseArgs } from "node:util";
import { claimNumber } from "@/kv/numbers/claims.ts";
import { saveSettings } from "@/kv/numbers/settings.ts";
import { syncGuild } from "@/kv/numbers/sync.ts";
import { createIracingClient } from "@/lib/iracing.ts";
import { kvTokenStore } from "@/kv/numbers/tokens.ts";
import { startFakeIracing } from "@/tests/fakes/iracing.ts";
import { createApp } from "@/app.ts";
import { loadConfig } from "@/config.ts";
import { commandBody, makeSigner, pingBody } from "@/tests/fakes/interactions.ts";

const args = parseArgs({
  args: Deno.args,
  options: { claims: { type: "string", default: "2000" }, roster: { type: "string", default: "500" } },
});
const CLAIMS = Number(args.values.claims);
const ROSTER = Number(args.values.roster);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

/** /claim and PING through app.fetch, alternating, each request signed ahead of time. */
async function interactionsBench(kvPath: string, label: string): Promise<void> {
  const kv = await Deno.openKv(kvPath);
  const signer = await makeSigner();
  const env: Record<string, string> = {
    PODIUM_KV: kvPath,
    PODIUM_NUMBERS: "on",
    DISCORD_APPLICATION_ID: "100000000000000001",
    DISCORD_PUBLIC_KEY: signer.publicKeyHex,
    DISCORD_BOT_TOKEN: "bench-token",
  };
  const app = createApp({ kv, config: loadConfig((n) => env[n]), now: () => new Date() });
  await saveSettings(kv, "300000000000000001", { max: 9999, pattern: "[0-9]{1,4}" }, "admin", new Date());
  const sign = async (body: unknown) => {
    const text = JSON.stringify(body);
    return { text, headers: await signer.headers(text) };
  };
  const warm = 200;
  const pings = [], claims = [];
  for (let i = 0; i < CLAIMS + warm; i++) {
    pings.push(await sign(pingBody()));
    const userId = `2${String(i).padStart(17, "0")}`;
    claims.push(
      await sign(commandBody("claim", [{ name: "number", type: 3, value: String(i % 10000) }], { userId })),
    );
  }
  const send = async (r: { text: string; headers: Record<string, string> }) => {
    const t = performance.now();
    const res = await app.fetch(
      new Request("http://localhost/interactions", { method: "POST", headers: r.headers, body: r.text }),
    );
    const body = await res.json();
    if (res.status !== 200 || (body.type === 4 && !/is yours/.test(body.data.content))) {
      throw new Error(`bench request failed: ${res.status} ${JSON.stringify(body)}`);
    }
    return performance.now() - t;
  };
  const p: number[] = [], c: number[] = [];
  for (let i = 0; i < CLAIMS + warm; i++) {
    const a = await send(pings[i]!);
    const b = await send(claims[i]!);
    if (i >= warm) [p.push(a), c.push(b)];
  }
  kv.close();
  console.log(
    `\n## /claim through POST /interactions, ${label} (${CLAIMS} each, alternating, ${warm} warm-up)`,
  );
  console.log(`signed PING (floor): p50 ${ms(pct(p, 50))}, p99 ${ms(pct(p, 99))}`);
  console.log(
    `/claim <number>: p50 ${ms(pct(c, 50))}, p99 ${ms(pct(c, 99))}; p99 ${
      (pct(c, 99) / pct(p, 99)).toFixed(1)
    }x PING's`,
  );
}

async function claimBench(dir: string): Promise<void> {
  const kv = await Deno.openKv(`${dir}/claims.kv`);
  const guildId = "100000000000000001";
  const now = new Date("2026-01-05T12:00:00Z");
  await saveSettings(
    kv,
    guildId,
    { max: 9999, pattern: "[0-9]{1,4}", channelId: "200000000000000002" },
    "admin",
    now,
  );
  await kv.set(["bench", "baseline"], { small: true });
  const claim: number[] = [];
  const get: number[] = [];
  const set: number[] = [];
  const warm = 200;
  for (let i = 0; i < CLAIMS + warm; i++) {
    let t = performance.now();
    await kv.get(["bench", "baseline"]);
    const g = performance.now() - t;
    t = performance.now();
    await kv.set(["bench", "write", i % 64], { i });
    const w = performance.now() - t;
    t = performance.now();
    const out = await claimNumber(kv, {
      guildId,
      userId: `4${String(i).padStart(17, "0")}`,
      number: String(i % 10000),
    }, now);
    const c = performance.now() - t;
    if (!out.ok) throw new Error(`claim ${i} refused: ${out.reason}`);
    if (i >= warm) [get.push(g), set.push(w), claim.push(c)];
  }
  kv.close();
  console.log(`\n## Claim, KV path (${CLAIMS} claims on a file KV, ${warm} warm-up)`);
  console.log(`claimNumber(): p50 ${ms(pct(claim, 50))}, p99 ${ms(pct(claim, 99))}`);
  console.log(`plain kv.get (floor, same run): p50 ${ms(pct(get, 50))}, p99 ${ms(pct(get, 99))}`);
  console.log(
    `plain kv.set of one small key (write floor, same run): p50 ${ms(pct(set, 50))}, p99 ${ms(pct(set, 99))}`,
  );
  console.log(
    `claim p99 / get p99: ${(pct(claim, 99) / pct(get, 99)).toFixed(1)}x; claim p99 / set p99: ${
      (pct(claim, 99) / pct(set, 99)).toFixed(1)
    }x`,
  );
}

async function syncBench(dir: string): Promise<void> {
  const clock = { t: Date.parse("2026-01-05T12:00:00Z") };
  const fake = startFakeIracing({ now: () => clock.t });
  const kv = await Deno.openKv(`${dir}/sync.kv`);
  try {
    const guildId = "100000000000000001";
    const leagueId = 4242;
    fake.setRoster(
      leagueId,
      Array.from({ length: ROSTER }, (_, i) => ({
        cust_id: 100000 + i,
        display_name: `Driver ${i}`,
        car_number: String(i),
        nick_name: null,
      })),
    );
    const iracing = createIracingClient(kvTokenStore(kv), {
      ...fake.credentials,
      oauthBase: fake.oauthBase,
      dataBase: fake.dataBase,
    }, {
      now: () => new Date(clock.t),
    });
    const now = new Date(clock.t);
    await saveSettings(
      kv,
      guildId,
      { leagueId, maxPerMember: 1, adminChannelId: "200000000000000003" },
      "admin",
      now,
    );
    const links = new Map<string, number>();
    for (let i = 0; i < ROSTER; i++) {
      const userId = `4${String(i).padStart(17, "0")}`;
      links.set(userId, 100000 + i);
      await claimNumber(kv, { guildId, userId, number: String(i) }, now);
    }
    const deps = { kv, iracing, linkOf: (u: string) => Promise.resolve(links.get(u) ?? null) };
    // Log in once first: the sync's figure is the steady state, with a stored token.
    await iracing.getLeague(leagueId);

    let t = performance.now();
    await iracing.getLeague(leagueId);
    const fetchMs = performance.now() - t;

    t = performance.now();
    const first = await syncGuild(deps, guildId, now);
    const firstMs = performance.now() - t;
    t = performance.now();
    const again = await syncGuild(deps, guildId, now);
    const againMs = performance.now() - t;

    // Floor of the first sync's writes: as many small keys, in commits of 90.
    t = performance.now();
    for (let i = 0; i < first.writes; i += 90) {
      const op = kv.atomic();
      for (let j = i; j < Math.min(first.writes, i + 90); j++) {
        op.set(["bench", "floor", j], { n: j, verified: true });
      }
      await op.commit();
    }
    const floorMs = performance.now() - t;
    console.log(
      `\n## Sync of a ${ROSTER}-member roster (fake iRacing on loopback, file KV, ${ROSTER} linked claims)`,
    );
    console.log(
      `first sync (all ${first.verified} claims become verified): ${
        firstMs.toFixed(1)
      } ms, ${first.writes} KV writes`,
    );
    console.log(`unchanged re-sync: ${againMs.toFixed(1)} ms, ${again.writes} KV writes`);
    console.log(
      `floor: roster fetch and parse alone ${
        fetchMs.toFixed(1)
      } ms; ${first.writes} key writes in commits of 90 ${floorMs.toFixed(1)} ms`,
    );
  } finally {
    kv.close();
    await fake.close();
  }
}

const dir = await Deno.makeTempDir({ prefix: "podium-bench-numbers-" });
try {
  await interactionsBench(":memory:", "in-memory KV");
  await interactionsBench(`${dir}/interactions.kv`, "file KV");
  await claimBench(dir);
  await syncBench(dir);
} finally {
  await Deno.remove(dir, { recursive: true });
}
