/**
 * A real OpenSSH sshd on a loopback port, for every SSH test: host and user keys generated with
 * ssh-keygen in a temp dir, key authentication only, SFTP through internal-sftp. Tests register
 * with `sshdTest()`: where /usr/sbin/sshd is absent they are skipped loudly, and with
 * PODIUM_REQUIRE_SSHD=1 (set by .ci/run) they fail instead.
 */
import { existsSync } from "node:fs";

const SSHD = Deno.env.get("PODIUM_SSHD") ?? "/usr/sbin/sshd";

/** True when a real sshd can be started here. */
export const sshdAvailable: boolean = existsSync(SSHD) && existsSync("/usr/bin/ssh-keygen");

const required = Deno.env.get("PODIUM_REQUIRE_SSHD") === "1";

/** A running sshd. */
export interface Sshd {
  host: string;
  port: number;
  /** The user the tests log in as (the one running them). */
  user: string;
  /** The user's private key, OpenSSH PEM text. */
  privateKey: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it ("SHA256:..."). */
  hostKeyFingerprint: string;
  /** A folder of the temp dir the tests may fill with remote files (an absolute path, as SFTP sees it). */
  root: string;
  /** Stops sshd and removes the temp dir. */
  close(): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

async function keypair(path: string): Promise<void> {
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "podium-test", "-f", path]);
}

/** The SHA-256 fingerprint of a public key file, from ssh-keygen itself. */
export async function fingerprintOf(pubPath: string): Promise<string> {
  return (await run("ssh-keygen", ["-lf", pubPath])).split(" ")[1]!;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitForPort(port: number, child: Deno.ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let exited = false;
  child.status.then(() => exited = true);
  for (;;) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      if (exited) throw new Error(`sshd exited before listening: ${log()}`);
      if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port} within 10 s: ${log()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Starts sshd with fresh keys; `hostKey` reuses a host key file (to test a changed key, pass another). */
export async function startSshd(opts: { hostKey?: string } = {}): Promise<Sshd> {
  const dir = await Deno.makeTempDir({ prefix: "podium-sshd-" });
  const hostKey = opts.hostKey ?? `${dir}/host_ed25519`;
  if (!opts.hostKey) await keypair(hostKey);
  await keypair(`${dir}/user_ed25519`);
  await Deno.copyFile(`${dir}/user_ed25519.pub`, `${dir}/authorized_keys`);
  const root = `${dir}/files`;
  await Deno.mkdir(root);
  const port = freePort();
  const config = [
    "ListenAddress 127.0.0.1",
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    `PidFile ${dir}/sshd.pid`,
    "UsePAM no",
    "StrictModes no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "Subsystem sftp internal-sftp",
    "MaxStartups 100",
    "LogLevel ERROR",
  ].join("\n");
  await Deno.writeTextFile(`${dir}/sshd_config`, config + "\n");
  // sshd's privilege separation needs this folder when it runs as root.
  if (Deno.uid() === 0) await Deno.mkdir("/run/sshd", { recursive: true });
  const child = new Deno.Command(SSHD, {
    args: ["-D", "-e", "-f", `${dir}/sshd_config`],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let log = "";
  (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) log += chunk;
  })().catch(() => {});
  await waitForPort(port, child, () => log);
  const user = Deno.env.get("USER") ?? (Deno.uid() === 0 ? "root" : (await run("id", ["-un"])).trim());
  return {
    host: "127.0.0.1",
    port,
    user,
    privateKey: await Deno.readTextFile(`${dir}/user_ed25519`),
    hostKeyFingerprint: await fingerprintOf(`${hostKey}.pub`),
    root,
    close: async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Registers a test that needs a real sshd (started for it and stopped after). Skipped loudly when
 * sshd is absent; failing instead when PODIUM_REQUIRE_SSHD=1.
 */
export function sshdTest(name: string, fn: (sshd: Sshd, t: Deno.TestContext) => Promise<void>): void {
  const skip = !sshdAvailable && !required;
  if (skip) console.warn(`SKIPPED (no ${SSHD}; install openssh-server): ${name}`);
  Deno.test({
    name,
    ignore: skip,
    fn: async (t) => {
      if (!sshdAvailable) {
        throw new Error(
          `Cannot run "${name}": PODIUM_REQUIRE_SSHD=1 but there is no ${SSHD} (apt-get install openssh-server)`,
        );
      }
      const sshd = await startSshd();
      try {
        await fn(sshd, t);
      } finally {
        await sshd.close();
      }
    },
  });
}
