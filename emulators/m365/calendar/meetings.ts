// Meetings between mailboxes of one tenant, as Exchange's calendar processing keeps them
// (graph-facts §2.4): the organizer's item and one attendee copy per invited colleague, each with
// its own id and the same iCalUId. These are the pure rules for the copy's props; events.ts
// delivers them between mailboxes when the organizer's mails go out. Choices not in a primary
// source are listed in the README (Calendar → UNVERIFIED).
import { type Attendee, type EventCore, type EventProps, NO_TIME, type ResponseType } from "./event_model.ts";
import { MEETING_FIELDS } from "./invitations.ts";

/** What an attendee answers: Graph's actions `accept`, `tentativelyAccept`, `decline`. */
export type MeetingResponse = "accepted" | "tentativelyAccepted" | "declined";

/** Fields the organizer's item dictates to every copy (the rest is the attendee's own). */
const SHARED_FIELDS: (keyof EventCore)[] = [...MEETING_FIELDS, "startMs", "endMs"];

/** The attendee's own fields of a copy or of one of its occurrences; organizer updates keep them. */
const PERSONAL_FIELDS: (keyof EventCore)[] = [
  "responseStatus",
  "showAs",
  "isReminderOn",
  "reminderMinutesBeforeStart",
  "categories",
];

/** Outlook's subject prefixes for cancelled meetings and responses (English UI). */
export const CANCELED_PREFIX = "Canceled: ";
const RESPONSE_PREFIX: Record<MeetingResponse, string> = {
  accepted: "Accepted: ",
  tentativelyAccepted: "Tentative: ",
  declined: "Declined: ",
};

/** The subject of a response mail, as Outlook words it. */
export function responseSubject(response: MeetingResponse, subject: string): string {
  return `${RESPONSE_PREFIX[response]}${subject}`;
}

/** `responseStatus.time` as Graph writes a real response: UTC, whole seconds. */
export function responseTime(now: number): string {
  return new Date(now).toISOString().replace(/\.\d+Z$/, "Z");
}

/**
 * The props of a new attendee copy of `org`: the organizer's meeting fields, `isOrganizer:
 * false`, `responseStatus` `notResponded` and `showAs` tentative (Exchange adds new requests
 * tentatively), the organizer's reminder; occurrences the organizer had already cancelled are
 * simply not there. No extended properties, categories or transactionId travel with it.
 */
export function newAttendeeCopy(org: EventProps): EventProps {
  const copy: EventProps = {
    ...structuredClone(org),
    categories: [],
    isOrganizer: false,
    isCancelled: false,
    showAs: "tentative",
    responseStatus: { response: "notResponded", time: NO_TIME },
    attendees: asSeenByAttendees(org.attendees),
    exceptions: {},
    cancelled: [...org.cancelled],
  };
  delete copy.transactionId;
  for (const [key, ex] of Object.entries(org.exceptions)) {
    const overrides = shared(ex.overrides);
    // An exception that only tracks other attendees' responses is no change to the meeting.
    if (Object.keys(overrides).length) copy.exceptions[key] = { overrides };
  }
  return copy;
}

/**
 * An organizer's update applied to an existing copy: meeting fields, recurrence and the
 * organizer's exceptions follow the organizer; the attendee's response, reminder, categories
 * and free/busy stay, per occurrence too. A changed pattern or series time drops the copy's
 * own exceptions and removals, as it drops the organizer's. A cancelled copy is live again
 * (the attendee was invited anew).
 */
export function refreshAttendeeCopy(copy: EventProps, org: EventProps): EventProps {
  const next: EventProps = structuredClone(copy);
  const seriesChanged = JSON.stringify(copy.recurrence ?? null) !== JSON.stringify(org.recurrence ?? null) ||
    (org.type === "seriesMaster" && (copy.startMs !== org.startMs || copy.endMs !== org.endMs));
  for (const f of SHARED_FIELDS) (next as unknown as Record<string, unknown>)[f] = structuredClone(org[f]);
  next.attendees = asSeenByAttendees(org.attendees);
  next.organizer = structuredClone(org.organizer);
  next.isOrganizer = false;
  next.isCancelled = false;
  next.type = org.type;
  next.iCalUId = org.iCalUId;
  if (org.recurrence) next.recurrence = structuredClone(org.recurrence);
  else delete next.recurrence;
  const own = seriesChanged ? {} : copy.exceptions;
  const removed = seriesChanged ? [] : [...copy.cancelled];
  const exceptions: EventProps["exceptions"] = {};
  for (const [key, ex] of Object.entries(org.exceptions)) {
    if (removed.includes(Number(key))) continue;
    const mine = own[key]?.overrides;
    const overrides = mine?.isCancelled ? mine : { ...shared(ex.overrides), ...personal(mine) };
    if (Object.keys(overrides).length) exceptions[key] = { overrides };
  }
  for (const [key, ex] of Object.entries(own)) {
    if (key in exceptions) continue;
    const kept = ex.overrides.isCancelled ? ex.overrides : personal(ex.overrides);
    if (Object.keys(kept).length) exceptions[key] = { overrides: kept };
  }
  // Occurrences the organizer removed without this copy hearing of it (e.g. while it was gone).
  for (const key of org.cancelled) {
    if (!removed.includes(key) && !exceptions[String(key)]?.overrides.isCancelled) removed.push(key);
  }
  next.exceptions = exceptions;
  next.cancelled = removed;
  return next;
}

/**
 * A cancellation received for the whole meeting: the copy stays in the calendar marked
 * cancelled with Outlook's "Canceled: " subject until the attendee removes it (Exchange's
 * default: cancelled meetings are not deleted).
 */
export function cancelAttendeeCopy(copy: EventProps): EventProps | undefined {
  if (copy.isCancelled) return undefined;
  return { ...copy, isCancelled: true, subject: `${CANCELED_PREFIX}${copy.subject}` };
}

/** A cancellation received for one occurrence: it stays as a cancelled exception. */
export function cancelCopyOccurrence(copy: EventProps, originalStartMs: number): EventProps | undefined {
  const key = String(originalStartMs);
  const overrides = copy.exceptions[key]?.overrides ?? {};
  if (copy.cancelled.includes(originalStartMs) || overrides.isCancelled) return undefined;
  const subject = overrides.subject ?? copy.subject;
  return {
    ...copy,
    exceptions: {
      ...copy.exceptions,
      [key]: { overrides: { ...overrides, isCancelled: true, subject: `${CANCELED_PREFIX}${subject}` } },
    },
  };
}

/** The attendee's own status on the copy after answering (accept or tentative; a decline removes it). */
export function answeredStatus(
  response: Exclude<MeetingResponse, "declined">,
  now: number,
  organizerShowAs: EventCore["showAs"],
): Pick<EventCore, "responseStatus" | "showAs"> {
  return {
    responseStatus: { response, time: responseTime(now) },
    showAs: response === "accepted" ? organizerShowAs : "tentative",
  };
}

/** The organizer's attendee list with `address`'s response recorded (resource attendees keep theirs). */
export function withResponse(attendees: Attendee[], address: string, response: ResponseType, now: number): Attendee[] {
  const key = address.toLowerCase();
  return attendees.map((a) =>
    a.emailAddress.address.toLowerCase() === key ? { ...a, status: { response, time: responseTime(now) } } : a
  );
}

/** True when the attendee list names `address`. */
export function hasAttendee(attendees: Attendee[], address: string): boolean {
  const key = address.toLowerCase();
  return attendees.some((a) => a.emailAddress.address.toLowerCase() === key);
}

// Attendees see the attendee list, not the organizer's response tracking.
function asSeenByAttendees(attendees: Attendee[]): Attendee[] {
  return attendees.map((a) => ({ ...structuredClone(a), status: { response: "none", time: NO_TIME } }));
}

function shared(overrides: Partial<EventCore>): Partial<EventCore> {
  return pickFields(overrides, SHARED_FIELDS);
}

function personal(overrides: Partial<EventCore> | undefined): Partial<EventCore> {
  return overrides ? pickFields(overrides, PERSONAL_FIELDS) : {};
}

function pickFields(o: Partial<EventCore>, fields: (keyof EventCore)[]): Partial<EventCore> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in o) out[f] = structuredClone(o[f]);
  return out as Partial<EventCore>;
}
