/**
 * Who a session's drivers are on the boards: their own id, or the person they were merged into
 * (kv/people/). A regrouping still under way that has not reached this track is finished for the
 * track here, in the import's own commit (kv/racing/regroup_boards.ts).
 */
import type { NormalizedSession } from "@/games/racing/types.ts";
import { peopleOpKey, personOfKey } from "@/kv/people/keys.ts";
import type { PeopleOp, PersonOf } from "@/kv/people/types.ts";
import { sameTrack } from "@/kv/people/types.ts";
import type { Candidate, DriverAcc } from "@/kv/racing/_summary.ts";
import type { DriverProfile } from "@/kv/racing/drivers.ts";
import { driverKey, driverShardKey } from "@/kv/racing/keys.ts";
import { regroupTrack } from "@/kv/racing/regroup_boards.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** A session's people: the drivers counted as a person, and each person's share of the session. */
export interface SessionPeople {
  merged: Set<string>;
  persons: Map<string, DriverAcc>;
}

function addInto(into: DriverAcc, a: DriverAcc): void {
  into.laps += a.laps;
  into.validLaps += a.validLaps;
  a.sectors.forEach((ms, i) => {
    const cur = into.sectors[i];
    if (ms !== null && (cur === undefined || cur === null || ms < cur)) into.sectors[i] = ms;
  });
  for (const [cls, c] of a.best) {
    const old = into.best.get(cls);
    if (!old || c.lapMs < old.lapMs || (c.lapMs === old.lapMs && c.seq < old.seq)) {
      into.best.set(cls, { ...c, driver: into.ref } satisfies Candidate);
    }
  }
}

/** Resolves the session's drivers to board subjects (person_of was prefetched by the caller). */
export async function boardSubjects(
  txn: KvTxn,
  s: NormalizedSession,
  drivers: Map<string, DriverAcc>,
): Promise<SessionPeople> {
  const out: SessionPeople = { merged: new Set(), persons: new Map() };
  const track = { game: s.game, track: s.track, kind: s.kind };
  const seenOps = new Set<string>();
  for (const [driverId, acc] of drivers) {
    const of = await txn.get<PersonOf>(personOfKey("driver", driverId));
    if (!of) continue;
    if (of.op && !seenOps.has(of.op)) {
      seenOps.add(of.op);
      const op = await txn.get<PeopleOp>(peopleOpKey(of.op), { check: true });
      if (op && op.remaining.some((t) => sameTrack(t, track))) {
        await regroupTrack(txn, op, track);
        txn.set(peopleOpKey(op.id), { ...op, remaining: op.remaining.filter((t) => !sameTrack(t, track)) });
      }
    }
    if (of.boardId === driverId) continue;
    out.merged.add(driverId);
    let person = out.persons.get(of.boardId);
    if (!person) {
      await txn.get(driverShardKey(of.boardId), { check: true });
      const profile = await txn.get<DriverProfile>(driverKey(of.boardId));
      person = {
        ref: { id: of.boardId, name: profile?.name ?? of.boardId },
        laps: 0,
        validLaps: 0,
        sectors: [],
        best: new Map(),
      };
      out.persons.set(of.boardId, person);
    }
    addInto(person, acc);
  }
  return out;
}
