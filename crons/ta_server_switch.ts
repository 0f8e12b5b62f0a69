/**
 * Switches the time-attack AC server to the current event over SSH, as the seed's
 * update_server.py did: the event's keys into `server_cfg.ini` (everything else kept), a fresh
 * `entry_list.ini`, then the configured restart command. Run by the rotation after it recorded a
 * change; the state remembers which event the server was last switched to, so a failed switch is
 * tried again at the next run and a successful one never twice.
 */
import type { TimeAttackConfig } from "@/config.ts";
import { editServerCfg, entryList, type ServerEvent, serverKeys } from "@/games/ac/server_cfg.ts";

/** The SSH calls a switch makes (a subset of lib/ssh.ts `SshSession`). */
export interface SwitchSession {
  read(path: string): Promise<Uint8Array>;
  write(path: string, bytes: Uint8Array): Promise<void>;
  exec(cmd: string): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Where to log in (lib/ssh.ts `SshTarget`). */
export interface SwitchTarget {
  host: string;
  port: number;
  user: string;
  privateKey: string;
  hostKeyFingerprint: string;
}

/** Opens an SSH session (lib/ssh.ts `connectSsh`). */
export type ConnectSsh = (target: SwitchTarget) => Promise<SwitchSession>;

type SwitchConfig = NonNullable<TimeAttackConfig["serverSwitch"]>;

/** The login of a switch config, the key read from its environment variable. */
export function switchTarget(
  sw: SwitchConfig,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): SwitchTarget {
  const privateKey = env(sw.privateKeyEnv);
  if (!privateKey) {
    throw new Error(`Cannot switch the time-attack server: set ${sw.privateKeyEnv} to the SSH private key`);
  }
  return {
    host: sw.host,
    port: sw.port,
    user: sw.user,
    privateKey,
    hostKeyFingerprint: sw.hostKeyFingerprint,
  };
}

/** Writes the event's server files and restarts the server; throws with the command's output on failure. */
export async function switchServer(
  session: SwitchSession,
  sw: SwitchConfig,
  event: { track: string; layout: string; cars: string[] },
): Promise<void> {
  const dir = sw.cfgDir.replace(/\/+$/, "");
  const e: ServerEvent = { track: event.track, layout: event.layout, cars: event.cars, slots: sw.slots };
  if (sw.name !== undefined) e.name = sw.name;
  const cfgPath = `${dir}/server_cfg.ini`;
  const text = new TextDecoder().decode(await session.read(cfgPath));
  const enc = new TextEncoder();
  await session.write(cfgPath, enc.encode(editServerCfg(text, serverKeys(e))));
  await session.write(`${dir}/entry_list.ini`, enc.encode(entryList(e)));
  const res = await session.exec(sw.restartCommand);
  if (res.code !== 0) {
    const said = (res.stderr || res.stdout).trim().slice(0, 300);
    throw new Error(
      `Restart command "${sw.restartCommand}" exited with ${res.code}${said ? `: ${said}` : ""}`,
    );
  }
}
