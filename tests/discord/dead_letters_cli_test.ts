import assert from "node:assert/strict";
import { fromFileUrl } from "@/tests/_path.ts";
import { deliveryKeys, outboxKey } from "@/kv/keys.ts";

const CLI = fromFileUrl(new URL("../../discord/dead_letters.ts", import.meta.url));

async function run(args: string[], kvPath: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    env: { PODIUM_KV: kvPath, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("dead_letters.ts lists dead letters with their reasons and requeues them", async () => {
  const dir = await Deno.makeTempDir();
  const kvPath = `${dir}/kv.sqlite`;
  try {
    const item = {
      id: "000-s1-000",
      createdAt: "2026-01-01T00:00:00Z",
      attempts: 0,
      announcement: { type: "track_record" },
    };
    {
      using kv = await Deno.openKv(kvPath);
      await kv.set(deliveryKeys.dead(item.id), {
        item,
        channelId: "1",
        reason: "Cannot post to channel 1: Discord answered 403: Missing Access",
        at: "2026-01-01T00:00:01Z",
      });
    }
    const list = await run([], kvPath);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /000-s1-000 {2}track_record -> 1: .*Missing Access/);
    assert.match(list.stdout, /^1 dead letter\(s\), 0 pending$/m);
    const requeue = await run(["--requeue"], kvPath);
    assert.match(requeue.stdout, /requeued 1 dead letter\(s\)/);
    using kv = await Deno.openKv(kvPath);
    assert.deepEqual((await kv.get(outboxKey(item.id))).value, item);
    assert.equal((await kv.get(deliveryKeys.dead(item.id))).value, null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
