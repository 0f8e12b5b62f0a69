import assert from "node:assert/strict";
import { liveCommands } from "@/discord/live/commands.ts";
import { commandDefinitions } from "@/discord/registry.ts";
import { applyLiveBatch } from "@/kv/live/state.ts";
import { pendingLiveCommands } from "@/kv/live/commands.ts";
import { kvReader } from "@/kv/reader.ts";
import { discordConfig, interactionsApp, testDeps } from "@/tests/discord/_app.ts";
import { commandBody, makeSigner } from "@/tests/fakes/interactions.ts";
import { taConfig } from "@/tests/ta/_ta.ts";

const NOW = new Date("2026-01-05T12:00:00Z");
const STR = 3, SUB = 1;
const ADMIN = { permissions: String(1n << 5n) };
const sub = (name: string, options: { name: string; value: string }[]) => [{
  name,
  type: SUB,
  options: options.map((o) => ({ ...o, type: STR })),
}];

async function setup() {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const ta = taConfig();
  const config = { ...discordConfig(signer.publicKeyHex), servers: ta.servers, timeAttack: ta.timeAttack };
  const app = interactionsApp(testDeps(kv, config, { now: () => NOW }), [liveCommands]);
  const at = NOW.getTime();
  await applyLiveBatch(kv, "ac-ta", {
    stream: "s",
    sentAt: at,
    done: [],
    events: [
      { seq: 1, at, type: "connect", carId: 3, driver: "Alice Liddell", guid: "g1", model: "m" },
      { seq: 2, at, type: "connect", carId: 4, driver: "Alan *Bold*", guid: "g2", model: "m" },
    ],
  }, { now: NOW, announce: false });
  // deno-lint-ignore no-explicit-any
  const call = async (body: unknown): Promise<any> => {
    const res = await signer.post(app, body, { timestamp: Math.floor(NOW.getTime() / 1000) });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json();
  };
  return { kv, call, [Symbol.dispose]: () => kv.close() };
}

Deno.test("/live is registered for admins only, when an AC server is configured", () => {
  const def = commandDefinitions(taConfig()).find((d) => d.name === "live");
  assert.equal(def?.default_member_permissions, String(1n << 5n));
  const accOnly = {
    ...taConfig(),
    servers: [{ id: "acc", game: "acc" as const, timeZone: "UTC" }],
    timeAttack: undefined,
  };
  assert.ok(!commandDefinitions(accOnly).some((d) => d.name === "live"));
});

Deno.test("/live kick and /live say queue commands for the agent; members are refused server-side", async () => {
  using s = await setup();
  const refused = await s.call(commandBody("live", sub("say", [{ name: "text", value: "hi" }])));
  assert.equal(refused.data.flags, 64);
  assert.deepEqual(await pendingLiveCommands(kvReader(s.kv), "ac-ta", NOW), []);

  const ambiguous = await s.call(commandBody("live", sub("kick", [{ name: "driver", value: "al" }]), ADMIN));
  assert.match(ambiguous.data.content, /matches 2 drivers: Alice Liddell, Alan \\\*Bold\\\*/);
  const nobody = await s.call(commandBody("live", sub("kick", [{ name: "driver", value: "Zed" }]), ADMIN));
  assert.match(nobody.data.content, /Nobody called "Zed"/);

  const kick = await s.call(commandBody("live", sub("kick", [{ name: "driver", value: "alice" }]), ADMIN));
  assert.equal(kick.data.flags, 64);
  assert.match(kick.data.content, /Kick of Alice Liddell \(car 3\) sent to ac-ta's agent/);
  const say = await s.call(commandBody("live", sub("say", [{ name: "text", value: "Restart soon" }]), ADMIN));
  assert.match(say.data.content, /Message sent/);
  const other = await s.call(
    commandBody("live", sub("say", [{ name: "text", value: "x" }, { name: "server", value: "nope" }]), ADMIN),
  );
  assert.match(other.data.content, /No Assetto Corsa server "nope"/);
  const pending = await pendingLiveCommands(kvReader(s.kv), "ac-ta", NOW);
  assert.deepEqual(pending.map((c) => c.kind === "kick" ? ["kick", c.carId] : ["say", c.text]), [
    ["kick", 3],
    ["say", "Restart soon"],
  ]);
  // Too old to act on: a command the agent never picked up is dropped.
  assert.deepEqual(
    await pendingLiveCommands(kvReader(s.kv), "ac-ta", new Date(NOW.getTime() + 3 * 60_000)),
    [],
  );
});
