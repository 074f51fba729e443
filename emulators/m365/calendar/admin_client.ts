// Typed client of the calendar's admin routes (`/_admin/calendar/...`), built on the core's
// AdminClient, for tests anywhere in the project: seed calendars and events, and act as the
// user in Outlook (edit, delete, move or delete one occurrence). Mails: `AdminClient.mailLog`.
import type { AdminClient } from "../admin_client.ts";

type Json = Record<string, unknown>;

/** An event a seed created. */
export interface SeededEvent {
  id: string;
  immutableId: string;
  iCalUId: string;
  type: string;
}

export class CalendarAdminClient {
  constructor(private readonly admin: AdminClient) {}

  calendars(user: string): Promise<{ value: Json[] }> {
    return this.admin.call("GET", `/calendar/users/${enc(user)}/calendars`);
  }
  createCalendar(user: string, name: string): Promise<Json> {
    return this.admin.call("POST", `/calendar/users/${enc(user)}/calendars`, { name });
  }
  /** Creates events (Graph bodies) as if they had existed; no mail unless `sendMail`. */
  seedEvents(
    user: string,
    events: Json[],
    o: { calendarId?: string; sendMail?: boolean } = {},
  ): Promise<{ value: SeededEvent[] }> {
    return this.admin.call("POST", `/calendar/users/${enc(user)}/events`, { ...o, events });
  }
  /** Stored events (single instances and series masters) in Graph's shape plus `immutableId`. */
  events(user: string, calendarId?: string): Promise<{ value: Json[] }> {
    const q = calendarId ? `?calendarId=${enc(calendarId)}` : "";
    return this.admin.call("GET", `/calendar/users/${enc(user)}/events${q}`);
  }
  /** Edits an event or occurrence as the user in Outlook. */
  editEvent(user: string, id: string, body: Json, sendMail = false): Promise<Json> {
    return this.admin.call("PATCH", `/calendar/users/${enc(user)}/events/${enc(id)}`, { body, sendMail });
  }
  deleteEvent(user: string, id: string, sendMail = false): Promise<void> {
    return this.admin.call("DELETE", `/calendar/users/${enc(user)}/events/${enc(id)}?sendMail=${sendMail}`);
  }
  /** Moves one occurrence, named by its original date (`yyyy-MM-dd`, series zone) or start instant. */
  moveOccurrence(
    user: string,
    masterId: string,
    originalStart: string,
    to: { start: Json; end: Json },
    sendMail = false,
  ): Promise<Json> {
    return this.admin.call("POST", `/calendar/users/${enc(user)}/events/${enc(masterId)}/occurrences`, {
      originalStart,
      action: "move",
      ...to,
      sendMail,
    });
  }
  deleteOccurrence(user: string, masterId: string, originalStart: string, sendMail = false): Promise<void> {
    return this.admin.call("POST", `/calendar/users/${enc(user)}/events/${enc(masterId)}/occurrences`, {
      originalStart,
      action: "delete",
      sendMail,
    });
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
