/** What a site section exports: a Hono sub-app, where it is mounted, and its nav entry. */
import type { Hono } from "hono";
import type { NavEntry, SiteEnv } from "@/routes/site/_layout.tsx";

/**
 * A folder under routes/site/ (`routes/site/<section>/mod.tsx`) exports one of these; one line in
 * routes/site/mod.ts mounts it. Its routes are relative to `base`.
 */
export interface Section {
  /** Where the app is mounted ("/tracks"); "/" is the home page's alone (it serves "/" only). */
  base: string;
  /** Absent for sections reached only through links (a driver page, a session page). */
  nav?: NavEntry;
  // deno-lint-ignore no-explicit-any
  app: Hono<SiteEnv, any, any>;
  /** Pages that change without an import (car numbers): never answered from the page cache. */
  live?: boolean;
}
