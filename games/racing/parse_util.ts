/** Helpers shared by the racing parsers (games/acc/parser.ts, games/ac/parser.ts). */
import type { z } from "zod";
import type { FileContext, ParseOutcome, TimeSource } from "@/games/racing/types.ts";

/** A file the parser turns down; the message is the rejection reason. */
export class Rejection extends Error {}

/** A `rejected` outcome with this reason. */
export function reject(reason: string): ParseOutcome {
  return { status: "rejected", reason };
}

/** Runs `parse`: a `Rejection` becomes its reason, any other error `<label> parser failed: …`. */
export function guardParse(label: string, parse: () => ParseOutcome): ParseOutcome {
  try {
    return parse();
  } catch (err) {
    if (err instanceof Rejection) return reject(err.message);
    return reject(`${label} parser failed: ${oneLine(String((err as Error)?.message ?? err))}`);
  }
}

/** Parses `text` as a JSON object; throws a `Rejection` when it is not JSON or not an object. */
export function parseJsonObject(text: string, label: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Rejection(`not valid JSON (${oneLine((err as Error).message)})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Rejection(`not ${label} result JSON: the top level is not an object`);
  }
  return json as Record<string, unknown>;
}

/** A zod error's first issue on `input` (`laps[2].carId is missing`), plus how many more there are. */
export function describeIssues(error: z.ZodError, input: unknown, quotePath = false): string {
  const issue = error.issues[0];
  if (!issue) return "unknown problem";
  let value: unknown = input;
  let path = "";
  for (const key of issue.path) {
    value = typeof value === "object" && value !== null
      ? (value as Record<PropertyKey, unknown>)[key]
      : undefined;
    path += typeof key === "number" ? `[${key}]` : `${path ? "." : ""}${String(key)}`;
  }
  let what = "is not valid";
  if (issue.code === "invalid_type") {
    const expected = issue.expected === "int" ? "integer" : issue.expected;
    what = value === undefined
      ? "is missing"
      : `is not ${/^[aeiou]/.test(expected) ? "an" : "a"} ${expected}`;
  } else if (issue.code === "custom") what = issue.message;
  else if (issue.code === "too_small" && typeof value === "string") what = "is empty";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  const where = !path ? "the top level" : quotePath ? `"${path}"` : path;
  return `${where} ${what}${more}`;
}

/** The last segment of a `/` or `\` separated path. */
export function baseName(name: string): string {
  const slash = Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\"));
  return slash >= 0 ? name.slice(slash + 1) : name;
}

/** A message on one line, cut to 120 characters. */
export function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** The finish time when the file does not say: its modification time, else now. */
export function fallbackTime(file: FileContext): { finishedAt: Date; timeSource: TimeSource } {
  if (file.modifiedAt) return { finishedAt: file.modifiedAt, timeSource: "file-mtime" };
  return { finishedAt: new Date(), timeSource: "import-time" };
}

/**
 * What one result file may hold at most. Real files stay far below (ACC grids are at most 82
 * cars, a busy hotlap server about 200 entrants); a file past any cap is refused before it is
 * validated, so a hostile 70,000-car file costs one JSON.parse, not a minute of work.
 */
export const FILE_CAPS = { cars: 500, driversPerCar: 16, laps: 100_000 } as const;

/** Throws a `Rejection` naming the field when `list` (an array at `path`) is longer than `cap`. */
export function checkCap(list: unknown, path: string, cap: number, what: string): void {
  if (Array.isArray(list) && list.length > cap) {
    throw new Rejection(`too many ${what}: "${path}" has ${list.length}, at most ${cap} are read`);
  }
}
