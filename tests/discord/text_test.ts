import assert from "node:assert/strict";
import { clipWords, code, mention, num, plain, plural, sessionKind } from "@/discord/text.ts";

Deno.test("plural() says 1 map, 2 maps, 1,204 rounds", () => {
  assert.equal(plural(1, "map"), "1 map");
  assert.equal(plural(2, "map"), "2 maps");
  assert.equal(plural(0, "car"), "0 cars");
  assert.equal(plural(1204, "round"), "1,204 rounds");
  assert.equal(plural(2, "match", "matches"), "2 matches");
  assert.equal(num(12345.4), "12,345");
});

Deno.test("sessionKind() names a kind the same for every game: ACC R and AC RACE both read Race", () => {
  assert.equal(sessionKind("R", "R"), "Race");
  assert.equal(sessionKind("R", "RACE"), "Race");
  assert.equal(sessionKind("R", "R2"), "Race 2");
  assert.equal(sessionKind("Q", "QUALIFY"), "Qualifying");
  assert.equal(sessionKind("Q", "Q1"), "Qualifying 1");
  assert.equal(sessionKind("FP", "PRACTICE"), "Practice");
});

Deno.test("clipWords() cuts on a word boundary with an ellipsis", () => {
  const s = "Damage per minute: damage given per minute played, over every round of the period";
  const out = clipWords(s, 40);
  assert.ok([...out].length <= 40, out);
  assert.equal(out, "Damage per minute: damage given per…");
  assert.equal(clipWords("short", 40), "short");
  assert.equal(clipWords("x".repeat(50), 10), "xxxxxxxxx…");
});

Deno.test("code(), mention() and plain() keep Discord's rules", () => {
  assert.equal(code("te_escape2"), "`te_escape2`");
  assert.equal(code(""), "`\u200b`");
  assert.equal(mention("123456789012345678"), "<@123456789012345678>");
  assert.equal(mention("<@1>"), "\\<@1\\>");
  assert.equal(plain("a\u202E\nb **c**"), "a b **c**");
});
