/** The result-file formats Podium reads, tried in order. A new game adds its module here. */
import { acFormat } from "@/games/ac/parser.ts";
import { accFormat } from "@/games/acc/parser.ts";
import { etlFormat } from "@/games/etl/parser.ts";
import type { FileFormat } from "@/games/format.ts";
import type { ParseOutcome } from "@/games/racing/types.ts";
import type { EtlOutcome } from "@/games/etl/parser.ts";
import { type EtlEndstats, isEndstatsName, parseEndstatsText } from "@/games/etl/endstats.ts";

/** The verdict on any file the pipeline reads: a racing session, or an ET:Legacy round or endstats file (kv/etl/ stores them). */
export type FileOutcome =
  | ParseOutcome
  | EtlOutcome
  | { status: "etl_endstats"; endstats: EtlEndstats };

/** ET:Legacy endstats.lua files (`...-round-N-endstats.txt`): awards and VS rows of a round. */
export const etlEndstatsFormat: FileFormat<FileOutcome> = {
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

export const FORMATS: readonly FileFormat<FileOutcome>[] = [
  etlEndstatsFormat,
  accFormat,
  acFormat,
  etlFormat,
];
