/**
 * Pages of long lists: the one mechanism every list reply uses (`/records <kind>`, `/leaders`,
 * `/roster`, `/et top`, `/et stats`, `/standings`, `/event`). A reply shows one page and ◀ / ▶
 * buttons whose `custom_id` carries the state and the page asked for; the click comes back as a
 * signed interaction (discord/verify.ts, like every other), and the handler recomputes the list
 * from the store and clamps the page: a forged or stale page 99 of a 7-page list shows page 7 of
 * 7, never "page 50 of 7".
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow } from "discord-api-types/v10";

/** No list shows more pages than this (a 500-line board is 50 pages of 10). */
export const MAX_PAGES = 50;

/** How many pages `total` items make at `per` a page: at least 1, at most `max`. */
export function pageCount(total: number, per: number, max = MAX_PAGES): number {
  return Math.min(max, Math.max(1, Math.ceil(total / per)));
}

/** A page asked for (any integer, forged or stale), as one that exists: 0 to `pages - 1`. */
export function clampPage(page: number, pages: number): number {
  if (!Number.isFinite(page)) return 0;
  return Math.max(0, Math.min(Math.trunc(page), pages - 1));
}

/** One page of a list: its items, the clamped page (0-based) and the page count. */
export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  /** Every item of the list (the pages may show fewer when capped at MAX_PAGES). */
  total: number;
}

/** The page `page` of `all`, `per` items a page, clamped. */
export function pageOf<T>(all: readonly T[], page: number, per: number): Page<T> {
  const pages = pageCount(all.length, per);
  const p = clampPage(page, pages);
  return { items: all.slice(p * per, (p + 1) * per), page: p, pages, total: all.length };
}

/** "page 2 of 7" (1-based, as people count). */
export function pageLabel(p: { page: number; pages: number }): string {
  return `page ${p.page + 1} of ${p.pages}`;
}

/** Page buttons whose custom_id carries the state; none when there is one page. */
export function pager(
  id: string,
  state: (page: number) => string,
  page: number,
  pages: number,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  if (pages <= 1) return [];
  // custom_id is at most 100 characters: a state too long for it gets no buttons, not a 400.
  if (`${id}:${state(pages)}#`.length > 100) return [];
  return [{
    type: 1,
    components: [
      { type: 2, style: 2, label: "◀ Previous", custom_id: `${id}:${state(page - 1)}`, disabled: page <= 0 },
      {
        type: 2,
        style: 2,
        label: `${page + 1} / ${pages}`,
        custom_id: `${id}:${state(page)}#`,
        disabled: true,
      },
      {
        type: 2,
        style: 2,
        label: "Next ▶",
        custom_id: `${id}:${state(page + 1)}`,
        disabled: page >= pages - 1,
      },
    ],
  }];
}
