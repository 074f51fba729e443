import type { Context } from "hono";

/** What the request's `Prefer` header(s) asked for. */
export interface Preferences {
  /** `odata.maxpagesize=N`. */
  maxPageSize?: number;
  /** `IdType="ImmutableId"`: answer with immutable ids (graph-facts §3.1). */
  immutableId: boolean;
  /** `outlook.timezone="..."`, for the calendar module. */
  timeZone?: string;
  /** `outlook.body-content-type="text|html"`. */
  bodyContentType?: string;
  /** `return=minimal` / `return=representation`. */
  returnPreference?: string;
  /** Every preference by lower-case name, unquoted values. */
  all: Map<string, string>;
}

/**
 * Parses `Prefer` values. Several preferences may share one header (comma-separated) or come in
 * several headers; Fetch joins repeated headers with ", " so one split covers both.
 */
export function parsePrefer(header: string | null | undefined): Preferences {
  const all = new Map<string, string>();
  for (const part of splitOutsideQuotes(header ?? "")) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name) continue;
    const value = eq < 0 ? "" : part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    all.set(name, value);
  }
  const size = Number(all.get("odata.maxpagesize"));
  return {
    maxPageSize: Number.isInteger(size) && size > 0 ? size : undefined,
    immutableId: (all.get("idtype") ?? "").toLowerCase() === "immutableid",
    timeZone: all.get("outlook.timezone") || undefined,
    bodyContentType: all.get("outlook.body-content-type") || undefined,
    returnPreference: all.get("return") || undefined,
    all,
  };
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/**
 * Adds preferences to the response's `Preference-Applied` header, keeping those already there
 * (paging, delta tracking, time zone and immutable ids are honoured by different layers).
 */
export function addPreferenceApplied(c: Context, ...prefs: string[]): void {
  const applied = (c.get("preferenceApplied") as string[] | undefined) ?? [];
  for (const p of prefs) if (!applied.includes(p)) applied.push(p);
  c.set("preferenceApplied", applied);
  if (applied.length) c.header("Preference-Applied", applied.join(", "));
}

/** `Preference-Applied` value for `Prefer: IdType="ImmutableId"` (outlook-immutable-id.md; field reports). */
export const IMMUTABLE_ID_APPLIED = 'IdType="ImmutableId"';
