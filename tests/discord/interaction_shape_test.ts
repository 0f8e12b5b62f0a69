import assert from "node:assert/strict";
import { parseInteraction } from "@/discord/interaction.ts";

const base = {
  id: "1",
  application_id: "2",
  token: "t",
  guild_id: "3",
  channel_id: "4",
  user: { id: "5", username: "u" },
  type: 2,
};

function nested(depth: number): unknown {
  let opt: Record<string, unknown> = { name: "x", type: 3, value: "v" };
  for (let i = 0; i < depth; i++) opt = { name: "g", type: 2, options: [opt] };
  return opt;
}

Deno.test("parseInteraction() refuses options nested past Discord's three levels, with a reason, at any depth", () => {
  const ok = parseInteraction({ ...base, data: { name: "et", options: [nested(2)] } });
  assert.equal(ok.ok, true);
  for (const depth of [3, 2_000]) {
    const res = parseInteraction({ ...base, data: { name: "et", options: [nested(depth)] } });
    assert.equal(res.ok, false);
    if (!res.ok) assert.match(res.error, /^Malformed interaction: data\.options/);
  }
});

Deno.test("parseInteraction() refuses a value that is not of its option's type (integer 1.5, an object)", () => {
  const int = parseInteraction({
    ...base,
    data: { name: "recent", options: [{ name: "count", type: 4, value: 1.5 }] },
  });
  assert.equal(int.ok, false);
  if (!int.ok) assert.match(int.error, /data\.options\.0\.value: not a value of option type 4/);
  const obj = parseInteraction({
    ...base,
    data: { name: "recent", options: [{ name: "count", type: 4, value: {} }] },
  });
  assert.equal(obj.ok, false);
  if (!obj.ok) assert.match(obj.error, /^Malformed interaction: data\.options\.0\.value/);
  // While a member types, autocomplete sends partial text for any option type.
  const typing = parseInteraction({
    ...base,
    type: 4,
    data: { name: "recent", options: [{ name: "count", type: 4, value: "1", focused: true }] },
  });
  assert.equal(typing.ok, true);
  const whole = parseInteraction({
    ...base,
    data: { name: "recent", options: [{ name: "count", type: 4, value: 5 }] },
  });
  assert.equal(whole.ok, true);
  assert.deepEqual(parseInteraction({ type: 9 }), { ok: false, error: "Unsupported interaction type 9" });
});
