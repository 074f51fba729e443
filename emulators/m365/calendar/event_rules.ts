// Small rules of event writes: Graph's defaults for a new event, responses kept across an
// attendee PATCH, If-Match against the change key, and the 404 Outlook answers.
import type { User } from "../state/directory.ts";
import { CalendarError } from "./errors.ts";
import { type EventCore, NO_TIME } from "./event_model.ts";

export function defaults(owner: User): Omit<EventCore, "start" | "end" | "startMs" | "endMs"> {
  return {
    subject: "",
    body: { contentType: "text", content: "" },
    isAllDay: false,
    importance: "normal",
    sensitivity: "normal",
    showAs: "busy",
    isReminderOn: true,
    reminderMinutesBeforeStart: 15,
    responseRequested: true,
    allowNewTimeProposals: true,
    hideAttendees: false,
    isOnlineMeeting: false,
    onlineMeetingProvider: "unknown",
    categories: [],
    location: { displayName: "", locationType: "default", uniqueIdType: "unknown", address: {}, coordinates: {} },
    locations: [],
    attendees: [],
    organizer: { emailAddress: { name: owner.displayName, address: owner.mail } },
    isOrganizer: true,
    responseStatus: { response: "organizer", time: NO_TIME },
    isCancelled: false,
  };
}

/** A PATCH of attendees keeps the responses of attendees who stay. */
export function keepResponses(before: EventCore, after: EventCore): void {
  const was = new Map(before.attendees.map((a) => [a.emailAddress.address.toLowerCase(), a.status]));
  for (const a of after.attendees) {
    const status = was.get(a.emailAddress.address.toLowerCase());
    if (status && a.type !== "resource") a.status = status;
  }
}

/** `If-Match: W/"<changeKey>"` (or `*`) must name the current change key. */
export function checkIfMatch(changeKey: string, ifMatch: string | null | undefined): void {
  if (ifMatch === undefined || ifMatch === null || ifMatch.trim() === "" || ifMatch.trim() === "*") return;
  const wanted = ifMatch.split(",").map((t) => t.trim().replace(/^W\//i, "").replace(/^"(.*)"$/, "$1"));
  if (!wanted.includes(changeKey)) {
    throw new CalendarError(
      412,
      "ErrorIrresolvableConflict",
      "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
    );
  }
}

export function pick<T, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}

export function notFound(): CalendarError {
  return new CalendarError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
}
