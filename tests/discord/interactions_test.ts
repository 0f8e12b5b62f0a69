import assert from "node:assert/strict";
import type { CommandSet } from "@/discord/command.ts";
import { UserError } from "@/discord/command.ts";
import { settled } from "@/discord/dispatch.ts";
import { createVerifier } from "@/discord/verify.ts";
import { testApp } from "@/tests/_app.ts";
import {
  autocompleteBody,
  commandBody,
  componentBody,
  makeSigner,
  pingBody,
} from "@/tests/fakes/interactions.ts";
import { discordConfig, interactionsApp, NOW, testDeps } from "@/tests/discord/_app.ts";
import { startFakeDiscord } from "@/tests/fakes/discord.ts";
import { createDiscordApi } from "@/discord/rest.ts";

const NOW_S = Math.floor(NOW.getTime() / 1000);

const TEST_SET: CommandSet = {
  id: "core",
  enabled: () => true,
  commands: [
    {
      definition: { name: "hello", description: "Says hello" },
      run: (ctx) =>
        Promise.resolve({ kind: "message", message: { content: `hello @everyone <@${ctx.userId}>` } }),
    },
    {
      definition: { name: "boom", description: "Crashes" },
      run: () => Promise.reject(new TypeError("undefined is not a function")),
    },
    {
      definition: { name: "nope", description: "A user error" },
      run: () => Promise.reject(new UserError("No driver is linked to you; use /link first")),
    },
    {
      definition: { name: "slow", description: "Answers after the deadline" },
      run: async () => {
        await new Promise((r) => setTimeout(r, 120));
        return { kind: "message", message: { content: "late but here" } };
      },
    },
    {
      definition: { name: "later", description: "Defers on purpose" },
      run: () =>
        Promise.resolve({
          kind: "defer",
          ephemeral: true,
          work: () => Promise.resolve({ content: "done", embeds: [{ title: "x".repeat(300) }] }),
        }),
    },
    {
      definition: { name: "laterboom", description: "Deferred work that crashes" },
      run: () => Promise.resolve({ kind: "defer", work: () => Promise.reject(new Error("store down")) }),
    },
    {
      definition: { name: "file", description: "Sends a file" },
      run: () =>
        Promise.resolve({
          kind: "message",
          message: { content: "csv", files: [{ name: "a.csv", data: new TextEncoder().encode("a,b\n") }] },
        }),
    },
    {
      definition: { name: "admin-only", description: "Admins" },
      admin: true,
      run: () => Promise.resolve({ kind: "message", message: { content: "admin ok" } }),
    },
    {
      definition: {
        name: "pick",
        description: "Autocompletes",
        options: [{ name: "q", description: "q", type: 3 }],
      },
      run: (ctx) => Promise.resolve({ kind: "message", message: { content: `picked ${ctx.options.q}` } }),
      autocomplete: (_ctx, focused) =>
        Promise.resolve({
          kind: "choices",
          choices: Array.from({ length: 40 }, (_, i) => ({ name: `${focused.value}${i}`, value: String(i) })),
        }),
    },
    {
      definition: { name: "group", description: "Subcommands" },
      run: (ctx) =>
        Promise.resolve({ kind: "message", message: { content: `${ctx.sub.join(" ")} ${ctx.options.n}` } }),
    },
  ],
  components: [
    {
      id: "page",
      run: (_ctx, state) => Promise.resolve({ kind: "update", message: { content: `page ${state}` } }),
    },
    {
      id: "work",
      run: () => Promise.resolve({ kind: "defer", work: () => Promise.resolve({ content: "worked" }) }),
    },
  ],
};

async function setup(file = {}) {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  const fake = await startFakeDiscord();
  const discord = createDiscordApi({
    token: fake.token,
    applicationId: fake.applicationId,
    apiBase: fake.apiBase,
  });
  const deps = testDeps(kv, discordConfig(signer.publicKeyHex, file), { discord });
  const app = interactionsApp(deps, [TEST_SET], { deferAfterMs: 50 });
  const post = (body: unknown, opts = {}) => signer.post(app, body, { timestamp: NOW_S, ...opts });
  // The deferred answers Discord received: PATCHes of @original, by interaction token.
  const originals = () => fake.messages.filter((m) => m.kind === "original");
  return {
    signer,
    kv,
    fake,
    originals,
    app,
    post,
    [Symbol.asyncDispose]: async () => {
      await settled();
      kv.close();
      await fake.close();
    },
  };
}

Deno.test("POST /interactions answers a signed PING with PONG", async () => {
  await using s = await setup();
  const res = await s.post(pingBody());
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  assert.deepEqual(await res.json(), { type: 1 });
});

Deno.test("POST /interactions refuses missing, malformed and wrong signatures with 401", async () => {
  await using s = await setup();
  for (
    const opts of [{ omit: "signature" }, { omit: "timestamp" }, { signature: "zz" }, {
      signature: "ab".repeat(63),
    }]
  ) {
    const res = await s.post(pingBody(), opts);
    assert.equal(res.status, 401, JSON.stringify(opts));
    await res.body?.cancel();
  }
  // A well-formed signature over other bytes (the body changed after signing).
  const tampered = await s.post(pingBody(), { tamper: true });
  assert.equal(tampered.status, 401);
  assert.match((await tampered.json()).error, /bad signature/);
});

Deno.test("POST /interactions refuses a valid signature by another key (the un-awaited verify bug)", async () => {
  await using s = await setup();
  const stranger = await makeSigner();
  const res = await stranger.post(s.app, pingBody(), { timestamp: NOW_S });
  assert.equal(res.status, 401);
  assert.match((await res.json()).error, /bad signature/);
});

Deno.test("POST /interactions refuses timestamps more than 5 minutes off, either way", async () => {
  await using s = await setup();
  for (const ts of [NOW_S - 301, NOW_S + 301, "not-a-time"]) {
    const res = await s.post(pingBody(), { timestamp: ts });
    assert.equal(res.status, 401, String(ts));
    assert.match((await res.json()).error, /stale timestamp/);
  }
  const ok = await s.post(pingBody(), { timestamp: NOW_S - 299 });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("POST /interactions: an empty body is 401 unsigned and 400 signed", async () => {
  await using s = await setup();
  const unsigned = await s.app.request("/interactions", { method: "POST" });
  assert.equal(unsigned.status, 401);
  await unsigned.body?.cancel();
  const signed = await s.post(null, { rawBody: "" });
  assert.equal(signed.status, 400);
  assert.match((await signed.json()).error, /not JSON/);
});

Deno.test("POST /interactions: malformed bodies and unknown commands are 400 with a reason", async () => {
  await using s = await setup();
  const noName = commandBody("hello") as Record<string, unknown>;
  noName.data = { options: [] };
  let res = await s.post(noName);
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /Malformed interaction: data\.name/);

  res = await s.post({ type: 2 });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /Malformed interaction/);

  res = await s.post({ ...commandBody("hello"), type: 9 });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /Unsupported interaction type 9/);

  res = await s.post(commandBody("nosuch"));
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'Unknown command "/nosuch"');

  res = await s.post(componentBody("nosuch:1"));
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'Unknown component "nosuch"');
});

Deno.test("Dispatcher: every reply carries allowed_mentions parse []", async () => {
  await using s = await setup();
  const res = await s.post(commandBody("hello"));
  const body = await res.json();
  assert.equal(body.type, 4);
  assert.deepEqual(body.data.allowed_mentions, { parse: [] });
  assert.equal(body.data.content, "hello @everyone <@200000000000000001>");
  const up = await (await s.post(componentBody("page:3"))).json();
  assert.deepEqual(up, { type: 7, data: { allowed_mentions: { parse: [] }, content: "page 3" } });
});

Deno.test("Dispatcher: a crash is logged with the interaction id and answered with an ephemeral apology", async () => {
  await using s = await setup();
  const logged: unknown[][] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => logged.push(a);
  try {
    const body = commandBody("boom");
    const res = await s.post(body);
    assert.equal(res.status, 200);
    const json = await res.json();
    assert.equal(json.type, 4);
    assert.equal(json.data.flags, 64);
    assert.match(json.data.content, new RegExp(`interaction ${body.id}`));
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]![0]), new RegExp(`Interaction ${body.id} \\(/boom\\) failed`));
  } finally {
    console.error = orig;
  }
});

Deno.test("Dispatcher: a UserError comes back as its own ephemeral sentence", async () => {
  await using s = await setup();
  const json = await (await s.post(commandBody("nope"))).json();
  assert.deepEqual(json.data, {
    allowed_mentions: { parse: [] },
    content: "No driver is linked to you; use /link first",
    flags: 64,
  });
});

Deno.test("Dispatcher: a handler slower than the deadline is deferred, then @original is edited", async () => {
  await using s = await setup();
  const body = commandBody("slow");
  const json = await (await s.post(body)).json();
  assert.deepEqual(json, { type: 5 });
  await settled();
  assert.equal(s.originals().length, 1);
  assert.equal(s.originals()[0]!.interactionToken, body.token);
  assert.deepEqual(s.originals()[0]!.body, { allowed_mentions: { parse: [] }, content: "late but here" });
});

Deno.test("Dispatcher: a defer reply answers type 5 (6 for buttons) and PATCHes the work's message, within limits", async () => {
  await using s = await setup();
  const json = await (await s.post(commandBody("later"))).json();
  assert.deepEqual(json, { type: 5, data: { flags: 64 } });
  await settled();
  const edit = s.originals()[0]!.body as { embeds: { title: string }[]; allowed_mentions: unknown };
  assert.deepEqual(edit.allowed_mentions, { parse: [] });
  assert.equal([...edit.embeds[0]!.title].length, 256);

  const click = await (await s.post(componentBody("work:x"))).json();
  assert.deepEqual(click, { type: 6 });
  await settled();
  assert.deepEqual(s.originals()[1]!.body, { allowed_mentions: { parse: [] }, content: "worked" });
});

Deno.test("Dispatcher: files go as multipart/form-data with payload_json", async () => {
  await using s = await setup();
  const res = await s.post(commandBody("file"));
  assert.match(res.headers.get("content-type")!, /^multipart\/form-data; boundary=/);
  const form = await res.formData();
  const payload = JSON.parse(form.get("payload_json") as string);
  assert.equal(payload.type, 4);
  assert.deepEqual(payload.data.attachments, [{ id: "0", filename: "a.csv" }]);
  assert.deepEqual(payload.data.allowed_mentions, { parse: [] });
  const file = form.get("files[0]") as File;
  assert.equal(file.name, "a.csv");
  assert.equal(await file.text(), "a,b\n");
});

Deno.test("Dispatcher: admin commands are refused server-side unless Administrator, Manage Guild or an admin role", async () => {
  await using s = await setup({ discord: { channels: {}, adminRoles: ["800000000000000001"] } });
  const refused = await (await s.post(commandBody("admin-only", [], { permissions: String(1n << 11n) })))
    .json();
  assert.equal(refused.data.flags, 64);
  assert.match(refused.data.content, /Only league admins/);
  const dm = await (await s.post(commandBody("admin-only", [], { guildId: null }))).json();
  assert.match(dm.data.content, /Only league admins/);
  for (
    const who of [{ permissions: "8" }, { permissions: "32" }, { permissions: String((1n << 40n) | 8n) }, {
      roles: ["800000000000000001"],
    }]
  ) {
    const ok = await (await s.post(commandBody("admin-only", [], who))).json();
    assert.equal(ok.data.content, "admin ok", JSON.stringify(who));
  }
});

Deno.test("Dispatcher: autocomplete answers type 8 with at most 25 choices", async () => {
  await using s = await setup();
  const json =
    await (await s.post(autocompleteBody("pick", [{ name: "q", type: 3, value: "mo", focused: true }])))
      .json();
  assert.equal(json.type, 8);
  assert.equal(json.data.choices.length, 25);
  assert.deepEqual(json.data.choices[0], { name: "mo0", value: "0" });
});

Deno.test("Dispatcher: subcommand paths and their options reach the handler", async () => {
  await using s = await setup();
  const json = await (await s.post(commandBody("group", [{
    name: "stats",
    type: 2,
    options: [{ name: "week", type: 1, options: [{ name: "n", type: 4, value: 3 }] }],
  }]))).json();
  assert.equal(json.data.content, "stats week 3");
});

Deno.test("createVerifier() rejects a signature from another key and accepts its own", async () => {
  const signer = await makeSigner();
  const verify = createVerifier(signer.publicKeyHex);
  const text = '{"type":1}';
  const h = await signer.headers(text, NOW_S);
  const body = new TextEncoder().encode(text);
  const good = { signature: h["x-signature-ed25519"]!, timestamp: h["x-signature-timestamp"]!, body };
  assert.equal(await verify(good, NOW), null);
  const other = await (await makeSigner()).headers(text, NOW_S);
  assert.equal(await verify({ ...good, signature: other["x-signature-ed25519"]! }, NOW), "bad signature");
});

Deno.test("createApp() mounts /interactions only when Discord credentials are configured", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const res = await testApp(kv).request("/interactions", { method: "POST", body: "{}" });
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    kv.close();
  }
});

Deno.test("createApp() with Discord credentials answers a signed PING at /interactions", async () => {
  const signer = await makeSigner();
  const kv = await Deno.openKv(":memory:");
  try {
    const { createApp } = await import("@/app.ts");
    const app = createApp(testDeps(kv, discordConfig(signer.publicKeyHex)));
    const res = await signer.post(app, pingBody(), { timestamp: NOW_S });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { type: 1 });
    const bad = await signer.post(app, pingBody(), { timestamp: NOW_S, signature: "00".repeat(64) });
    assert.equal(bad.status, 401);
    await bad.body?.cancel();
  } finally {
    kv.close();
  }
});

Deno.test("Dispatcher: deferred work that crashes edits @original with the apology and logs the id", async () => {
  await using s = await setup();
  const logged: unknown[][] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => logged.push(a);
  try {
    const body = commandBody("laterboom");
    assert.deepEqual(await (await s.post(body)).json(), { type: 5 });
    await settled();
    const edit = s.originals()[0]!.body as { content: string };
    assert.match(edit.content, new RegExp(`interaction ${body.id}`));
    assert.match(String(logged[0]![0]), new RegExp(`Interaction ${body.id}`));
  } finally {
    console.error = orig;
  }
});
