// Request plumbing shared by the calendar routes: the mailbox's CalendarMailbox, render options
// from Prefer/$select/$expand, the time window, scopes, paging and Graph error mapping.
import type { Context, Hono } from "hono";
import type { EmulatorConfig } from "../config.ts";
import type { GraphEnv } from "../graph/env.ts";
import { accessDenied, badRequest, GraphError } from "../graph/errors.ts";
import { originOf } from "../graph/odata.ts";
import { pageSizeOf } from "../graph/paging.ts";
import { addPreferenceApplied, IMMUTABLE_ID_APPLIED } from "../graph/prefer.ts";
import { parseODataQuery } from "../graph/query.ts";
import type { DeltaTokens } from "../graph/delta_tokens.ts";
import type { EmulatorState } from "../state/state.ts";
import type { OutlookItem } from "../state/items.ts";
import { odataIdBaseOf, shapeItem } from "../graph/item_view.ts";
import { CalendarError } from "./errors.ts";
import { CalendarMailbox } from "./events.ts";
import type { EventView } from "./instances.ts";
import type { Window } from "./recurrence.ts";
import { renderEvent, type RenderOptions } from "./render.ts";
import { resolveZone } from "./time.ts";

/** What the calendar routes need from the emulator's context. */
export interface CalendarContext {
  state: EmulatorState;
  config: EmulatorConfig;
  deltaTokens: DeltaTokens;
}

export type GraphContext = Context<GraphEnv>;

/** The CalendarMailbox of the request's mailbox. */
export function calendarOf(c: GraphContext, ctx: CalendarContext): CalendarMailbox {
  return new CalendarMailbox(ctx.state, c.get("mailboxUser"));
}

/** Registers one handler for several paths (Graph's paths are case-insensitive; Hono's are not). */
export function route(
  r: Hono<GraphEnv>,
  method: "get" | "post" | "patch" | "delete",
  paths: string[],
  handler: (c: GraphContext) => Response | Promise<Response>,
): void {
  const all = new Set(paths.flatMap((p) => [p, p.toLowerCase()]));
  for (const p of all) r[method](p, (c) => mapErrors(() => handler(c)));
}

async function mapErrors(run: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CalendarError) throw new GraphError(e.status as 400, e.code, e.message);
    throw e;
  }
}

/** Calendars.Read for reads, Calendars.ReadWrite for writes (ReadWrite implies Read). */
export function requireScope(c: GraphContext, write: boolean): void {
  const scopes = c.get("principal").token.scopes.map((s) => s.toLowerCase());
  const ok = scopes.includes("calendars.readwrite") || (!write && scopes.includes("calendars.read"));
  if (!ok) throw accessDenied();
}

/** Render options from the request, and the preferences it applied (for `Preference-Applied`). */
export function renderOptions(
  c: GraphContext,
  o: { ownZone?: boolean } = {},
): { options: RenderOptions; applied: string[] } {
  const prefer = c.get("prefer");
  const zone = resolveZone(prefer.timeZone);
  const applied: string[] = [];
  if (zone) applied.push(`outlook.timezone="${zone.name}"`);
  if (prefer.immutableId) applied.push(IMMUTABLE_ID_APPLIED);
  const query = parseODataQuery(c);
  const exceptions = query.expand.find((e) => e.property.toLowerCase() === "exceptionoccurrences");
  // exceptionOccurrences comes "on $select and $expand" (event resource): either names it.
  const selectsExceptions = (query.select ?? []).some((s) => s.toLowerCase() === "exceptionoccurrences");
  return {
    options: {
      zone,
      ownZone: o.ownZone,
      immutableIds: prefer.immutableId,
      select: query.select,
      expandExceptions: !!exceptions || selectsExceptions,
      exceptionSelect: exceptions?.select,
    },
    applied,
  };
}

/** Renders a view; the core's shapeItem adds `$expand=singleValueExtendedProperties(...)`. */
export function renderWithExtensions(
  c: GraphContext,
  view: EventView,
  options: RenderOptions,
): Record<string, unknown> {
  const body = renderEvent(view, options);
  if (view.originalStartMs !== undefined) return body; // extended properties live on the master
  const expand = parseODataQuery(c).expand;
  return shapeItem(view.item as unknown as OutlookItem, body, {
    immutableIds: !!options.immutableIds,
    select: undefined,
    expand,
    odataIdBase: expand.length ? odataIdBaseOf(c) : undefined,
  });
}

/** Adds the honoured preferences to `Preference-Applied` (the core's paging adds its own). */
export function setPreferenceApplied(c: GraphContext, applied: string[]): void {
  addPreferenceApplied(c, ...applied);
}

/** `startDateTime`/`endDateTime` (names case-insensitive); no offset means UTC. */
export function requireWindow(c: GraphContext): Window {
  const q = new URL(c.req.url).searchParams;
  let start: string | undefined;
  let end: string | undefined;
  for (const [k, v] of q) {
    if (k.toLowerCase() === "startdatetime") start = v;
    if (k.toLowerCase() === "enddatetime") end = v;
  }
  if (!start || !end) {
    throw badRequest(
      "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
      "ErrorInvalidParameter",
    );
  }
  const window = { start: parseInstant(start), end: parseInstant(end) };
  if (Temporal.Instant.compare(window.start, window.end) > 0) {
    throw badRequest("The end of the time window is before its start.", "ErrorInvalidParameter");
  }
  return window;
}

function parseInstant(text: string): Temporal.Instant {
  const t = text.trim();
  try {
    if (/(Z|[+-]\d{2}:?\d{2})$/i.test(t)) return Temporal.Instant.from(t);
    return Temporal.PlainDateTime.from(t).toZonedDateTime("UTC").toInstant();
  } catch {
    throw badRequest(`The value '${text}' is not a valid date and time.`, "ErrorInvalidParameter");
  }
}

/**
 * `$top`/`$skip` paging of an already-filtered list, sized like every Outlook list by the core
 * (`$top`, else `odata.maxpagesize`, else 10; oversize fault wins); the nextLink repeats the URL
 * with `$skip` advanced.
 */
export function page<T>(c: GraphContext, all: T[]): { items: T[]; nextLink?: string } {
  const query = parseODataQuery(c);
  const size = pageSizeOf(c, { top: query.top });
  const skip = query.skip ?? 0;
  const items = all.slice(skip, skip + size);
  if (skip + size >= all.length) return { items };
  const url = new URL(c.req.url);
  url.searchParams.delete("skip");
  url.searchParams.set("$skip", String(skip + size));
  return { items, nextLink: `${originOf(c)}${url.pathname}?${url.searchParams.toString().replaceAll("%24", "$")}` };
}

/**
 * `$orderby` over rendered events: comma-separated `path[/sub] [asc|desc]` (e.g.
 * `start/dateTime desc`); values compare as strings, which orders Graph's fixed-width dates.
 */
export function applyOrderBy(c: GraphContext, list: Record<string, unknown>[]): Record<string, unknown>[] {
  const text = c.req.query("$orderby") ?? c.req.query("orderby");
  if (!text) return list;
  const keys = text.split(",").map((part) => {
    const [path = "", dir = "asc"] = part.trim().split(/\s+/);
    if (!/^(asc|desc)$/i.test(dir) || !path) throw badRequest(`Invalid $orderby '${text}'.`, "BadRequest");
    return { segs: path.split("/"), sign: dir.toLowerCase() === "desc" ? -1 : 1 };
  });
  const at = (o: unknown, segs: string[]) => segs.reduce((v, s) => (v as Record<string, unknown> | undefined)?.[s], o);
  return [...list].sort((a, b) => {
    for (const k of keys) {
      const x = String(at(a, k.segs) ?? "");
      const y = String(at(b, k.segs) ?? "");
      if (x !== y) return x < y ? -k.sign : k.sign;
    }
    return 0;
  });
}
