import assert from "node:assert/strict";
import { DecodeError, decodeText } from "@/ingest/decode.ts";
import { utf16le } from "@/tests/_acc_file.ts";

const text = '{"trackName": "Nürburgring"}';

Deno.test("decodeText() reads UTF-16LE without a BOM, as ACC servers write", () => {
  assert.equal(decodeText(utf16le(text)), text);
});

Deno.test("decodeText() strips a UTF-16LE BOM", () => {
  assert.equal(decodeText(new Uint8Array([0xff, 0xfe, ...utf16le(text)])), text);
});

Deno.test("decodeText() reads UTF-8 with and without a BOM", () => {
  const utf8 = new TextEncoder().encode(text);
  assert.equal(decodeText(utf8), text);
  assert.equal(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])), text);
});

Deno.test("decodeText() strips a second BOM left by a double re-save", () => {
  assert.equal(decodeText(new TextEncoder().encode(`\uFEFF\uFEFF${text}`)), text);
});

Deno.test("decodeText() rejects empty, truncated and mangled bytes with a reason", () => {
  assert.throws(() => decodeText(new Uint8Array()), DecodeError);
  assert.throws(() => decodeText(utf16le(text).subarray(0, 9)), /odd number of bytes/);
  assert.throws(() => decodeText(new Uint8Array([0x7b, 0x0a, 0x00, 0x0a, 0x20])), DecodeError);
  assert.throws(() => decodeText(new Uint8Array([0x7b, 0xff, 0xfe, 0xfd])), /not UTF-16 or UTF-8/);
});
