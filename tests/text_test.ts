import assert from "node:assert/strict";
import { cleanOptional, cleanText } from "@/lib/text.ts";

Deno.test("cleanText() removes every bidirectional control and keeps the letters in order", () => {
  const bidi = [
    "\u202A",
    "\u202B",
    "\u202C",
    "\u202D",
    "\u202E",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200E",
    "\u200F",
    "\u061C",
  ];
  for (const c of bidi) {
    assert.equal(cleanText(`Max${c}Power`), "MaxPower", `U+${c.codePointAt(0)!.toString(16)}`);
  }
  assert.equal(cleanText("\u202Egnp.exe"), "gnp.exe");
});

Deno.test("cleanText() drops NUL and C0/C1 controls and turns line breaks into spaces", () => {
  assert.equal(cleanText("Ma\u0000x"), "Max");
  assert.equal(cleanText("a\u0001b\u001Bc\u007Fd\u0085e\u009Ff"), "abcd ef");
  assert.equal(cleanText("Max\nPower"), "Max Power");
  assert.equal(cleanText("Max\tPower\r\n"), "Max Power  ");
  assert.equal(cleanText("x\u2028y"), "x y");
});

Deno.test("cleanText() keeps readable text as it is", () => {
  for (
    const s of [
      "Jürgen Müller",
      "José «Pepe»",
      "Łukasz",
      "山田 太郎",
      "محمد",
      "עברית",
      "🏁 Fast",
      "^1Red^7Name",
    ]
  ) {
    assert.equal(cleanText(s), s);
  }
  assert.equal(cleanText(cleanText("a\u202Eb\u0000c")), "abc");
});

Deno.test("cleanOptional() passes null and undefined through", () => {
  assert.equal(cleanOptional(null), null);
  assert.equal(cleanOptional(undefined), undefined);
  assert.equal(cleanOptional("a\u0000"), "a");
});
