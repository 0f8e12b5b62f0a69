/**
 * `.ci/run`'s check of a fresh clone's test log (read on stdin): every "SKIPPED (no samples ..."
 * test must be one tests/_sample_twins.ts lists as not covered on fixtures yet (null). Prints the
 * count of those (or that there are none); exit 1 naming any other skipped test, or when the log
 * shows no finished run.
 */
import { SAMPLE_TWINS } from "@/tests/_sample_twins.ts";

const log = await new Response(Deno.stdin.readable).text();
const skipped = [...log.matchAll(/^SKIPPED \(no samples at [^)]*\): (.*)$/gm)].map((m) => m[1]!.trim());
const unexpected = skipped.filter((name) => SAMPLE_TWINS[name] !== null);
const pending = Object.values(SAMPLE_TWINS).filter((t) => t === null).length;
if (!/^(ok|FAILED) \| \d+ passed/m.test(log)) {
  console.log("fresh clone: the test run printed no summary");
  Deno.exit(1);
}
if (unexpected.length > 0) {
  console.log(
    `fresh clone: ${unexpected.length} test(s) skipped for missing samples without a fixture twin:`,
  );
  for (const n of unexpected) console.log(`  ${n}`);
  Deno.exit(1);
}
console.log(
  pending === 0
    ? "fresh clone: no test skipped for missing samples (every test on samples has a fixture twin)"
    : `fresh clone: no test skipped for missing samples beyond the ${pending} tests/_sample_twins.ts lists as not covered yet`,
);
