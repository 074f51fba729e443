// What the emulator stores for an event (the item's `props`), all plain JSON so snapshots work.
// Times are kept as the client gave them (wall clock + zone name, Graph's originalStartTimeZone)
// plus epoch milliseconds for fast window checks.
import type { PatternedRecurrence } from "./recurrence.ts";
import type { DateTimeTimeZone } from "./time.ts";

/** Item kind of events and folder kind of calendars in the core's stores. */
export const EVENT_KIND = "event";
export const CALENDAR_KIND = "calendar";

export type AttendeeType = "required" | "optional" | "resource";
export type ResponseType = "none" | "organizer" | "tentativelyAccepted" | "accepted" | "declined" | "notResponded";

export interface EmailAddress {
  name: string;
  address: string;
}

export interface ResponseStatus {
  response: ResponseType;
  time: string;
}

export interface Attendee {
  type: AttendeeType;
  status: ResponseStatus;
  emailAddress: EmailAddress;
}

export type Location = Record<string, unknown> & { displayName: string };

/** Properties every rendering of an event (master, single, occurrence, exception) carries. */
export interface EventCore {
  subject: string;
  body: { contentType: "text" | "html"; content: string };
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  startMs: number;
  endMs: number;
  isAllDay: boolean;
  importance: "low" | "normal" | "high";
  sensitivity: "normal" | "personal" | "private" | "confidential";
  showAs: "unknown" | "free" | "tentative" | "busy" | "oof" | "workingElsewhere";
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  responseRequested: boolean;
  allowNewTimeProposals: boolean;
  hideAttendees: boolean;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  categories: string[];
  location: Location;
  locations: Location[];
  attendees: Attendee[];
  organizer: { emailAddress: EmailAddress };
  isOrganizer: boolean;
  responseStatus: ResponseStatus;
  isCancelled: boolean;
}

/**
 * A modified occurrence, kept inside its master as Exchange does (embedded exceptions): only
 * the overridden properties, so later series edits still reach the rest. Every instance
 * carries the master's changeKey (event-list-instances.md shows one etag for all of them).
 */
export interface ExceptionRecord {
  overrides: Partial<EventCore>;
}

/** The stored props of a single instance or series master. */
export interface EventProps extends EventCore {
  type: "singleInstance" | "seriesMaster";
  iCalUId: string;
  transactionId?: string;
  recurrence?: PatternedRecurrence;
  /** Keyed by the occurrence's original start (epoch ms as a string). */
  exceptions: Record<string, ExceptionRecord>;
  /** Original starts (epoch ms) of cancelled (deleted) occurrences. */
  cancelled: number[];
}

/** Graph's "no time" value for responseStatus.time. */
export const NO_TIME = "0001-01-01T00:00:00Z";

/** Names of the EventCore fields, in Graph's response order where it matters. */
export const CORE_FIELDS: (keyof EventCore)[] = [
  "subject",
  "body",
  "start",
  "end",
  "startMs",
  "endMs",
  "isAllDay",
  "importance",
  "sensitivity",
  "showAs",
  "isReminderOn",
  "reminderMinutesBeforeStart",
  "responseRequested",
  "allowNewTimeProposals",
  "hideAttendees",
  "isOnlineMeeting",
  "onlineMeetingProvider",
  "categories",
  "location",
  "locations",
  "attendees",
  "organizer",
  "isOrganizer",
  "responseStatus",
  "isCancelled",
];

/** A deep copy of just the EventCore fields of an event. */
export function copyCore(from: EventCore): EventCore {
  const out: Record<string, unknown> = {};
  for (const k of CORE_FIELDS) out[k] = structuredClone(from[k]);
  return out as unknown as EventCore;
}
