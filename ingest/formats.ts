/** The result-file formats Podium reads, tried in order. A new game adds its module here. */
import { acFormat } from "@/ingest/ac.ts";
import { accFormat } from "@/ingest/acc.ts";
import { etlFormat } from "@/ingest/etl.ts";
import type { FileOutcome, ResultFormat } from "@/ingest/types.ts";
import { isEndstatsName, parseEndstatsText } from "@/games/etl/endstats.ts";

/** ET:Legacy endstats.lua files (`...-round-N-endstats.txt`): awards and VS rows of a round. */
export const etlEndstatsFormat: ResultFormat<FileOutcome> = {
  id: "etl-endstats",
  detect: (_text, file) => isEndstatsName(file.name),
  parse(text, file) {
    try {
      return { status: "etl_endstats", endstats: parseEndstatsText(text, file.name) };
    } catch (err) {
      return { status: "rejected", reason: `ET:Legacy endstats: ${(err as Error).message}` };
    }
  },
};

export const FORMATS: readonly ResultFormat<FileOutcome>[] = [
  etlEndstatsFormat,
  accFormat,
  acFormat,
  etlFormat,
];
