import assert from "node:assert/strict";
import { loadConfig, parseConfigFile } from "@/config.ts";
import { globToRegExp, privateKeyFrom } from "@/ingest/ssh_poll.ts";

const FP = "SHA256:6A0/ZwUcCcSqJUJsBynlbadYslFHWACgPFB1flBerKs";
const SOURCE = {
  id: "etl",
  server: "etl-main",
  host: "etl.example.org",
  user: "et",
  privateKeyEnv: "PODIUM_SSH_KEY_ETL",
  remoteDir: "/home/et/legacy/gamestats",
  pattern: "*.txt",
  hostKeyFingerprint: FP,
};

Deno.test("parseConfigFile() reads SSH sources with defaults, and a server's secretEnv", () => {
  const c = parseConfigFile({
    servers: [{ id: "acc-eu", game: "acc", secretEnv: "ACC_PUSH_SECRET" }],
    sshSources: [SOURCE],
  }, "c.json");
  assert.equal(c.servers[0]!.secretEnv, "ACC_PUSH_SECRET");
  assert.equal(c.sshSources[0]!.port, 22);
  assert.equal(c.sshSources[0]!.timeZone, undefined);
  assert.throws(
    () => parseConfigFile({ sshSources: [{ ...SOURCE, hostKeyFingerprint: "ab:cd" }] }, "c.json"),
    /sshSources\[0\]\.hostKeyFingerprint: as `ssh-keygen -lf` prints it/,
  );
  assert.throws(
    () => parseConfigFile({ sshSources: [SOURCE, SOURCE] }, "c.json"),
    /SSH source ids must be unique/,
  );
  assert.throws(
    () => parseConfigFile({ servers: [{ id: "a", game: "acc", secretEnv: "NOT-A-VAR" }] }, "c.json"),
    /secretEnv: an environment variable name/,
  );
});

Deno.test("loadConfig() stops when an SSH source's key variable is not set", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(path, JSON.stringify({ sshSources: [SOURCE] }));
  const vars: Record<string, string> = { PODIUM_CONFIG: path };
  assert.throws(
    () => loadConfig((n) => vars[n]),
    /SSH source "etl" needs its private key in PODIUM_SSH_KEY_ETL/,
  );
  vars.PODIUM_SSH_KEY_ETL = "-----BEGIN OPENSSH PRIVATE KEY-----\n...";
  assert.equal(loadConfig((n) => vars[n]).sshSources.length, 1);
  await Deno.remove(path);
});

Deno.test("globToRegExp() matches * and ? and nothing else specially", () => {
  assert.ok(globToRegExp("*.txt").test("2024-04-16-220731-te_escape2-round-1.txt"));
  assert.ok(!globToRegExp("*.txt").test("notes.txt.bak"));
  assert.ok(globToRegExp("round-?.json").test("round-1.json"));
  assert.ok(!globToRegExp("a.b").test("axb"));
});

Deno.test("privateKeyFrom() takes PEM text, PEM with literal \\n, or base64 of it", () => {
  const pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n";
  assert.equal(privateKeyFrom(pem), pem);
  assert.equal(privateKeyFrom(pem.replace(/\n/g, "\\n")), pem);
  assert.equal(privateKeyFrom(btoa(pem)), pem);
});
