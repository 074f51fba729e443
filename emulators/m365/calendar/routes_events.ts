// Graph's event routes under a mailbox: /events, /calendar/events and /calendars/{id}/events,
// each with /{id}, /{id}/instances, /{id}/cancel and the attendee's /{id}/accept,
// /{id}/tentativelyAccept and /{id}/decline.
import type { Hono } from "hono";
import { z } from "zod";
import { parseJson } from "../graph/body.ts";
import type { GraphEnv } from "../graph/env.ts";
import { badRequest, itemNotFound } from "../graph/errors.ts";
import { itemMatches } from "../graph/item_view.ts";
import { parseODataQuery } from "../graph/query.ts";
import type { OutlookItem } from "../state/items.ts";
import { contextUrl } from "../graph/odata.ts";
import { instancesIn, itemView } from "./instances.ts";
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
import { renderEvent, shownId } from "./render.ts";
import type { MeetingResponse } from "./meetings.ts";

const COLLECTIONS = ["/events", "/calendar/events", "/calendars/:cid/events"];
const ITEMS = COLLECTIONS.map((p) => `${p}/:id`);

/** Registers the event routes. */
export function eventRoutes(r: Hono<GraphEnv>, ctx: CalendarContext): void {
  route(r, "get", COLLECTIONS, (c) => listEvents(c, ctx));
  route(r, "post", COLLECTIONS, (c) => createEvent(c, ctx));
  route(r, "get", ITEMS, (c) => getEvent(c, ctx));
  route(r, "patch", ITEMS, (c) => patchEvent(c, ctx));
  route(r, "delete", ITEMS, (c) => deleteEvent(c, ctx));
  route(r, "get", ITEMS.map((p) => `${p}/instances`), (c) => listInstances(c, ctx));
  route(r, "post", ITEMS.map((p) => `${p}/cancel`), (c) => cancelEvent(c, ctx));
  for (const [action, response] of Object.entries(ACTIONS)) {
    route(r, "post", ITEMS.map((p) => `${p}/${action}`), (c) => respondToEvent(c, ctx, response));
  }
}

/** Graph's response actions (event-accept.md, event-tentativelyaccept.md, event-decline.md). */
const ACTIONS: Record<string, MeetingResponse> = {
  accept: "accepted",
  tentativelyAccept: "tentativelyAccepted",
  decline: "declined",
};

const TimeSlot = z.strictObject({ start: z.record(z.string(), z.unknown()), end: z.record(z.string(), z.unknown()) });
const RespondBody = z.strictObject({
  comment: z.string().nullable().optional(),
  sendResponse: z.boolean().nullable().optional(),
  proposedNewTime: TimeSlot.nullable().optional(),
});

async function respondToEvent(c: GraphContext, ctx: CalendarContext, response: MeetingResponse): Promise<Response> {
  requireScope(c, true);
  const body = parseJson(RespondBody, await readJson(c, true), "microsoft.graph.event");
  if (body.proposedNewTime) {
    // Documented 400s; accept has no proposedNewTime parameter at all.
    if (response === "accepted") throw badRequest("The parameter 'proposedNewTime' is not supported by accept.");
    if (body.sendResponse === false) {
      throw badRequest("proposedNewTime requires sendResponse to be true.", "ErrorInvalidRequest");
    }
  }
  const cal = calendarOf(c, ctx);
  const scope = calendarScope(c, ctx, false);
  if (body.proposedNewTime && !cal.get(c.req.param("id")!, scope).core.allowNewTimeProposals) {
    throw badRequest("The organizer doesn't allow new time proposals for this meeting.", "ErrorInvalidRequest");
  }
  cal.respond(c.req.param("id")!, response, {
    sendResponse: body.sendResponse ?? true,
    comment: body.comment ?? undefined,
  }, scope);
  return c.body(null, 202);
}

/** The calendar a path names: `/calendars/{id}/...`, the default for `/calendar/...`, else none. */
function calendarScope(c: GraphContext, ctx: CalendarContext, collection: boolean): string | undefined {
  const cid = c.req.param("cid");
  const cal = calendarOf(c, ctx);
  if (cid) {
    const folder = cal.calendar(cid);
    if (!folder) throw itemNotFound();
    return folder.id;
  }
  const defaultForm = new URL(c.req.url).pathname.toLowerCase().includes("/calendar/events");
  return defaultForm || collection ? cal.defaultCalendar().id : undefined;
}

function entityContext(c: GraphContext): string {
  return contextUrl(c, `users('${c.get("mailboxUser").id}')/events/$entity`);
}

function listEvents(c: GraphContext, ctx: CalendarContext): Response {
  requireScope(c, false);
  const { options, applied } = renderOptions(c);
  const query = parseODataQuery(c);
  const rendered = calendarOf(c, ctx).list(calendarScope(c, ctx, true)).flatMap((item) => {
    const view = itemView(item);
    if (
      query.filter &&
      !itemMatches(item as unknown as OutlookItem, renderEvent(view, { ...options, select: undefined }), query)
    ) {
      return [];
    }
    return [renderWithExtensions(c, view, options)];
  });
  const { items, nextLink } = page(c, applyOrderBy(c, rendered));
  setPreferenceApplied(c, applied);
  return c.json({
    "@odata.context": contextUrl(c, `users('${c.get("mailboxUser").id}')/events`),
    value: items,
    ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
  });
}

async function createEvent(c: GraphContext, ctx: CalendarContext): Promise<Response> {
  requireScope(c, true);
  const body = await readJson(c);
  const { view } = calendarOf(c, ctx).create(calendarScope(c, ctx, true), body);
  const { options, applied } = renderOptions(c, { ownZone: true });
  setPreferenceApplied(c, applied);
  const rendered = renderWithExtensions(c, view, options);
  c.header(
    "Location",
    `${new URL(c.req.url).origin}/v1.0/users('${c.get("mailboxUser").id}')/events('${rendered.id}')`,
  );
  return c.json({ "@odata.context": entityContext(c), ...rendered }, 201);
}

function getEvent(c: GraphContext, ctx: CalendarContext): Response {
  requireScope(c, false);
  const view = calendarOf(c, ctx).get(c.req.param("id")!, calendarScope(c, ctx, false));
  const { options, applied } = renderOptions(c);
  setPreferenceApplied(c, applied);
  return c.json({ "@odata.context": entityContext(c), ...renderWithExtensions(c, view, options) });
}

async function patchEvent(c: GraphContext, ctx: CalendarContext): Promise<Response> {
  requireScope(c, true);
  const body = await readJson(c);
  const view = calendarOf(c, ctx).update(
    c.req.param("id")!,
    body,
    { ifMatch: c.req.header("If-Match") },
    calendarScope(c, ctx, false),
  );
  const { options, applied } = renderOptions(c, { ownZone: true });
  setPreferenceApplied(c, applied);
  return c.json({ "@odata.context": entityContext(c), ...renderWithExtensions(c, view, options) });
}

function deleteEvent(c: GraphContext, ctx: CalendarContext): Response {
  requireScope(c, true);
  calendarOf(c, ctx).delete(c.req.param("id")!, { ifMatch: c.req.header("If-Match") }, calendarScope(c, ctx, false));
  return c.body(null, 204);
}

async function cancelEvent(c: GraphContext, ctx: CalendarContext): Promise<Response> {
  requireScope(c, true);
  const body = (await readJson(c, true)) as Record<string, unknown>;
  const comment = body.comment ?? body.Comment;
  calendarOf(c, ctx).cancel(
    c.req.param("id")!,
    typeof comment === "string" ? comment : undefined,
    calendarScope(c, ctx, false),
  );
  return c.body(null, 202);
}

function listInstances(c: GraphContext, ctx: CalendarContext): Response {
  requireScope(c, false);
  const window = requireWindow(c);
  const view = calendarOf(c, ctx).get(c.req.param("id")!, calendarScope(c, ctx, false));
  const { options, applied } = renderOptions(c);
  const all = view.type === "seriesMaster" ? instancesIn(view.item, window) : [];
  const { items, nextLink } = page(c, all.map((v) => renderWithExtensions(c, v, options)));
  setPreferenceApplied(c, applied);
  const masterId = shownId(view, options);
  return c.json({
    "@odata.context": contextUrl(
      c,
      `users('${c.get("mailboxUser").id}')/events('${encodeURIComponent(masterId)}')/instances`,
    ),
    value: items,
    ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
  });
}

async function readJson(c: GraphContext, optional = false): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") {
    if (optional) return {};
    throw badRequest("Empty Payload, JSON content expected.", "BadRequest");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("Unable to read JSON request payload.", "UnableToReadJsonPayload");
  }
}
