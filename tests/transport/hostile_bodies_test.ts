import assert from "node:assert/strict";
import { startHub } from "@/tests/transport/_hub.ts";
import { lazyBody, rssMiB, withPeakRss } from "@/tests/transport/_rss.ts";
import { pushHeaders } from "@/tests/transport/_push.ts";

const SECRET = "hostile-secret";
const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
// The hub's resident memory may grow by this much at most while it is attacked.
const MAX_GROWTH_MIB = 64;

/** POSTs a lazily made body; the status, or the error when the hub closed the connection first. */
async function post(url: string, headers: Record<string, string>, size: number) {
  const body = lazyBody(size);
  try {
    const res = await fetch(url, { method: "POST", headers, body: body.body });
    await res.body?.cancel();
    return { status: res.status, pulled: body.pulled() };
  } catch (err) {
    return { status: 0, error: (err as Error).message, pulled: body.pulled() };
  }
}

Deno.test({
  name:
    "hostile bodies: 1 GiB at /interactions and 100 parallel unsigned 32 MiB pushes leave the hub's memory flat",
  ignore: Deno.build.os !== "linux",
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "podium-hostile-" });
    const hub = await startHub({
      kvPath: `${dir}/kv.sqlite`,
      env: {
        PODIUM_SECRET_ACC_EU: SECRET,
        DISCORD_APPLICATION_ID: "123456789012345678",
        DISCORD_PUBLIC_KEY: "a".repeat(64),
        DISCORD_BOT_TOKEN: "x",
        DISCORD_API_BASE: "http://127.0.0.1:9/api/v10",
      },
    });
    try {
      for (let i = 0; i < 20; i++) await (await fetch(`${hub.url}/api/health`)).body?.cancel();
      const base = (await rssMiB(hub.pid))!;

      await t.step("a 1 GiB unsigned body at /interactions ends at 256 KiB with 413", async () => {
        const { result, peakMiB } = await withPeakRss(
          hub.pid,
          () => post(`${hub.url}/interactions`, { "content-type": "application/json" }, GiB),
        );
        assert.ok(result.status === 413 || result.status === 0, JSON.stringify(result));
        assert.ok(result.pulled < 256 * MiB, `the client sent ${result.pulled} bytes`);
        assert.ok(peakMiB! - base < MAX_GROWTH_MIB, `RSS ${base.toFixed(0)} -> ${peakMiB!.toFixed(0)} MiB`);
      });

      await t.step(
        "100 parallel 32 MiB pushes with a zero signature are refused before their bodies",
        async () => {
          const headers = await pushHeaders({
            secret: SECRET,
            server: "acc-eu",
            file: "260101_200000_Q.json",
            body: new Uint8Array(0),
            at: new Date(),
          });
          const claimed = {
            ...headers,
            "x-podium-size": String(32 * MiB),
            "x-podium-signature": "0".repeat(64),
          };
          const { result, peakMiB } = await withPeakRss(
            hub.pid,
            () =>
              Promise.all(
                Array.from({ length: 100 }, () => post(`${hub.url}/api/ingest`, claimed, 32 * MiB)),
              ),
          );
          for (const r of result) assert.ok(r.status === 401 || r.status === 0, JSON.stringify(r));
          assert.ok(result.some((r) => r.status === 401));
          const sent = result.reduce((a, r) => a + r.pulled, 0);
          assert.ok(sent < 1024 * MiB, `the clients sent ${(sent / MiB).toFixed(0)} MiB in all`);
          assert.ok(peakMiB! - base < MAX_GROWTH_MIB, `RSS ${base.toFixed(0)} -> ${peakMiB!.toFixed(0)} MiB`);
        },
      );

      await t.step("the hub still answers", async () => {
        // A fresh connection: the attackers' pooled ones still carry their unsent bodies.
        using client = Deno.createHttpClient({});
        const res = await fetch(`${hub.url}/api/health`, { client });
        await res.body?.cancel();
        assert.equal(res.status, 200);
      });
    } finally {
      await hub.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
