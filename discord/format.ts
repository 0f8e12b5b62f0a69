/**
 * Kept for imports written before the text layer had its name: everything lives in
 * discord/text.ts, import from there.
 */
export * from "@/discord/text.ts";
