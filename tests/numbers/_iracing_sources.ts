/**
 * The two sources of the fake iRacing's answers, for tests that run on both: the real samples
 * (shared/samples/iracing) and the generated answers of the same shapes (fixtures/iracing.ts).
 * `iracingTest(name, fn)` registers the body twice: on the samples under `name` (a sample test,
 * listed in tests/_sample_twins.ts with this file as its twin) and on the generated answers under
 * `name (generated answers)`, which a fresh clone runs.
 */
import { GENERATED_LEAGUES, generatedIracingAnswers, type IracingAnswers } from "@/fixtures/iracing.ts";
import { sampleIracingAnswers } from "@/tests/fakes/_iracing_samples.ts";
import { sampleTest } from "@/tests/_samples.ts";

/** A league a test reads, and what the source knows about it. */
export interface SourceLeague {
  id: number;
  name: string;
  members: number;
}

/** A source of answers, with the leagues the tests read. */
export interface IracingSource {
  kind: "samples" | "generated";
  /** Fresh answers for a fake (`startFakeIracing({answers})`). */
  answers(): IracingAnswers;
  /** The main league: numbers as text, one member without a number. */
  main: SourceLeague & { member: { custId: number; carNumber: string } };
  /** The league with licences. */
  licensed: SourceLeague;
  /** The one-member league. */
  single: SourceLeague;
}

/** The real samples: WTEC Championship (7058), Missed Apex iRacing (10651), Adrian's Test League (8234). */
export const SAMPLES: IracingSource = {
  kind: "samples",
  answers: sampleIracingAnswers,
  main: { id: 7058, name: "WTEC Championship", members: 19, member: { custId: 534062, carNumber: "8" } },
  licensed: { id: 10651, name: "Missed Apex iRacing", members: 60 },
  single: { id: 8234, name: "Adrian's Test League", members: 1 },
};

const { main, licensed, single } = GENERATED_LEAGUES;
const mainRoster = generatedIracingAnswers().leagues.get(main.id)!.roster as {
  cust_id: number;
  car_number: string | null;
}[];
const leadingZero = mainRoster.find((m) => m.car_number === "07")!;

/** The generated answers (fixtures/iracing.ts). */
export const GENERATED: IracingSource = {
  kind: "generated",
  answers: generatedIracingAnswers,
  main: { ...main, member: { custId: leadingZero.cust_id, carNumber: "07" } },
  licensed: { ...licensed },
  single: { ...single },
};

/** The suffix of a test's generated-answers twin. */
export const GENERATED_SUFFIX = " (generated answers)";

/** Registers `fn` on the samples (as a sample test) and on the generated answers. */
export function iracingTest(name: string, fn: (src: IracingSource) => Promise<void>): void {
  sampleTest(name, () => fn(SAMPLES));
  Deno.test(name + GENERATED_SUFFIX, () => fn(GENERATED));
}
