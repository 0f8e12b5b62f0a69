/** `.ci/run`'s fresh-clone check (tests/_fresh_clone_check.ts) on the logs it can be given. */
import assert from "node:assert/strict";
import { SAMPLE_TWINS } from "@/tests/_sample_twins.ts";

async function check(log: string): Promise<{ code: number; out: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", new URL("./_fresh_clone_check.ts", import.meta.url).pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(log));
  await w.close();
  const out = await child.output();
  return { code: out.code, out: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr) };
}

const SUMMARY = "ok | 12 passed | 0 failed | 2 ignored (3s)\n";
const skipped = (name: string) =>
  `SKIPPED (no samples at /tmp/x; no fixture twin yet; set PODIUM_SAMPLES): ${name}\n`;

Deno.test("the fresh-clone check: a skipped test with a twin fails, a pending one passes, no summary fails", async () => {
  const twinned = Object.entries(SAMPLE_TWINS).find(([, t]) => t !== null)![0];
  const bad = await check(skipped(twinned) + SUMMARY);
  assert.equal(bad.code, 1, bad.out);
  assert.match(bad.out, /1 test\(s\) skipped for missing samples without a fixture twin/);
  assert.ok(bad.out.includes(twinned));

  const pending = Object.entries(SAMPLE_TWINS).filter(([, t]) => t === null).map(([n]) => n);
  const good = await check(pending.map(skipped).join("") + SUMMARY);
  assert.equal(good.code, 0, good.out);
  if (pending.length === 0) {
    assert.match(
      good.out,
      /no test skipped for missing samples \(every test on samples has a fixture twin\)/,
    );
  } else {
    assert.match(good.out, new RegExp(`beyond the ${pending.length} tests/_sample_twins\\.ts lists`));
  }

  const none = await check("running 3 tests\n");
  assert.equal(none.code, 1);
  assert.match(none.out, /printed no summary/);
});
