// Typed client of the calendar's admin routes (`/_admin/calendar/...`), built on the core's
// AdminClient, for tests anywhere in the project: seed calendars and events, and act as the
// user in Outlook (edit, delete, move or delete one occurrence, answer a meeting), and see one
// meeting across mailboxes. Mails: `AdminClient.mailLog`.
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
  /**
   * Stored events (single instances, series masters, attendee copies) of a calendar (the default
   * one when absent) in Graph's shape plus `immutableId`; `iCalUId` keeps only that meeting's.
   */
  events(user: string, o: string | { calendarId?: string; iCalUId?: string } = {}): Promise<{ value: Json[] }> {
    const { calendarId, iCalUId } = typeof o === "string" ? { calendarId: o, iCalUId: undefined } : o;
    const q = new URLSearchParams();
    if (calendarId) q.set("calendarId", calendarId);
    if (iCalUId) q.set("iCalUId", iCalUId);
    const qs = q.size ? `?${q}` : "";
    return this.admin.call("GET", `/calendar/users/${enc(user)}/events${qs}`);
  }
  /**
   * Every mailbox's item of one meeting (same iCalUId): the organizer's and each attendee copy,
   * with `userId`, `userPrincipalName`, `isOrganizer`, `responseStatus`, `isCancelled`, `attendees`.
   */
  meeting(iCalUId: string): Promise<{ value: (Json & { userId: string; userPrincipalName: string })[] }> {
    return this.admin.call("GET", `/calendar/meetings/${enc(iCalUId)}`);
  }
  /**
   * Answers a meeting as the attendee in Outlook (an attendee copy or one of its occurrences):
   * accept and tentative set the copy's responseStatus; decline removes it from the calendar. With
   * `sendResponse` (default true) the organizer's attendee list records the answer and the mail
   * log a `response` mail. `deleteEvent(user, copyId, true)` declines the same way.
   */
  async respond(
    user: string,
    id: string,
    response: "accept" | "tentativelyAccept" | "decline",
    o: { sendResponse?: boolean; comment?: string } = {},
  ): Promise<void> {
    await this.admin.call("POST", `/calendar/users/${enc(user)}/events/${enc(id)}/respond`, { response, ...o });
  }
  /** Edits an event or occurrence as the user in Outlook. */
  editEvent(user: string, id: string, body: Json, sendMail = false): Promise<Json> {
    return this.admin.call("PATCH", `/calendar/users/${enc(user)}/events/${enc(id)}`, { body, sendMail });
  }
  /**
   * Deletes as the user in Outlook. The organizer's delete cancels the meeting for attendees
   * (mails and copies only with `sendMail`); an attendee's delete of a live copy declines it (a
   * response to the organizer only with `sendMail`).
   */
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
