/** Pieces several pages share. */
import { fastestOf } from "@/games/racing/best_lap.ts";
import { dateKnown, type StoredSession } from "@/kv/racing/sessions.ts";
import {
  day,
  driverHref,
  gameLabel,
  kindLabel,
  lapTime,
  sessionHref,
  trackHref,
} from "@/routes/site/_format.ts";

/** Who a session's list line names: the race winner, or the fastest driver of a qualifying or practice. */
function headline(s: StoredSession): { id: string; name: string; lapMs: number | null } | null {
  const cars = s.cars ?? [];
  if (s.kind === "R") {
    const winner = cars.find((c) => !c.disqualified);
    const d = winner?.drivers[0];
    return d ? { id: d.id, name: winner!.drivers.map((x) => x.name).join(" / "), lapMs: null } : null;
  }
  const best = fastestOf(cars);
  return best ? { id: best.driver.id, name: best.driver.name, lapMs: best.lapMs } : null;
}

/** A table of sessions, newest first. */
export function SessionList(props: { sessions: StoredSession[]; showTrack: boolean; label?: string }) {
  if (props.sessions.length === 0) return <p class="muted">No sessions yet.</p>;
  return (
    <div class="table-wrap" tabindex={0} role="region" aria-label={props.label ?? "Sessions"}>
      <table>
        <thead>
          <tr>
            <th scope="col">Finished</th>
            <th scope="col">Session</th>
            <th scope="col">Winner or fastest</th>
            <th scope="col" class="num opt">Cars</th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => {
            const h = headline(s);
            return (
              <tr>
                <td class="nowrap">
                  {dateKnown(s.timeSource)
                    ? (
                      <>
                        <a href={sessionHref(s.id)}>{day(s.finishedAt)}</a>
                        <span class="muted small after opt">{s.finishedAt.slice(11, 16)}</span>
                      </>
                    )
                    : <a href={sessionHref(s.id)} title="The file carried no date">date unknown</a>}
                </td>
                <td>
                  {props.showTrack && (
                    <a href={trackHref(s.game, s.track)} class="track-link">{s.trackName}</a>
                  )}
                  <span class={`tag kind-${s.kind}`}>{kindLabel(s.kind)}</span>
                  {props.showTrack && <span class="tag">{gameLabel(s.game)}</span>}
                  {s.wet && <span class="tag wet">wet</span>}
                </td>
                <td>
                  {h ? <a href={driverHref(h.id)}>{h.name}</a> : "–"}
                  {h?.lapMs != null && <span class="time muted after opt">{lapTime(h.lapMs)}</span>}
                </td>
                <td class="num opt">{s.cars?.length ?? "–"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The search box: a plain GET form, no script. */
export function SearchForm(props: { value?: string }) {
  return (
    <form class="search" role="search" action="/search" method="get">
      <label for="q">Find a driver, a track, a player, a map or an event</label>
      <div class="search-row">
        <input
          id="q"
          name="q"
          type="search"
          value={props.value ?? ""}
          placeholder="Name or track, e.g. Monza"
          autocomplete="off"
          maxlength={100}
        />
        <button type="submit">Search</button>
      </div>
    </form>
  );
}
