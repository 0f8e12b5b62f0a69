import assert from "node:assert/strict";
import { getLink, linkedUser, LinkTakenError, listLinks, removeLink, setLink } from "@/kv/links.ts";

const AT = new Date("2026-01-05T12:00:00Z");

Deno.test("setLink() links both ways, relinking moves the reverse index", async (t) => {
  using kv = await Deno.openKv(":memory:");
  await t.step("link", async () => {
    const l = await setLink(kv, "u1", "acc", "S1", "Ann Fast", { now: AT });
    assert.deepEqual(l, {
      userId: "u1",
      game: "acc",
      playerId: "S1",
      displayName: "Ann Fast",
      linkedAt: AT.toISOString(),
    });
    assert.deepEqual(await getLink(kv, "u1", "acc"), l);
    assert.equal(await linkedUser(kv, "acc", "S1"), "u1");
  });
  await t.step("relink to another player frees the first", async () => {
    await setLink(kv, "u1", "acc", "S2", undefined, { now: AT });
    assert.equal(await linkedUser(kv, "acc", "S1"), null);
    assert.equal(await linkedUser(kv, "acc", "S2"), "u1");
    assert.equal((await getLink(kv, "u1", "acc"))!.playerId, "S2");
  });
  await t.step("another member cannot take a linked identity", async () => {
    await assert.rejects(() => setLink(kv, "u2", "acc", "S2"), LinkTakenError);
    assert.equal(await linkedUser(kv, "acc", "S2"), "u1");
  });
  await t.step("links per game are independent and listed", async () => {
    await setLink(kv, "u1", "iracing", "123456", undefined, { now: AT });
    assert.deepEqual((await listLinks(kv, "u1")).map((l) => l.game).sort(), ["acc", "iracing"]);
  });
  await t.step("removeLink() clears both directions", async () => {
    const removed = await removeLink(kv, "u1", "acc");
    assert.equal(removed!.playerId, "S2");
    assert.equal(await getLink(kv, "u1", "acc"), null);
    assert.equal(await linkedUser(kv, "acc", "S2"), null);
    assert.equal(await removeLink(kv, "u1", "acc"), null);
    await setLink(kv, "u2", "acc", "S2");
    assert.equal(await linkedUser(kv, "acc", "S2"), "u2");
  });
});

Deno.test("setLink() from two members at once: exactly one holds the identity", async () => {
  using kv = await Deno.openKv(":memory:");
  const results = await Promise.allSettled(
    ["a", "b", "c", "d"].map((u) => setLink(kv, u, "ac", "GUID1")),
  );
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
  const owner = await linkedUser(kv, "ac", "GUID1");
  assert.equal((await getLink(kv, owner!, "ac"))!.playerId, "GUID1");
});
