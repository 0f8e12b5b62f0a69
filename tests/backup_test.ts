import assert from "node:assert/strict";
import { fromFileUrl } from "@/tests/_path.ts";

const CLI = fromFileUrl(new URL("../kv/backup.ts", import.meta.url));

Deno.test("deno task backup copies every entry into a new KV file, and refuses an existing one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    {
      await using kv = await Deno.openKv(`${dir}/live.kv`);
      const op = kv.atomic();
      for (let i = 0; i < 450; i++) op.set(["t", i], { i, pad: "x".repeat(i % 7 === 0 ? 3000 : 10) });
      await op.commit();
      await kv.set(["bytes"], new Uint8Array([1, 2, 3]));
      await kv.set(["n"], new Deno.KvU64(7n));
    }
    const run = (dest: string) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI, dest],
        env: { PODIUM_KV: `${dir}/live.kv`, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
    const out = await run(`${dir}/backup.kv`);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(new TextDecoder().decode(out.stdout), /^copied 452 entries from /);
    await using copy = await Deno.openKv(`${dir}/backup.kv`);
    const all = await Array.fromAsync(copy.list({ prefix: [] }));
    assert.equal(all.length, 452);
    assert.deepEqual((await copy.get(["t", 14])).value, { i: 14, pad: "x".repeat(3000) });
    assert.deepEqual((await copy.get(["bytes"])).value, new Uint8Array([1, 2, 3]));
    assert.equal((await copy.get<Deno.KvU64>(["n"])).value?.value, 7n);
    const again = await run(`${dir}/backup.kv`);
    assert.equal(again.code, 2);
    assert.match(new TextDecoder().decode(again.stderr), /it exists; give a new file name/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
