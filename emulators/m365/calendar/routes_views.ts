// calendarView and calendarView delta, for the default calendar and for /calendars/{id}.
import type { Hono } from "hono";
import type { GraphEnv } from "../graph/env.ts";
import { badRequest, itemNotFound } from "../graph/errors.ts";
import { contextUrl, originOf } from "../graph/odata.ts";
import { addPreferenceApplied } from "../graph/prefer.ts";
import { type DeltaEntry, type DeltaState, entryView, removedEntry, startRound } from "./delta.ts";
import { calendarView, type EventItem } from "./instances.ts";
import {
  applyOrderBy,
  type CalendarContext,
  calendarOf,
  type GraphContext,
  page,
  renderOptions,
  renderWithExtensions,
  requireScope,
  requireWindow,
  route,
  setPreferenceApplied,
} from "./http.ts";
import { renderEvent } from "./render.ts";

const VIEWS = ["/calendarView", "/calendar/calendarView", "/calendars/:cid/calendarView"];

/** Registers calendarView and its delta. */
export function viewRoutes(r: Hono<GraphEnv>, ctx: CalendarContext): void {
  route(r, "get", VIEWS.map((p) => `${p}/delta`), (c) => delta(c, ctx));
  route(r, "get", VIEWS, (c) => listView(c, ctx));
}

function calendarId(c: GraphContext, ctx: CalendarContext): string {
  const cal = calendarOf(c, ctx);
  const folder = cal.calendar(c.req.param("cid"));
  if (!folder) throw itemNotFound();
  return folder.id;
}

function listView(c: GraphContext, ctx: CalendarContext): Response {
  requireScope(c, false);
  const window = requireWindow(c);
  const { options, applied } = renderOptions(c);
  const items = calendarOf(c, ctx).list(calendarId(c, ctx));
  const rendered = calendarView(items, window).map((v) => renderWithExtensions(c, v, options));
  const { items: value, nextLink } = page(c, applyOrderBy(c, rendered));
  setPreferenceApplied(c, applied);
  return c.json({
    "@odata.context": contextUrl(c, `users('${c.get("mailboxUser").id}')/calendarView`),
    value,
    ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
  });
}

function delta(c: GraphContext, ctx: CalendarContext): Response {
  requireScope(c, false);
  const query = new URL(c.req.url).searchParams;
  for (const k of query.keys()) {
    if (/^\$(select|expand|filter|orderby|search)$/i.test(k)) {
      throw badRequest(`The query parameter '${k}' is not supported with delta.`, "ErrorInvalidUrlQuery");
    }
  }
  const cal = calendarOf(c, ctx);
  const folderId = calendarId(c, ctx);
  const scope = `calendarView:${folderId}`;
  const userId = c.get("mailboxUser").id;
  const skip = query.get("$skiptoken");
  const deltaToken = query.get("$deltatoken");
  let chainId: string;
  let round: { entries: DeltaEntry[]; end: DeltaState };
  const items = () => cal.list(folderId);
  if (skip) {
    const resumed = ctx.deltaTokens.resume<DeltaState>(userId, scope, skip);
    chainId = resumed.chainId;
    round = { entries: resumed.state.pending ?? [], end: { ...resumed.state, pending: undefined } };
  } else if (deltaToken) {
    const resumed = ctx.deltaTokens.resume<DeltaState>(userId, scope, deltaToken);
    chainId = resumed.chainId;
    round = startRound(items(), folderId, cal.mailbox.changes, windowOf(resumed.state), resumed.state);
  } else {
    const window = requireWindow(c);
    chainId = ctx.deltaTokens.start(userId, scope);
    round = startRound(items(), folderId, cal.mailbox.changes, window, undefined);
  }
  const prefer = c.get("prefer");
  const size = c.get("oversizePage") ?? prefer.maxPageSize ?? ctx.config.defaultDeltaPageSize;
  if (prefer.maxPageSize) addPreferenceApplied(c, `odata.maxpagesize=${prefer.maxPageSize}`);
  const pageEntries = round.entries.slice(0, size);
  const rest = round.entries.slice(size);
  const { options, applied } = renderOptions(c);
  const window = windowOf(round.end);
  const find = (id: string) => cal.mailbox.items.get(id, "event") as unknown as EventItem | undefined;
  const value = pageEntries.map((e) => {
    if (e.kind === "removed") return removedEntry(e, options.immutableIds ?? false);
    const view = entryView(e.key, find, window);
    if (view) return renderEvent(view, { ...options, select: undefined, withType: true });
    const [immutableId, start] = e.key.split("#");
    // Gone since the round began: the previous round's record names it.
    const seen = round.end.seen[e.key];
    return removedEntry({
      itemId: seen?.itemId ?? immutableId!,
      immutableId: immutableId!,
      originalStartMs: start === undefined ? undefined : Number(start),
    }, options.immutableIds ?? false);
  });
  const base = `${originOf(c)}${new URL(c.req.url).pathname}`;
  const link = rest.length
    ? { "@odata.nextLink": `${base}?$skiptoken=${ctx.deltaTokens.issue(chainId, { ...round.end, pending: rest })}` }
    : { "@odata.deltaLink": `${base}?$deltatoken=${ctx.deltaTokens.issue(chainId, round.end)}` };
  setPreferenceApplied(c, ["odata.track-changes", ...applied]);
  return c.json({ "@odata.context": contextUrl(c, "Collection(event)"), ...link, value });
}

function windowOf(s: DeltaState) {
  return { start: Temporal.Instant.from(s.windowStart), end: Temporal.Instant.from(s.windowEnd) };
}
