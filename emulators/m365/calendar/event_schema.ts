import { z } from "zod";

// The shape of an event POST/PATCH body (graph-facts §2.1, v1.0 CSDL): every event property is
// known, so a misspelt one answers 400 RequestBodyRead through the core's parseJson. Values with
// Graph-specific rules (enums read case-insensitively, zones, recurrence) are checked in
// event_input.ts and recurrence_validation.ts, which give Graph's own error codes.
const loose = z.unknown().optional();
const bool = z.boolean().optional();
const obj = z.record(z.string(), z.unknown()).nullable().optional();
const list = z.array(z.unknown()).nullable().optional();

/** Writable and read-only event properties; read-only ones are accepted and ignored. */
export const EventInputSchema = z.preprocess(
  (v) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("@")))
      : v,
  z.strictObject({
    subject: z.string().nullable().optional(),
    body: obj,
    start: obj,
    end: obj,
    isAllDay: bool,
    isReminderOn: bool,
    responseRequested: bool,
    allowNewTimeProposals: bool,
    hideAttendees: bool,
    isOnlineMeeting: bool,
    // Int32: Graph also reads a numeric string ("0"); event_input.ts checks the value.
    reminderMinutesBeforeStart: z.union([z.number(), z.string()]).optional(),
    importance: z.string().optional(),
    sensitivity: z.string().optional(),
    showAs: z.string().optional(),
    onlineMeetingProvider: z.string().optional(),
    categories: z.array(z.string()).nullable().optional(),
    location: obj,
    locations: list,
    attendees: list,
    recurrence: obj,
    transactionId: z.string().nullable().optional(),
    singleValueExtendedProperties: z.array(z.strictObject({ id: z.string().min(1), value: z.string() })).optional(),
    // Read-only or navigation properties: Graph ignores them on input.
    bodyPreview: loose,
    cancelledOccurrences: loose,
    hasAttachments: loose,
    iCalUId: loose,
    isCancelled: loose,
    isDraft: loose,
    isOrganizer: loose,
    onlineMeeting: loose,
    onlineMeetingUrl: loose,
    organizer: loose,
    originalEndTimeZone: loose,
    originalStart: loose,
    originalStartTimeZone: loose,
    responseStatus: loose,
    seriesMasterId: loose,
    type: loose,
    webLink: loose,
    attachments: loose,
    calendar: loose,
    exceptionOccurrences: loose,
    extensions: loose,
    instances: loose,
    multiValueExtendedProperties: loose,
    changeKey: loose,
    createdDateTime: loose,
    lastModifiedDateTime: loose,
    id: loose,
  }),
);
