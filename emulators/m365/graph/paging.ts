import type { Context } from "hono";
import type { GraphEnv } from "./env.ts";
import { contextUrl, originOf } from "./odata.ts";
import { addPreferenceApplied } from "./prefer.ts";
import type { ODataQuery } from "./query.ts";

/**
 * The page size a list request gets: an injected oversize fault wins; else `$top`, else
 * `Prefer: odata.maxpagesize`, else Outlook's default of 10; never above 1000.
 */
export function pageSizeOf(c: Context<GraphEnv>, query: Pick<ODataQuery, "top">, fallback?: number): number {
  const oversize = c.get("oversizePage");
  if (oversize) return oversize;
  const cfg = c.get("ctx").config;
  const asked = query.top ?? c.get("prefer").maxPageSize ?? fallback ?? cfg.defaultPageSize;
  if (c.get("prefer").maxPageSize && query.top === undefined) {
    addPreferenceApplied(c, `odata.maxpagesize=${c.get("prefer").maxPageSize}`);
  }
  return Math.max(1, Math.min(asked, cfg.maxPageSize));
}

/**
 * Answers one page of an already filtered list with `@odata.context`, `value` and, when more
 * remain, an `@odata.nextLink` that repeats the request with `$skip` advanced.
 */
export function collectionPage<T>(
  c: Context<GraphEnv>,
  all: T[],
  query: ODataQuery,
  contextFragment: string,
  render: (x: T) => Record<string, unknown>,
): Response {
  const size = pageSizeOf(c, query);
  const skip = query.skip ?? 0;
  const slice = all.slice(skip, skip + size);
  const body: Record<string, unknown> = { "@odata.context": contextUrl(c, contextFragment), value: slice.map(render) };
  if (skip + size < all.length) {
    const url = new URL(c.req.url);
    const next = new URL(`${originOf(c)}${url.pathname}${url.search}`);
    next.searchParams.delete("skip");
    next.searchParams.set("$skip", String(skip + size));
    if (query.top !== undefined) next.searchParams.set("$top", String(size));
    body["@odata.nextLink"] = next.toString().replaceAll("%24", "$");
  }
  return c.json(body);
}
