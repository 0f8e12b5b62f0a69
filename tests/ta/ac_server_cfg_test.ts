import assert from "node:assert/strict";
import { editServerCfg, entryList, serverKeys } from "@/games/ac/server_cfg.ts";

const CFG = [
  "[SERVER]",
  "NAME=My TA server",
  "CARS=old_car",
  "; a comment stays",
  "CONFIG_TRACK=old_layout",
  "TRACK=old_track",
  "SUN_ANGLE=16",
  "MAX_CLIENTS=18",
  "",
  "[DYNAMIC_TRACK]",
  "SESSION_START=95",
  "",
].join("\r\n");

const EVENT = { track: "ks_red_bull_ring", layout: "layout_national", cars: ["a_car", "b_car"], slots: 3 };

Deno.test("editServerCfg() sets the event's keys in [SERVER] and keeps every other line", () => {
  const out = editServerCfg(CFG, serverKeys(EVENT));
  assert.equal(
    out,
    [
      "[SERVER]",
      "NAME=My TA server",
      "CARS=a_car;b_car",
      "; a comment stays",
      "CONFIG_TRACK=layout_national",
      "TRACK=ks_red_bull_ring",
      "SUN_ANGLE=16",
      "MAX_CLIENTS=3",
      "NUM_CARS=2",
      "LOOP_MODE=1",
      "",
      "[DYNAMIC_TRACK]",
      "SESSION_START=95",
      "",
    ].join("\r\n"),
  );
  assert.equal(editServerCfg(out, serverKeys(EVENT)), out, "idempotent");
});

Deno.test("editServerCfg() writes an empty CONFIG_TRACK for a track without layouts, and adds [SERVER]", () => {
  const out = editServerCfg("[OTHER]\nX=1\n", serverKeys({ ...EVENT, layout: "", name: "TA" }));
  assert.match(out, /\[OTHER\]\nX=1\n\[SERVER\]\nNAME=TA\nTRACK=ks_red_bull_ring\nCONFIG_TRACK=\n/);
  assert.doesNotMatch(out, /\r/);
});

Deno.test("entryList() shares the slots over the cars in turn", () => {
  const text = entryList(EVENT);
  assert.deepEqual([...text.matchAll(/^MODEL=(.*)$/gm)].map((m) => m[1]), ["a_car", "b_car", "a_car"]);
  assert.match(text, /^\[CAR_2\]$/m);
  assert.doesNotMatch(text, /\[CAR_3\]/);
});
