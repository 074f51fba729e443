import type { Context } from "hono";
import { badRequest } from "./errors.ts";
import { type FilterExpr, parseFilter } from "./filter.ts";

/** One `$expand` entry, e.g. `singleValueExtendedProperties($filter=id eq '...')` or `x($select=a,b)`. */
export interface ExpandItem {
  property: string;
  filter?: FilterExpr;
  select?: string[];
}

/** The OData query options of a request, parsed. */
export interface ODataQuery {
  select?: string[];
  top?: number;
  skip?: number;
  filter?: FilterExpr;
  expand: ExpandItem[];
}

/** A query option with or without its `$` (Graph v1.0 accepts both). */
export function queryOption(c: Context, name: string): string | undefined {
  return c.req.query(`$${name}`) ?? c.req.query(name) ?? undefined;
}

/** Parses `$select`, `$top`, `$skip`, `$filter` and `$expand`; malformed values answer 400. */
export function parseODataQuery(c: Context): ODataQuery {
  const select = queryOption(c, "select")?.split(",").map((s) => s.trim()).filter(Boolean);
  const top = intOption(c, "top");
  const skip = intOption(c, "skip");
  const filterText = queryOption(c, "filter");
  const expandText = queryOption(c, "expand");
  return {
    select,
    top,
    skip,
    filter: filterText ? parseFilter(filterText) : undefined,
    expand: expandText ? parseExpand(expandText) : [],
  };
}

function intOption(c: Context, name: string): number | undefined {
  const raw = queryOption(c, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw badRequest(`Invalid value '${raw}' for query option '$${name}'.`, "BadRequest");
  }
  return n;
}

/** Splits `a($filter=x),b` at top-level commas and reads each entry's nested `$filter`. */
export function parseExpand(text: string): ExpandItem[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = "";
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === "(") depth++;
    if (!quoted && ch === ")") depth--;
    if (!quoted && depth === 0 && ch === ",") (parts.push(cur), cur = "");
    else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => {
    const m = /^\s*([\w/.]+)\s*(?:\((.*)\))?\s*$/s.exec(p);
    if (!m) throw badRequest(`Invalid $expand clause '${p}'.`);
    const item: ExpandItem = { property: m[1]! };
    // Nested options are separated by ';' (OData): `$filter=...;$select=a,b`.
    for (const option of splitTopLevel(m[2] ?? "", ";").map((o) => o.trim()).filter(Boolean)) {
      const f = /^\$?filter=(.*)$/is.exec(option);
      const sel = /^\$?select=(.*)$/is.exec(option);
      if (f) item.filter = parseFilter(f[1]!);
      else if (sel) item.select = sel[1]!.split(",").map((x) => x.trim()).filter(Boolean);
      else throw badRequest(`Unsupported nested option in $expand: '${option}'.`);
    }
    return item;
  });
}

function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = "";
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === "(") depth++;
    if (!quoted && ch === ")") depth--;
    if (!quoted && depth === 0 && ch === sep) (parts.push(cur), cur = "");
    else cur += ch;
  }
  parts.push(cur);
  return parts;
}
