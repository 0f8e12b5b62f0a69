/** The result-file formats Podium reads, tried in order. A new game adds its module here. */
import { acFormat } from "@/games/ac/parser.ts";
import { accFormat } from "@/games/acc/parser.ts";
import { etlFormat } from "@/games/etl/parser.ts";
import type { FileOutcome, ResultFormat } from "@/games/racing/types.ts";
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
