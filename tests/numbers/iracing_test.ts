import assert from "node:assert/strict";
import { createIracingClient, type IracingApi, IracingError, maskSecret } from "@/lib/iracing.ts";
import { kvTokenStore, readTokens } from "@/kv/numbers/tokens.ts";
import { tokenKey } from "@/kv/numbers/keys.ts";
import { type FakeIracing, startFakeIracing } from "@/tests/fakes/iracing.ts";
import { type IracingSource, iracingTest } from "@/tests/numbers/_iracing_sources.ts";

interface World {
  kv: Deno.Kv;
  fake: FakeIracing;
  clock: { t: number };
  client(opts?: { loginsPerHour?: number }): IracingApi;
  close(): Promise<void>;
}

async function world(
  src: IracingSource,
  fakeOpts: Parameters<typeof startFakeIracing>[0] = {},
): Promise<World> {
  const clock = { t: Date.parse("2026-01-05T12:00:00Z") };
  const kv = await Deno.openKv(":memory:");
  const fake = startFakeIracing({ now: () => clock.t, answers: src.answers(), ...fakeOpts });
  return {
    kv,
    fake,
    clock,
    client: (opts = {}) =>
      createIracingClient(kvTokenStore(kv), {
        ...fake.credentials,
        oauthBase: fake.oauthBase,
        dataBase: fake.dataBase,
      }, { now: () => new Date(clock.t), timeoutMs: 5000, ...opts }),
    close: async () => {
      await fake.close();
      kv.close();
    },
  };
}

async function rejects(
  p: Promise<unknown>,
  kind: IracingError["kind"],
  text?: RegExp,
): Promise<IracingError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof IracingError, `expected IracingError, got ${err}`);
    assert.equal(err.kind, kind, err.message);
    if (text) assert.match(err.message, text);
    return err;
  }
  assert.fail("expected a rejection");
}

iracingTest("maskSecret() is base64(sha256(secret + lower-cased id))", async (src) => {
  // Independent computation: the digest of the concatenation, as iRacing documents it.
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode("MyPassWord" + "user@example.com")),
  );
  assert.equal(await maskSecret("MyPassWord", "User@Example.COM"), btoa(String.fromCharCode(...digest)));
  // The client masks the password and the secret as the fake (which keeps iRacing's rule) expects.
  const w = await world(src);
  try {
    assert.equal((await w.client().getLeague(src.single.id)).roster.length, src.single.members);
    assert.equal(w.fake.stats.logins, 1);
  } finally {
    await w.close();
  }
});

iracingTest(
  "getLeague() logs in once, follows the link without the bearer token and keeps numbers as text",
  async (src) => {
    const w = await world(src);
    try {
      w.fake.setRoster(500, [
        { cust_id: 1, display_name: "Zero Seven", car_number: "07" },
        { cust_id: 2, display_name: "Seven", car_number: "7" },
        { cust_id: 3, display_name: "No Number", car_number: null },
      ]);
      const league = await w.client().getLeague(500);
      assert.deepEqual(league.roster.map((m) => m.carNumber), ["07", "7", null]);
      assert.equal(w.fake.stats.logins, 1);
      const data = w.fake.requests.find((r) => r.path === "/data/league/get")!;
      assert.match(data.authorization ?? "", /^Bearer fake-access-/);
      const hop = w.fake.requests.find((r) => r.path.startsWith("/s3/"))!;
      assert.equal(hop.authorization, null);

      // The source's own league, served as the source has it.
      const main = await w.client().getLeague(src.main.id);
      assert.equal(main.name, src.main.name);
      assert.equal(main.roster.length, src.main.members);
      assert.equal(
        main.roster.find((m) => m.custId === src.main.member.custId)?.carNumber,
        src.main.member.carNumber,
      );
      // A second client on the same KV reuses the stored token: no second login.
      assert.equal(w.fake.stats.logins, 1);
    } finally {
      await w.close();
    }
  },
);

iracingTest("get() follows link and then data_url (league roster, three hops)", async (src) => {
  const w = await world(src);
  try {
    const body = await w.client().get("/data/league/roster", { league_id: src.main.id }) as {
      roster: unknown[];
    };
    assert.equal(body.roster.length, src.main.members);
    const hops = w.fake.requests.filter((r) => r.path.startsWith("/s3/"));
    assert.equal(hops.length, 2);
    assert.ok(hops.every((h) => h.authorization === null));
  } finally {
    await w.close();
  }
});

iracingTest(
  "an expired access token is refreshed, not a new login; a refresh token works once",
  async (src) => {
    const w = await world(src);
    try {
      const c = w.client();
      await c.getLeague(src.main.id);
      const first = (await readTokens(w.kv, w.fake.credentials.username)).tokens!;
      w.clock.t += 11 * 60_000;
      await c.getLeague(src.main.id);
      assert.equal(w.fake.stats.logins, 1);
      assert.equal(w.fake.stats.refreshes, 1);
      const second = (await readTokens(w.kv, w.fake.credentials.username)).tokens!;
      assert.notEqual(second.refreshToken, first.refreshToken);

      // The fake refuses the spent refresh token, as iRacing does.
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        client_id: w.fake.credentials.clientId,
        client_secret: await maskSecret(w.fake.credentials.clientSecret, w.fake.credentials.clientId),
        refresh_token: first.refreshToken!,
      });
      const res = await fetch(`${w.fake.oauthBase}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, "invalid_grant");
    } finally {
      await w.close();
    }
  },
);

iracingTest(
  "a refresh that fails once (503 after spending the token) ends in one login and a good answer",
  async (src) => {
    const w = await world(src);
    try {
      const c = w.client();
      await c.getLeague(src.main.id);
      w.clock.t += 11 * 60_000;
      w.fake.fail({ on: "refresh", kind: "503" });
      const league = await c.getLeague(src.main.id);
      assert.equal(league.roster.length, src.main.members);
      // First refresh failed and spent the token; the retry got invalid_grant; one login followed.
      assert.equal(w.fake.requests.filter((r) => r.grant === "refresh_token").length, 2);
      assert.equal(w.fake.stats.logins, 2);
    } finally {
      await w.close();
    }
  },
);

iracingTest("a refresh refused as invalid_grant falls back to one login", async (src) => {
  const w = await world(src);
  try {
    const c = w.client();
    await c.getLeague(src.main.id);
    w.clock.t += 11 * 60_000;
    w.fake.fail({ on: "refresh", kind: "invalid_grant" });
    await c.getLeague(src.main.id);
    assert.equal(w.fake.requests.filter((r) => r.grant === "refresh_token").length, 1);
    assert.equal(w.fake.stats.logins, 2);
  } finally {
    await w.close();
  }
});

iracingTest("a 401 on a data call renews the token and retries once", async (src) => {
  const w = await world(src);
  try {
    const c = w.client();
    await c.getLeague(src.main.id);
    w.fake.revokeAccessTokens();
    await c.getLeague(src.main.id);
    assert.equal(w.fake.stats.refreshes, 1);
    // Two 401s in a row: a clear error, not a loop.
    w.fake.fail({ on: "data", kind: "401", times: 2 });
    await rejects(c.getLeague(src.main.id), "unauthorized", /401 Unauthorized/);
  } finally {
    await w.close();
  }
});

iracingTest("403, 503 and CloudFront's 504 page become clear errors", async (src) => {
  const w = await world(src);
  try {
    const c = w.client();
    w.fake.fail({ on: "data", kind: "403" });
    await rejects(c.getLeague(src.main.id), "forbidden", /403 Forbidden.*member of the league/);
    w.fake.fail({ on: "data", kind: "503" });
    await rejects(
      c.getLeague(src.main.id),
      "maintenance",
      /Site Maintenance: The site is currently undergoing maintenance/,
    );
    w.fake.fail({ on: "data", kind: "504" });
    await rejects(
      c.getLeague(src.main.id),
      "unavailable",
      /504 and an HTML page from CloudFront.*could not be satisfied/,
    );
    w.fake.fail({ on: "s3", kind: "504" });
    await rejects(c.getLeague(src.main.id), "unavailable", /504/);
    w.fake.fail({ on: "data", kind: "500" });
    await rejects(c.getLeague(src.main.id), "unavailable", /500/);
    w.fake.fail({ on: "s3", kind: "drop" });
    await rejects(c.getLeague(src.main.id), "network", /broke off/);
    await rejects(c.getLeague(999), "not_found", /404/);
    // After all that, a normal call works with the same token.
    assert.equal((await c.getLeague(src.main.id)).roster.length, src.main.members);
    assert.equal(w.fake.stats.logins, 1);
  } finally {
    await w.close();
  }
});

iracingTest(
  "x-ratelimit-remaining 0 stops calls until the reset; 429 is an error with the reset time",
  async (src) => {
    const w = await world(src, { rateWindowS: 60 });
    try {
      const c = w.client();
      w.fake.setRateLimitRemaining(1);
      await c.getLeague(src.main.id);
      const before = w.fake.requests.length;
      const err = await rejects(
        c.getLeague(src.main.id),
        "rate_limited",
        /rate limit \(240 calls\) is spent/,
      );
      assert.ok(err.retryAt);
      assert.equal(w.fake.requests.length, before, "no request while the budget is spent");
      w.clock.t += 61_000;
      await c.getLeague(src.main.id);

      w.fake.fail({ on: "data", kind: "429" });
      await rejects(c.getLeague(src.main.id), "rate_limited", /429/);
    } finally {
      await w.close();
    }
  },
);

iracingTest("full logins: iRacing's 429 and the client's own hourly budget", async (src) => {
  const w = await world(src, { loginsPerHour: 1 });
  try {
    await w.client().getLeague(src.main.id);
    // The fake's budget (1 an hour) is spent: a forced login is refused with 429.
    await w.kv.delete(tokenKey(w.fake.credentials.username.toLowerCase()));
    await rejects(w.client().getLeague(src.main.id), "login_limited", /too many logins; try after/);

    // The client's own budget: with 2 logins recorded, a third is not even tried.
    const kv2 = await Deno.openKv(":memory:");
    const c2 = createIracingClient(kvTokenStore(kv2), {
      ...w.fake.credentials,
      oauthBase: w.fake.oauthBase,
      dataBase: w.fake.dataBase,
    }, {
      now: () => new Date(w.clock.t),
      loginsPerHour: 2,
    });
    await kv2.set(tokenKey(w.fake.credentials.username.toLowerCase()), {
      accessToken: "x",
      accessExpiresAt: 0,
      refreshToken: null,
      refreshExpiresAt: null,
      logins: [w.clock.t - 60_000, w.clock.t - 30_000],
    });
    const n = w.fake.requests.length;
    await rejects(c2.getLeague(src.main.id), "login_limited", /2 logins in the last hour/);
    assert.equal(w.fake.requests.length, n);
    kv2.close();
  } finally {
    await w.close();
  }
});

iracingTest("wrong credentials name the variables to check", async (src) => {
  const w = await world(src);
  try {
    const bad = createIracingClient(kvTokenStore(w.kv), {
      ...w.fake.credentials,
      password: "wrong",
      oauthBase: w.fake.oauthBase,
      dataBase: w.fake.dataBase,
    }, { now: () => new Date(w.clock.t) });
    await rejects(
      bad.getLeague(src.main.id),
      "login_failed",
      /access_denied.*IRACING_USERNAME and IRACING_PASSWORD/,
    );
    const badSecret = createIracingClient(kvTokenStore(w.kv), {
      ...w.fake.credentials,
      clientSecret: "wrong",
      oauthBase: w.fake.oauthBase,
      dataBase: w.fake.dataBase,
    }, { now: () => new Date(w.clock.t) });
    await rejects(
      badSecret.getLeague(src.main.id),
      "login_failed",
      /IRACING_CLIENT_ID and IRACING_CLIENT_SECRET/,
    );
    const nowhere = createIracingClient(kvTokenStore(w.kv), {
      ...w.fake.credentials,
      oauthBase: "http://127.0.0.1:9/oauth2",
      dataBase: "http://127.0.0.1:9",
    }, { now: () => new Date(w.clock.t) });
    await rejects(nowhere.getLeague(src.main.id), "network", /Cannot reach iRacing/);
  } finally {
    await w.close();
  }
});

iracingTest("concurrent calls in one process share one login", async (src) => {
  const w = await world(src);
  try {
    const c = w.client();
    await Promise.all([c.getLeague(src.main.id), c.getLeague(src.licensed.id), c.getLeague(src.single.id)]);
    assert.equal(w.fake.stats.logins, 1);
  } finally {
    await w.close();
  }
});
