// Calendars of a mailbox: /calendars (list, create), /calendars/{id} (get, update, delete) and
// /calendar (the default one).
import type { Hono } from "hono";
import type { GraphEnv } from "../graph/env.ts";
import { badRequest, itemNotFound } from "../graph/errors.ts";
import { odataIdBaseOf } from "../graph/item_view.ts";
import { applySelect, contextUrl } from "../graph/odata.ts";
import { parseODataQuery } from "../graph/query.ts";
import type { Folder } from "../state/folders.ts";
import type { User } from "../state/directory.ts";
import { type CalendarContext, calendarOf, type GraphContext, page, requireScope, route } from "./http.ts";
import { CALENDAR_KIND, type CalendarMailbox } from "./events.ts";

/** Registers the calendar routes. */
export function calendarRoutes(r: Hono<GraphEnv>, ctx: CalendarContext): void {
  route(r, "get", ["/calendars"], (c) => {
    requireScope(c, false);
    const cal = calendarOf(c, ctx);
    cal.defaultCalendar();
    const select = parseODataQuery(c).select;
    const all = cal.mailbox.folders.list(CALENDAR_KIND).map((f) =>
      applySelect(renderCalendar(f, c.get("mailboxUser"), calendarOdataId(c, f.id)), select)
    );
    const { items, nextLink } = page(c, all);
    return c.json({
      "@odata.context": contextUrl(c, `users('${c.get("mailboxUser").id}')/calendars`),
      value: items,
      ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
    });
  });
  route(r, "post", ["/calendars"], async (c) => {
    requireScope(c, true);
    const body = await c.req.json().catch(() => ({})) as Record<string, unknown>;
    const folder = createCalendar(calendarOf(c, ctx), body);
    return c.json({
      "@odata.context": entity(c),
      ...renderCalendar(folder, c.get("mailboxUser"), calendarOdataId(c, folder.id)),
    }, 201);
  });
  route(r, "get", ["/calendar", "/calendars/:cid"], (c) => {
    requireScope(c, false);
    const folder = calendarOf(c, ctx).calendar(c.req.param("cid"));
    if (!folder) throw itemNotFound();
    const rendered = renderCalendar(folder, c.get("mailboxUser"), calendarOdataId(c, folder.id));
    return c.json({ "@odata.context": entity(c), ...applySelect(rendered, parseODataQuery(c).select) });
  });
  route(r, "patch", ["/calendar", "/calendars/:cid"], async (c) => {
    requireScope(c, true);
    const cal = calendarOf(c, ctx);
    const folder = cal.calendar(c.req.param("cid"));
    if (!folder) throw itemNotFound();
    const body = await c.req.json().catch(() => ({})) as Record<string, unknown>;
    if (typeof body.name === "string" && body.name.trim()) folder.displayName = body.name;
    if (typeof body.color === "string") folder.props = { ...folder.props, color: body.color };
    cal.mailbox.folders.touch(folder);
    return c.json({
      "@odata.context": entity(c),
      ...renderCalendar(folder, c.get("mailboxUser"), calendarOdataId(c, folder.id)),
    });
  });
  route(r, "delete", ["/calendars/:cid"], (c) => {
    requireScope(c, true);
    const cal = calendarOf(c, ctx);
    const folder = cal.calendar(c.req.param("cid"));
    if (!folder) throw itemNotFound();
    if (folder.isDefault) throw badRequest("The default calendar cannot be deleted.", "ErrorCannotDeleteObject");
    for (const item of cal.mailbox.items.list("event", folder.id)) cal.mailbox.items.delete(item);
    cal.mailbox.folders.delete(folder.id);
    return c.body(null, 204);
  });
}

/** Creates a calendar from Graph's body (`name`, optional `color`). */
export function createCalendar(cal: CalendarMailbox, body: Record<string, unknown>): Folder {
  cal.defaultCalendar();
  if (typeof body.name !== "string" || body.name.trim() === "") {
    throw badRequest("The calendar name is required.", "ErrorInvalidRequest");
  }
  const taken = cal.mailbox.folders.list(CALENDAR_KIND).some((f) =>
    f.displayName.toLowerCase() === body.name!.toString().toLowerCase()
  );
  if (taken) {
    throw badRequest("A folder with the specified name already exists.", "ErrorFolderExists");
  }
  return cal.mailbox.folders.create(CALENDAR_KIND, { displayName: body.name, props: { color: body.color ?? "auto" } });
}

function entity(c: GraphContext): string {
  return contextUrl(c, `users('${c.get("mailboxUser").id}')/calendars/$entity`);
}

/** `@odata.id` of a calendar as calendar-get.md shows it: `…/users('{user}@{tenant}')/calendars('{id}')`. */
function calendarOdataId(c: GraphContext, id: string): string {
  return `${odataIdBaseOf(c)}/calendars('${id}')`;
}

/** A calendar in Graph's shape (with `@odata.id` when given, as Graph answers calendar reads). */
export function renderCalendar(f: Folder, owner: User, odataId?: string): Record<string, unknown> {
  return {
    ...(odataId ? { "@odata.id": odataId } : {}),
    id: f.id,
    name: f.displayName,
    color: (f.props as { color?: string }).color ?? "auto",
    hexColor: "",
    isDefaultCalendar: f.isDefault,
    changeKey: f.changeKey,
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ["teamsForBusiness"],
    defaultOnlineMeetingProvider: "teamsForBusiness",
    isTallyingResponses: true,
    isRemovable: !f.isDefault,
    owner: { name: owner.displayName, address: owner.mail },
  };
}
