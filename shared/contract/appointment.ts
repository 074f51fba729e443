import { z } from "zod";
import { GroupIdSchema, RecordIdSchema, RecordVersionSchema, TenantIdSchema, UserIdSchema } from "./ids.ts";
import { patchOf } from "./patch.ts";
import { SeriesSchema } from "./recurrence.ts";
import { ZonedDateTimeSchema } from "./time.ts";

/** The CRM's fixed reminder choices in minutes (E11): 0, 15, 30 min, 1, 2, 3 h, 1, 2, 3 days, 1, 3 weeks. */
export const REMINDER_CHOICES = [0, 15, 30, 60, 120, 180, 1_440, 2_880, 4_320, 10_080, 30_240] as const;
export const ReminderMinutesSchema = z.number().int().refine(
  (m) => (REMINDER_CHOICES as readonly number[]).includes(m),
  `must be one of ${REMINDER_CHOICES.join(", ")} minutes`,
);

/** A contact linked to an appointment; optional ones sync as optional attendees (E9). */
export const AppointmentContactSchema = z.object({
  contactId: RecordIdSchema,
  optional: z.boolean().default(false),
});

/** A bookable CRM resource (room, car); with a mailbox it syncs as a resource attendee (E9). */
export const AppointmentResourceSchema = z.object({
  id: RecordIdSchema,
  name: z.string().min(1).max(200),
  email: z.email().optional(),
});

/** The synced fields of an appointment (E2), without identity or bookkeeping. */
export const AppointmentFieldsSchema = z.object({
  subject: z.string().max(255).default(""),
  location: z.string().max(500).default(""),
  description: z.string().max(32_000).default(""),
  start: ZonedDateTimeSchema,
  end: ZonedDateTimeSchema,
  /** All-day appointments start and end at midnight; their dates never shift (E11). */
  allDay: z.boolean().default(false),
  /** The organizer is fixed in Outlook (E5). */
  organizerId: UserIdSchema,
  /** Users taking part directly. */
  participantIds: z.array(UserIdSchema).default([]),
  /** Groups taking part; each member gets the appointment in their own calendar (E4). */
  groupIds: z.array(GroupIdSchema).default([]),
  contacts: z.array(AppointmentContactSchema).default([]),
  resources: z.array(AppointmentResourceSchema).default([]),
  reminderMinutes: ReminderMinutesSchema.nullable().default(null),
  private: z.boolean().default(false),
  cancelled: z.boolean().default(false),
  series: SeriesSchema.nullable().default(null),
});

/** Some synced fields of an appointment; only those given are replaced (arrays as a whole). */
export const AppointmentFieldsPatchSchema = patchOf(AppointmentFieldsSchema);

/** A CRM appointment as the contract carries it. */
export const AppointmentSchema = AppointmentFieldsSchema.extend({
  id: RecordIdSchema,
  tenantId: TenantIdSchema,
  version: RecordVersionSchema,
  updatedAt: z.iso.datetime({ offset: true }),
});

export type AppointmentContact = z.infer<typeof AppointmentContactSchema>;
export type AppointmentResource = z.infer<typeof AppointmentResourceSchema>;
export type AppointmentFields = z.infer<typeof AppointmentFieldsSchema>;
export type AppointmentFieldsPatch = z.infer<typeof AppointmentFieldsPatchSchema>;
export type Appointment = z.infer<typeof AppointmentSchema>;
