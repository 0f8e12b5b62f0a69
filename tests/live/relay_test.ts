import assert from "node:assert/strict";
import { FakeAcServer } from "@/tests/fakes/ac_server.ts";
import { startRelay, TestHub, until } from "@/tests/live/_live.ts";
import { taConfig } from "@/tests/ta/_ta.ts";
import { topOfBoard } from "@/kv/racing/boards.ts";
import { kvReader } from "@/kv/reader.ts";
import { listLiveLaps } from "@/kv/live/state.ts";
import { queueLiveCommands } from "@/kv/live/commands.ts";
import { outboxPrefix } from "@/kv/keys.ts";

const ALICE = {
  carId: 0,
  driver: "Alice <b>",
  guid: "76561190000000001",
  model: "ks_mazda_mx5_cup",
  skin: "red",
};
const BOB = { carId: 1, driver: "Bob", guid: "76561190000000002", model: "ks_mazda_mx5_cup", skin: "blue" };
const QUALI = { track: "ks_vallelunga", layout: "club_circuit", name: "Qualify", type: 2 };
const BOARD = { game: "ac" as const, track: "ks_vallelunga@club_circuit", kind: "Q" as const, cls: "all" };

// deno-lint-ignore no-explicit-any
type Car = any;

Deno.test("the relay carries a session, connections and laps from the AC server to /api/live", async (t) => {
  const kv = await Deno.openKv(":memory:");
  const hub = new TestHub(kv, taConfig());
  hub.start();
  const fake = await FakeAcServer.start();
  const dir = await Deno.makeTempDir();
  const log: string[] = [];
  let relay = await startRelay(hub, fake, `${dir}/queue.json`, log);
  try {
    await t.step("before any event: a configured server answers an empty state", async () => {
      const body = await hub.live();
      assert.deepEqual({ ...body, updatedAt: null }, {
        server: "ac-ta",
        session: null,
        cars: [],
        updatedAt: null,
      });
      assert.equal((await fetch(`${hub.url}/api/live/nobody`)).status, 404);
    });

    await t.step("a plugin started mid-session asks for the session and the cars", async () => {
      await fake.waitForCommand((c) => c.type === "get_session_info");
      await fake.waitForCommand((c) => c.type === "get_car_info" && c.carId === 3);
    });

    await t.step("session and connections", async () => {
      fake.newSession(QUALI);
      fake.connect(ALICE);
      fake.connect(BOB);
      fake.loaded(0);
      const body = await until(async () => {
        const b = await hub.live();
        return b.cars.length === 2 ? b : null;
      }, "two cars");
      assert.equal(body.session.kind, "Q");
      assert.equal(body.session.track, "ks_vallelunga");
      assert.equal(body.session.layout, "club_circuit");
      assert.ok(Date.parse(body.session.startedAt) <= Date.now());
      assert.deepEqual(body.cars.map((c: Car) => [c.driver, c.connected]), [["Alice <b>", true], [
        "Bob",
        true,
      ]]);
    });

    await t.step("laps with and without cuts: a cut lap is last, never best", async () => {
      fake.lap(0, 95_000);
      fake.lap(0, 93_000, 2);
      fake.collision(0, 1, 42);
      fake.collision(1, null, 10);
      const alice = await until(async () => {
        const c = (await hub.live()).cars.find((c: Car) => c.carId === 0);
        return c?.laps === 2 ? c : null;
      }, "Alice's two laps");
      assert.equal(alice.bestLapMs, 95_000);
      assert.equal(alice.lastLapMs, 93_000);
      assert.equal(alice.lastCuts, 2);
      // The clean lap is a live lap: it is on the qualifying board at once, the cut one is not.
      const top = await topOfBoard(kvReader(kv), BOARD, 10);
      assert.deepEqual(top.map((e) => [e.driver.name, e.lapMs]), [["Alice <b>", 95_000]]);
    });

    await t.step("garbage and truncated packets are logged and skipped; the relay goes on", async () => {
      fake.sendRaw(new Uint8Array([99, 1, 2, 3]));
      fake.sendRaw(fake.lapPacket(1, 99_000, 0).subarray(0, 9));
      fake.sendRaw(new Uint8Array([]));
      fake.lap(1, 97_500);
      await until(
        async () => (await hub.live()).cars.find((c: Car) => c.carId === 1)?.bestLapMs === 97_500,
        "Bob's lap",
      );
      assert.equal(
        log.filter((l) => /skipped an AC plugin packet/.test(l)).length >= 2,
        true,
        log.join("\n"),
      );
      assert.ok(log.some((l) => /unknown message id 99/.test(l)));
      assert.ok(log.some((l) => /truncated/.test(l)));
    });

    await t.step(
      "the hub down and back: events wait in the queue file and arrive in order, once",
      async () => {
        await hub.stop();
        fake.lap(1, 96_000);
        fake.lap(1, 96_500);
        fake.chat(1, "hello");
        await until(async () => {
          const q = JSON.parse(await Deno.readTextFile(`${dir}/queue.json`));
          return q.pending.length >= 3;
        }, "three queued events");
        hub.start();
        const bob = await until(
          async () => {
            const c = (await hub.live()).cars.find((c: Car) => c.carId === 1);
            return c?.laps === 3 ? c : null;
          },
          "Bob's queued laps",
          20_000,
        );
        assert.equal(bob.bestLapMs, 96_000);
        assert.equal(bob.lastLapMs, 96_500);
        await until(
          async () => JSON.parse(await Deno.readTextFile(`${dir}/queue.json`)).pending.length === 0,
          "an empty queue",
        );
      },
    );

    await t.step("an agent restart mid-session keeps the session's counts", async () => {
      await relay.stop();
      relay = await startRelay(hub, fake, `${dir}/queue.json`, log);
      fake.lap(0, 94_000);
      const alice = await until(async () => {
        const c = (await hub.live()).cars.find((c: Car) => c.carId === 0);
        return c?.laps === 3 ? c : null;
      }, "Alice's third lap");
      assert.equal(alice.bestLapMs, 94_000);
      assert.equal(alice.connected, true);
      const top = await topOfBoard(kvReader(kv), BOARD, 10);
      assert.deepEqual(top.map((e) => [e.driver.name, e.lapMs]), [["Alice <b>", 94_000], ["Bob", 96_000]]);
    });

    await t.step("commands reach the server: chat to everyone, and a kick", async () => {
      await queueLiveCommands(kv, "ac-ta", [{ kind: "say", text: "Restart in 5 minutes" }], new Date());
      await fake.waitForCommand((c) => c.type === "broadcast" && c.text === "Restart in 5 minutes");
      await queueLiveCommands(kv, "ac-ta", [{ kind: "kick", carId: 1 }], new Date());
      await fake.waitForCommand((c) => c.type === "kick" && c.carId === 1);
      await until(
        async () => (await hub.live()).cars.find((c: Car) => c.carId === 1)?.connected === false,
        "Bob gone",
      );
      await until(
        async () => (await Array.fromAsync(kv.list({ prefix: ["live_cmd"] }))).length === 0,
        "commands done",
      );
      assert.equal(fake.commands.filter((c) => c.type === "kick").length, 1);
    });

    await t.step("laps seen live are on record once: events are never applied twice", async () => {
      const laps = await listLiveLaps(kvReader(kv), "ac-ta");
      assert.deepEqual(laps.map((l) => l.lapMs), [95_000, 97_500, 96_000, 96_500, 94_000]);
      const announced = await Array.fromAsync(kv.list({ prefix: outboxPrefix() }));
      // Alice's 94.0 improved her 95.0 (a PB), Bob's 96.0 improved his 97.5: two PBs and the records.
      assert.ok(announced.length >= 2);
    });
  } finally {
    await relay.stop();
    fake.close();
    await hub.stop();
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
