/** The result-file formats Podium reads, tried in order. A new game adds its module here. */
import { acFormat } from "@/games/ac/parser.ts";
import { accFormat } from "@/games/acc/parser.ts";
import { etlFormat } from "@/games/etl/parser.ts";
import type { FileOutcome, ResultFormat } from "@/games/racing/types.ts";

export const FORMATS: readonly ResultFormat<FileOutcome>[] = [accFormat, acFormat, etlFormat];
