/** The result-file formats Podium reads, tried in order. A new game adds its module here. */
import { acFormat } from "@/ingest/ac.ts";
import { accFormat } from "@/ingest/acc.ts";
import { etlFormat } from "@/ingest/etl.ts";
import type { FileOutcome, ResultFormat } from "@/ingest/types.ts";

export const FORMATS: readonly ResultFormat<FileOutcome>[] = [accFormat, acFormat, etlFormat];
