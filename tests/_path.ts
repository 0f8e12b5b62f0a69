import { fileURLToPath } from "node:url";

/** A file URL as a local path. */
export function fromFileUrl(url: URL | string): string {
  return fileURLToPath(url);
}
