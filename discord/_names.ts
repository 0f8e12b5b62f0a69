/** The name index as Discord reads it (kv/racing/names.ts). */
export { type NameHit, searchNames } from "@/kv/racing/names.ts";
