import assert from "node:assert/strict";
import { maskSecret, startFakeIracing } from "@/tests/fakes/iracing.ts";
import { iracingTest } from "@/tests/numbers/_iracing_sources.ts";

/** The fake must refuse what iRacing refuses, or the client's tests prove nothing. */
iracingTest(
  "the fake iRacing keeps iRacing's rules: masking, form encoding, bearer tokens, S3 hops",
  async (src) => {
    // A secret whose masked form has a "+", which form encoding must turn into %2B.
    let secret = 0;
    while (!(await maskSecret(`fake-secret-${secret}`, "podium-fake-client")).includes("+")) secret++;
    const fake = startFakeIracing({ clientSecret: `fake-secret-${secret}`, answers: src.answers() });
    try {
      const { clientId, clientSecret, username, password } = fake.credentials;
      const post = (fields: Record<string, string>, raw?: string) =>
        fetch(`${fake.oauthBase}/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: raw ?? new URLSearchParams(fields).toString(),
        });
      const login = {
        grant_type: "password_limited",
        client_id: clientId,
        client_secret: await maskSecret(clientSecret, clientId),
        username,
        password: await maskSecret(password, username),
        scope: "iracing.auth iracing.profile",
      };
      // The password in clear, the secret in clear, no scope: all refused.
      let res = await post({ ...login, password });
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error, "access_denied");
      res = await post({ ...login, client_secret: clientSecret });
      assert.equal((await res.json()).error, "unauthorized_client");
      res = await post({ ...login, scope: "iracing.profile" });
      assert.equal((await res.json()).error, "invalid_scope");
      // Form data not percent-encoded: base64's "+" arrives as a space and the secret no longer matches.
      const unencoded = Object.entries(login).map(([k, v]) => `${k}=${v}`).join("&");
      res = await post({}, unencoded);
      assert.equal(res.status, 401);

      res = await post(login);
      assert.equal(res.status, 200);
      const token = await res.json();
      assert.equal(token.expires_in, 600);

      // Data calls need the bearer token and carry the rate-limit headers.
      res = await fetch(`${fake.dataBase}/data/league/get?league_id=${src.main.id}`);
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { error: "Unauthorized" });
      res = await fetch(`${fake.dataBase}/data/league/get?league_id=${src.main.id}`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      assert.equal(res.headers.get("x-ratelimit-limit"), "240");
      const { link, expires } = await res.json();
      assert.ok(Date.parse(expires) > Date.now());
      // The S3 hop refuses a second auth mechanism, and serves the league without it.
      res = await fetch(link, { headers: { authorization: `Bearer ${token.access_token}` } });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /Only one auth mechanism allowed/);
      res = await fetch(link);
      assert.equal((await res.json()).league_name, src.main.name);
    } finally {
      await fake.close();
    }
  },
);
