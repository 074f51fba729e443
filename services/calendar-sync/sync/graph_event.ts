/**
 * Graph event JSON as the calendar core reads and writes it. Every event the adapters hand in is
 * parsed with {@link GraphEventSchema} (size-limited; unknown properties dropped).
 * @module
 */
import { z } from "zod";

const DayOfWeek = z.string().max(16).transform((d) => d.toLowerCase()).pipe(
  z.enum(["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]),
);
const lower = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().max(40).transform((v) => v.charAt(0).toLowerCase() + v.slice(1)).pipe(z.enum(values));

/** `dateTimeTimeZone`: wall clock with 0–7 fraction digits and a Windows, IANA or `UTC` zone name. */
export const GraphDateTimeSchema = z.object({
  dateTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?Z?$/),
  timeZone: z.string().max(100).default("UTC"),
});

/** `patternedRecurrence`. Graph sends 0 for unused Int32 fields. */
export const GraphRecurrenceSchema = z.object({
  pattern: z.object({
    type: lower(["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"] as const),
    interval: z.number().int().min(1).max(999),
    daysOfWeek: z.array(DayOfWeek).max(7).nullish(),
    dayOfMonth: z.number().int().min(0).max(31).nullish(),
    month: z.number().int().min(0).max(12).nullish(),
    index: lower(["first", "second", "third", "fourth", "last"] as const).nullish(),
    firstDayOfWeek: DayOfWeek.nullish(),
  }),
  range: z.object({
    type: lower(["endDate", "noEnd", "numbered"] as const),
    startDate: z.iso.date(),
    endDate: z.string().max(10).nullish(),
    numberOfOccurrences: z.number().int().min(0).max(999).nullish(),
    recurrenceTimeZone: z.string().max(100).nullish(),
  }),
});

const EmailAddress = z.object({ address: z.string().max(320).nullish(), name: z.string().max(500).nullish() });

/** An attendee as Graph returns it. */
export const GraphAttendeeSchema = z.object({
  emailAddress: EmailAddress,
  type: lower(["required", "optional", "resource"] as const).nullish(),
  status: z.object({ response: z.string().max(40).nullish() }).nullish(),
});

/** A Graph event (single instance, series master, occurrence or exception). */
export const GraphEventSchema = z.object({
  id: z.string().min(1).max(512),
  changeKey: z.string().max(512).nullish(),
  iCalUId: z.string().max(1024).nullish(),
  type: lower(["singleInstance", "occurrence", "exception", "seriesMaster"] as const).default("singleInstance"),
  seriesMasterId: z.string().max(512).nullish(),
  originalStart: z.string().max(40).nullish(),
  originalStartTimeZone: z.string().max(100).nullish(),
  originalEndTimeZone: z.string().max(100).nullish(),
  subject: z.string().max(2_000).nullish(),
  body: z.object({
    contentType: lower(["text", "html"] as const).default("text"),
    content: z.string().max(200_000).default(""),
  })
    .nullish(),
  location: z.object({ displayName: z.string().max(2_000).nullish() }).nullish(),
  start: GraphDateTimeSchema,
  end: GraphDateTimeSchema,
  isAllDay: z.boolean().default(false),
  isCancelled: z.boolean().default(false),
  isOrganizer: z.boolean().default(true),
  isReminderOn: z.boolean().default(true),
  reminderMinutesBeforeStart: z.number().int().min(0).max(1_000_000).nullish(),
  sensitivity: lower(["normal", "personal", "private", "confidential"] as const).default("normal"),
  recurrence: GraphRecurrenceSchema.nullish(),
  organizer: z.object({ emailAddress: EmailAddress }).nullish(),
  attendees: z.array(GraphAttendeeSchema).max(500).default([]),
  responseStatus: z.object({ response: z.string().max(40).nullish() }).nullish(),
  transactionId: z.string().max(512).nullish(),
  singleValueExtendedProperties: z.array(z.object({ id: z.string().max(512), value: z.string().max(64_000) })).max(20)
    .nullish(),
});

/** A parsed Graph event. */
export type GraphEvent = z.output<typeof GraphEventSchema>;
/** A parsed recurrence. */
export type GraphRecurrence = z.output<typeof GraphRecurrenceSchema>;

/** Our named extended property: the CRM id stamp (A9) and the CRM-side details (E9). */
export const CRM_ID_PROPERTY = "String {5b6c2f0e-7d1a-4a43-9c1e-2a8f6a1c0d11} Name CrmAppointmentId";
/** The CRM-only details kept with the event: contacts and resources as JSON (E9). */
export const CRM_DETAILS_PROPERTY = "String {5b6c2f0e-7d1a-4a43-9c1e-2a8f6a1c0d11} Name CrmAppointmentDetails";

/** A body we send to Graph for a create or a PATCH (only the keys present are written). */
export interface GraphEventWrite {
  subject?: string;
  body?: { contentType: "text"; content: string };
  location?: { displayName: string };
  start?: { dateTime: string; timeZone: string };
  end?: { dateTime: string; timeZone: string };
  isAllDay?: boolean;
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  sensitivity?: "normal" | "private" | "personal" | "confidential";
  recurrence?: {
    pattern: Record<string, unknown>;
    range: Record<string, unknown>;
  } | null;
  attendees?: { emailAddress: { address: string; name: string }; type: "required" | "optional" | "resource" }[];
  transactionId?: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

/** The CRM id stamped on an event, if any (A9). */
export function stampOf(event: GraphEvent): string | null {
  return event.singleValueExtendedProperties?.find((p) => p.id === CRM_ID_PROPERTY)?.value ?? null;
}
