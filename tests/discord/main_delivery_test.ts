import assert from "node:assert/strict";
import { accFile } from "@/tests/_acc_file.ts";
import { fromFileUrl } from "@/tests/_path.ts";
import { discordEnvFor, startFakeDiscord } from "@/tests/fakes/discord.ts";
import { waitFor } from "@/tests/discord/_delivery_env.ts";
import { readUntil } from "@/tests/_spawn.ts";

const MAIN = fromFileUrl(new URL("../../main.ts", import.meta.url));
const CLI = fromFileUrl(new URL("../../ingest/cli.ts", import.meta.url));
const RECORDS = "700000000000000001";

Deno.test("main.ts with Discord on posts a CLI backfill's record through DISCORD_API_BASE and reports it in /api/health", async () => {
  const dir = await Deno.makeTempDir();
  const discord = await startFakeDiscord({ channels: [RECORDS] });
  await Deno.writeTextFile(
    `${dir}/podium.json`,
    JSON.stringify({ discord: { channels: { records: RECORDS } } }),
  );
  const port = 20_000 + Math.floor(Math.random() * 2000);
  const env = {
    PORT: String(port),
    PODIUM_KV: `${dir}/kv.sqlite`,
    PODIUM_CONFIG: `${dir}/podium.json`,
    ...discordEnvFor(discord),
    NO_COLOR: "1",
  };
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const log = await readUntil(reader, "listening");
    reader.releaseLock();
    assert.doesNotMatch(log, /Discord is off/);
    await Deno.writeFile(
      `${dir}/260101_200000_Q.json`,
      accFile({ cars: [{ playerId: "S1", laps: [100_000] }] }),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, `${dir}/260101_200000_Q.json`],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    await waitFor(() => discord.channelMessages(RECORDS).length === 1, 15_000, "the post");
    await waitFor(
      async () => {
        const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
        return health.announcements.lastDelivered?.messageId === discord.messages[0]!.id;
      },
      5000,
      "/api/health to report the delivery",
    );
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    assert.equal(health.announcements.enabled, true);
    assert.equal(health.announcements.pending, 0);
  } finally {
    child.kill();
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await discord.close();
    await Deno.remove(dir, { recursive: true });
  }
});
