/**
 * The delivery mode the delivery tests run in: KV queues as wake-ups (default), or none with
 * `PODIUM_QUEUES=off` (as on today's Deno Deploy). .ci/run runs the delivery tests in both.
 */
export const QUEUES: boolean = Deno.env.get("PODIUM_QUEUES") !== "off";
