// Admin API of the calendar module (under /_admin/calendar): seed calendars and events in bulk,
// and act as the user in Outlook (move or delete one occurrence, edit, delete). The log of
// invitation, update and cancellation mails (E10) is the core's `/_admin/mail-log`.
// No auth, no limits: test infrastructure.
import type { Context, Hono } from "hono";
import { GraphError } from "../graph/errors.ts";
import type { OutlookItem } from "../state/items.ts";
import { CalendarError } from "./errors.ts";
import { type EventProps, NO_TIME } from "./event_model.ts";
import { occurrenceId } from "./event_ids.ts";
import { CALENDAR_KIND, CalendarMailbox, EVENT_KIND } from "./events.ts";
import type { MeetingResponse } from "./meetings.ts";
import type { CalendarContext } from "./http.ts";
import { createCalendar, renderCalendar } from "./routes_calendars.ts";
import { renderEvent } from "./render.ts";
import { type EventItem, itemView, seriesOf } from "./instances.ts";
import { expandOccurrences } from "./recurrence.ts";

/** Registers the admin routes (mounted by the core under `/_admin`). */
export function calendarAdminRoutes(r: Hono, ctx: CalendarContext): void {
  const cal = (c: Context) => {
    const user = ctx.state.findUser(undefined, c.req.param("user")!);
    if (!user) throw new CalendarError(404, "UserNotFound", `No user '${c.req.param("user")}'.`);
    return { user, cal: new CalendarMailbox(ctx.state, user) };
  };
  const safe = (h: (c: Context) => Response | Promise<Response>) => async (c: Context) => {
    try {
      return await h(c);
    } catch (e) {
      if (e instanceof CalendarError || e instanceof GraphError) {
        return c.json({ error: { code: e.code, message: e.message } }, e.status as 400);
      }
      throw e;
    }
  };

  r.get(
    "/calendar/users/:user/calendars",
    safe((c) => {
      const { user, cal: m } = cal(c);
      m.defaultCalendar();
      return c.json({ value: m.mailbox.folders.list(CALENDAR_KIND).map((f) => renderCalendar(f, user)) });
    }),
  );
  r.post(
    "/calendar/users/:user/calendars",
    safe(async (c) => {
      const { user, cal: m } = cal(c);
      return c.json(renderCalendar(createCalendar(m, await c.req.json()), user), 201);
    }),
  );
  // Bulk seed: {calendarId?, events: [Graph event bodies], sendMail?: false}. Seeding models
  // events that already existed, so no mail is logged unless asked. An event whose `organizer`
  // is someone else is seeded as the user's copy of that person's meeting (isOrganizer false,
  // responseStatus from the body or notResponded).
  r.post(
    "/calendar/users/:user/events",
    safe(async (c) => {
      const { cal: m } = cal(c);
      const body = await c.req.json() as { calendarId?: string; events?: unknown[]; sendMail?: boolean };
      const created = (body.events ?? []).map((e) => {
        const { organizer, responseStatus, ...graphBody } = e as Record<string, unknown>;
        const address = (organizer as { emailAddress?: { address?: string } } | undefined)?.emailAddress?.address;
        const foreign = !!address && address.toLowerCase() !== m.owner.mail.toLowerCase();
        // The user's copy of someone else's meeting sends nothing, whatever sendMail says.
        const sendMail = !foreign && (body.sendMail ?? false);
        const item = m.create(body.calendarId, graphBody, { sendMail }).view.item;
        if (foreign) {
          m.mailbox.items.update(item as unknown as OutlookItem, (p) => {
            const props = p as unknown as EventProps;
            props.organizer = organizer as EventProps["organizer"];
            props.isOrganizer = false;
            props.responseStatus = (responseStatus as EventProps["responseStatus"]) ??
              { response: "notResponded", time: NO_TIME };
          });
        }
        return item;
      });
      return c.json({
        value: created.map((i) => ({
          id: i.id,
          immutableId: i.immutableId,
          iCalUId: i.props.iCalUId,
          type: i.props.type,
        })),
      }, 201);
    }),
  );
  // Stored events (singles, series masters, attendee copies) of one calendar (default when no
  // calendarId), optionally only those of one meeting (?iCalUId=).
  r.get(
    "/calendar/users/:user/events",
    safe((c) => {
      const { cal: m } = cal(c);
      const iCalUId = c.req.query("iCalUId");
      const items = m.list(c.req.query("calendarId")).filter((i) => !iCalUId || i.props.iCalUId === iCalUId);
      return c.json({
        value: items.map((i) => ({ ...renderEvent(itemView(i), { ownZone: true }), immutableId: i.immutableId })),
      });
    }),
  );
  // Every mailbox's item of one meeting: the organizer's and the attendee copies.
  r.get(
    "/calendar/meetings/:iCalUId",
    safe((c) => {
      const iCalUId = c.req.param("iCalUId")!;
      const value = [];
      for (const user of ctx.state.users.values()) {
        for (const item of ctx.state.mailbox(user.id).items.list(EVENT_KIND) as unknown as EventItem[]) {
          if (item.props.iCalUId !== iCalUId) continue;
          value.push({
            userId: user.id,
            userPrincipalName: user.userPrincipalName,
            ...renderEvent(itemView(item), { ownZone: true }),
            immutableId: item.immutableId,
          });
        }
      }
      return c.json({ value });
    }),
  );
  // As the attendee in Outlook: {response: "accept"|"tentativelyAccept"|"decline", sendResponse?, comment?}
  // for an attendee copy or one of its occurrences (Graph's POST /events/{id}/accept etc.).
  r.post(
    "/calendar/users/:user/events/:id/respond",
    safe(async (c) => {
      const { cal: m } = cal(c);
      const body = await c.req.json() as { response?: string; sendResponse?: boolean; comment?: string };
      const response = RESPONSES[body.response ?? ""];
      if (!response) {
        throw new CalendarError(400, "ErrorInvalidRequest", "response must be accept, tentativelyAccept or decline.");
      }
      m.respond(c.req.param("id")!, response, { sendResponse: body.sendResponse, comment: body.comment });
      return c.body(null, 202);
    }),
  );
  // As the user in Outlook: {body, sendMail?} for an event or occurrence id.
  r.patch(
    "/calendar/users/:user/events/:id",
    safe(async (c) => {
      const { cal: m } = cal(c);
      const body = await c.req.json() as { body?: unknown; sendMail?: boolean };
      const view = m.update(c.req.param("id")!, body.body ?? {}, { sendMail: body.sendMail ?? false });
      return c.json(renderEvent(view, { ownZone: true }));
    }),
  );
  r.delete(
    "/calendar/users/:user/events/:id",
    safe((c) => {
      const { cal: m } = cal(c);
      m.delete(c.req.param("id")!, { sendMail: c.req.query("sendMail") === "true" });
      return c.body(null, 204);
    }),
  );
  // One occurrence by its original date (yyyy-MM-dd in the series zone) or start instant:
  // {originalStart, action: "move"|"delete", start?, end?, sendMail?}.
  r.post(
    "/calendar/users/:user/events/:id/occurrences",
    safe(async (c) => {
      const { cal: m } = cal(c);
      const body = await c.req.json() as {
        originalStart: string;
        action: "move" | "delete";
        start?: unknown;
        end?: unknown;
        sendMail?: boolean;
      };
      const master = m.get(c.req.param("id")!);
      if (master.type !== "seriesMaster") throw new CalendarError(400, "ErrorInvalidRequest", "Not a series master.");
      const occ = findByOriginal(master.item, body.originalStart);
      const id = occurrenceId(master.item.id, occ);
      if (body.action === "delete") {
        m.delete(id, { sendMail: body.sendMail ?? false });
        return c.body(null, 204);
      }
      const view = m.update(id, { start: body.start, end: body.end }, { sendMail: body.sendMail ?? false });
      return c.json(renderEvent(view, { ownZone: true }));
    }),
  );
}

const RESPONSES: Record<string, MeetingResponse> = {
  accept: "accepted",
  tentativelyAccept: "tentativelyAccepted",
  decline: "declined",
};

function findByOriginal(item: EventItem, text: string): Temporal.Instant {
  const series = seriesOf(item.props);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const from = day
    ? Temporal.PlainDate.from(text).toZonedDateTime(series.startZone.iana).toInstant()
    : Temporal.Instant.from(text);
  const to = day ? from.add({ hours: 24 }) : from.add({ nanoseconds: 1 });
  const hit = expandOccurrences(series, { start: from, end: to }).find((o) =>
    day ? o.wallStart.toPlainDate().toString() === text : o.originalStart.equals(from)
  );
  if (!hit) throw new CalendarError(404, "ErrorItemNotFound", `No occurrence at ${text}.`);
  return hit.originalStart;
}
