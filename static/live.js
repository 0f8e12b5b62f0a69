// Live timing page (routes/site/live/mod.tsx): refreshes the table from /api/live/<server> every
// two seconds. Text only (textContent), never markup from the server's data.
(() => {
  const table = document.getElementById("live-table");
  if (!table) return;
  const server = table.dataset.server;
  const body = table.tBodies[0];
  const line = document.getElementById("live-session");
  const updated = document.getElementById("live-updated");
  const kinds = { FP: "Practice", Q: "Qualifying", R: "Race" };
  const pad = (n, w) => String(n).padStart(w, "0");
  const lap = (ms) => `${Math.floor(ms / 60000)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}`;
  const cell = (tr, text, cls) => {
    const td = tr.insertCell();
    if (cls) td.className = cls;
    if (text instanceof Node) td.append(text);
    else td.textContent = text;
    return td;
  };
  const render = (v) => {
    const s = v.session;
    if (line) {
      line.textContent = s
        ? `${kinds[s.kind] ?? s.kind} (${s.name}) at ${s.trackName}` +
          (s.endedAt
            ? `, ended ${new Date(s.endedAt).toLocaleTimeString()}`
            : `, started ${new Date(s.startedAt).toLocaleTimeString()}`)
        : "No session seen yet: the table fills in when the server starts one.";
    }
    const rows = document.createDocumentFragment();
    v.cars.forEach((c, i) => {
      const tr = document.createElement("tr");
      cell(tr, c.bestLapMs === null ? "" : String(i + 1));
      let who = c.driver || `Car ${c.carId}`;
      if (c.guid) {
        const a = document.createElement("a");
        a.href = `/drivers/${encodeURIComponent(c.guid)}`;
        a.textContent = c.driver || c.guid;
        who = a;
      }
      cell(tr, who);
      cell(tr, c.carName ?? "", "opt");
      cell(tr, String(c.laps), "num");
      cell(tr, c.bestLapMs === null ? "" : lap(c.bestLapMs), "num");
      const cuts = c.lastCuts ? ` (${c.lastCuts} cut${c.lastCuts === 1 ? "" : "s"})` : "";
      cell(tr, c.lastLapMs === null ? "" : lap(c.lastLapMs) + cuts, "num");
      cell(tr, c.connected ? "on the server" : "left");
      rows.append(tr);
    });
    body.replaceChildren(rows);
    if (updated) updated.textContent = `Updates by itself; checked ${new Date().toLocaleTimeString()}`;
  };
  const tick = async () => {
    try {
      const res = await fetch(`/api/live/${encodeURIComponent(server)}`, { cache: "no-store" });
      if (res.ok) render(await res.json());
    } catch { /* offline for a moment: try again at the next tick */ }
    setTimeout(tick, document.hidden ? 10000 : 2000);
  };
  setTimeout(tick, 2000);
})();
