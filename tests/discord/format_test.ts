import assert from "node:assert/strict";
import { ago, esc, fitEmbed, fitEmbeds, fitLines, length, when } from "@/discord/text.ts";

Deno.test("esc() escapes markdown and mention-looking names from game files", () => {
  assert.equal(
    esc("**Bold** _it_ `c` ~~s~~ ||sp||"),
    "\\*\\*Bold\\*\\* \\_it\\_ \\`c\\` \\~\\~s\\~\\~ \\|\\|sp\\|\\|",
  );
  assert.equal(esc("<script>"), "\\<script\\>");
  assert.equal(esc("<@&123>"), "\\<@&123\\>");
  assert.equal(esc("# Head"), "\\# Head");
  assert.equal(esc("[x](http://e)"), "\\[x](http://e)");
});

Deno.test("when() and ago() are Discord timestamps", () => {
  assert.equal(when("2026-01-05T12:00:00.900Z"), "<t:1767614400:f>");
  assert.equal(ago(new Date("2026-01-05T12:00:00Z")), "<t:1767614400:R>");
});

Deno.test("fitLines() keeps whole lines and counts the rest as '... and N more'", () => {
  const lines = Array.from({ length: 300 }, (_, i) => `${i + 1}. Driver number ${i} — 1:42.123`);
  const out = fitLines(lines, 1024);
  assert.ok(length(out) <= 1024);
  const kept = out.split("\n");
  const shown = kept.length - 1;
  assert.equal(kept.at(-1), `... and ${300 - shown} more`);
  assert.equal(kept[shown - 1], lines[shown - 1]);
  assert.equal(fitLines(["a", "b"], 10), "a\nb");
});

Deno.test("fitEmbed() keeps title 256, description 4096, 25 fields, 1024 per field", () => {
  const e = fitEmbed({
    title: "T".repeat(400),
    description: Array.from({ length: 1000 }, () => "x".repeat(20)).join("\n"),
    fields: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: "v\n".repeat(800) })),
  });
  assert.equal(length(e.title!), 256);
  assert.ok(length(e.description!) <= 4096);
  assert.match(e.description!, /\.\.\. and \d+ more$/);
  assert.equal(e.fields!.length, 25);
  assert.equal(e.fields![24]!.value, "... and 6 more");
  for (const f of e.fields!) assert.ok(length(f.value) <= 1024);
});

Deno.test("fitEmbeds() keeps 6,000 characters over all embeds (a 7,000-character standings list)", () => {
  const standings = Array.from({ length: 140 }, (_, i) => `${i + 1}. ${"Driver".padEnd(30, "x")} +1:02.345`)
    .join("\n");
  assert.ok(standings.length > 6000);
  const out = fitEmbeds([{
    title: "Race",
    description: standings,
    fields: [{ name: "Fastest", value: "1:42.000" }],
  }]);
  const total = out.reduce(
    (n, e) =>
      n + length(e.title ?? "") + length(e.description ?? "") +
      (e.fields ?? []).reduce((m, f) => m + length(f.name) + length(f.value), 0),
    0,
  );
  assert.ok(total <= 6000, String(total));
  assert.match(out[0]!.description!, /\.\.\. and \d+ more$/);
});

Deno.test("fitEmbeds() counts every field it leaves out in one '... and N more' (past 25 and past 6,000)", () => {
  const fields = Array.from({ length: 30 }, (_, i) => ({ name: `F${i}`, value: "v".repeat(300) }));
  const [e] = fitEmbeds([{ title: "Standings", fields }]);
  const last = e!.fields!.at(-1)!;
  const more = Number(/^\.\.\. and (\d+) more$/.exec(last.value)![1]);
  assert.equal(e!.fields!.length - 1 + more, 30, "every field shown or counted");
  const total = e!.title!.length + e!.fields!.reduce((n, f) => n + length(f.name) + length(f.value), 0);
  assert.ok(total <= 6000);
});
