/** The cold-start floor for bench/discord_http.ts: a Deno process that only listens and answers. */
Deno.serve({
  port: Number(Deno.env.get("PORT")),
  onListen: ({ port }) => console.log(`listening on ${port}`),
}, () => Response.json({ type: 4 }));
