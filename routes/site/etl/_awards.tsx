/** The awards of a round (its endstats file) on the round page: awards, then the VS rows. */
import type { RoundAwards } from "@/kv/etl/endstats.ts";
import { playerHref } from "@/routes/site/etl/_parts.tsx";

function Who(props: { name: string; guid: string | null }) {
  return props.guid ? <a href={playerHref(props.guid)}>{props.name}</a> : <span>{props.name}</span>;
}

/** The awards section (nothing when the round has no endstats file). */
export function AwardsSection(props: { awards: RoundAwards | null }) {
  const a = props.awards;
  if (!a) return null;
  return (
    <>
      <h2 id="round-awards">Awards</h2>
      {a.awards.length === 0 ? <p>No awards in this round's endstats file.</p> : (
        <div class="table-wrap">
          <table aria-labelledby="round-awards">
            <thead>
              <tr>
                <th scope="col">Award</th>
                <th scope="col">Player</th>
                <th scope="col" class="num">Value</th>
              </tr>
            </thead>
            <tbody>
              {a.awards.map((w) => (
                <tr>
                  <td>{w.award}</td>
                  <td>
                    <Who name={w.name} guid={w.guid} />
                  </td>
                  <td class="num">{w.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {a.vs.length > 0 && (
        <>
          <h3 id="round-vs">Kills and deaths against each opponent</h3>
          <div class="table-wrap">
            <table aria-labelledby="round-vs">
              <thead>
                <tr>
                  <th scope="col">Player</th>
                  <th scope="col">Opponent</th>
                  <th scope="col" class="num">Kills</th>
                  <th scope="col" class="num">Deaths</th>
                </tr>
              </thead>
              <tbody>
                {a.vs.map((v) => (
                  <tr>
                    <td>{v.of === null ? "?" : <Who name={v.of} guid={v.ofGuid} />}</td>
                    <td>
                      <Who name={v.name} guid={v.guid} />
                    </td>
                    <td class="num">{v.kills}</td>
                    <td class="num">{v.deaths}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
