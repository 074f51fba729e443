import { z } from "zod";
import { AppointmentFieldsSchema, AppointmentSchema } from "./appointment.ts";
import { ContactFieldsSchema, ContactSchema } from "./contact.ts";
import { envelope } from "./envelope.ts";
import { IdempotencyKeySchema, RecordIdSchema, RecordVersionSchema, TenantIdSchema, UserIdSchema } from "./ids.ts";

// ---------------------------------------------------------------------------------------------
// CRM request/reply for duplicate decisions (D2), added within v1 of the CRM contract.

const Write = { tenantId: TenantIdSchema, idempotencyKey: IdempotencyKeySchema };
const ContactLoserSchema = z.object({ contactId: RecordIdSchema, expectedVersion: RecordVersionSchema.optional() });
const AppointmentLoserSchema = z.object({
  appointmentId: RecordIdSchema,
  expectedVersion: RecordVersionSchema.optional(),
});

/**
 * `crm.rpc.contacts.merge` (D2): in one change, the survivor takes `fields` (every synced field)
 * and the union of all records' sync flags; each loser is archived, and appointments linked to a
 * loser are linked to the survivor instead. Refused as a whole (`version_mismatch`) if any
 * `expectedVersion` is stale. The CRM keeps the merge so that it can be undone by its `mergeId`.
 */
export const MergeContactsRequestSchema = z.object({
  ...Write,
  survivorId: RecordIdSchema,
  expectedVersion: RecordVersionSchema.optional(),
  losers: z.array(ContactLoserSchema).min(1).max(20),
  fields: ContactFieldsSchema,
});
export const MergeContactsReplySchema = z.object({
  mergeId: RecordIdSchema,
  survivor: ContactSchema,
  /** The losers as they are now: archived. */
  losers: z.array(ContactSchema),
});

/**
 * `crm.rpc.contacts.unmerge` (D3): undoes a merge in one change — the survivor gets back the fields
 * and sync flags it had, each loser is restored (not archived) with the fields it had, and the
 * appointments the merge relinked point at their loser again. Refused with `version_mismatch` when
 * `expectedSurvivorVersion` is given and the survivor changed since; `not_found` for an unknown
 * merge. Undoing an undone merge changes nothing.
 */
export const UnmergeContactsRequestSchema = z.object({
  ...Write,
  mergeId: RecordIdSchema,
  expectedSurvivorVersion: RecordVersionSchema.optional(),
});
export const UnmergeContactsReplySchema = z.object({ survivor: ContactSchema, restored: z.array(ContactSchema) });

/**
 * `crm.rpc.appointments.merge` (D2): the survivor takes `fields` (typically the union of the
 * participants and contacts of all), each loser is deleted (`crm.appointment.deleted`). Kept by its
 * `mergeId` for `crm.rpc.appointments.unmerge`.
 */
export const MergeAppointmentsRequestSchema = z.object({
  ...Write,
  survivorId: RecordIdSchema,
  expectedVersion: RecordVersionSchema.optional(),
  losers: z.array(AppointmentLoserSchema).min(1).max(20),
  fields: AppointmentFieldsSchema,
});
export const MergeAppointmentsReplySchema = z.object({
  mergeId: RecordIdSchema,
  survivor: AppointmentSchema,
  deletedIds: z.array(RecordIdSchema),
});

/**
 * `crm.rpc.appointments.unmerge`: the survivor gets its fields back and each deleted loser is
 * restored under its own id (`crm.appointment.created`, version after its deletion's).
 */
export const UnmergeAppointmentsRequestSchema = z.object({
  ...Write,
  mergeId: RecordIdSchema,
  expectedSurvivorVersion: RecordVersionSchema.optional(),
});
export const UnmergeAppointmentsReplySchema = z.object({
  survivor: AppointmentSchema,
  restored: z.array(AppointmentSchema),
});

// ---------------------------------------------------------------------------------------------
// Sync links → dedupe (D4): request/reply answered by contacts-sync and calendar-sync.

/**
 * Why records are duplicates by the sync's own links (D4):
 * - `same_outlook_item`: links of different CRM records point at one Outlook item;
 * - `same_ical_uid`: links of different CRM appointments point at Outlook events of one meeting
 *   (one iCalUId), e.g. the organizer's and an attendee's copy (E12);
 * - `echo`: a record the sync created from Outlook is a copy of what the sync itself had written
 *   to that mailbox for another CRM record (the same content, or the item carried the other
 *   record's id stamp), i.e. our own write came back as a new record.
 */
export const LinkDuplicateKindSchema = z.enum(["same_outlook_item", "same_ical_uid", "echo"]);

/** One finding of a sync service: CRM records (contacts or appointments) that its links make one. */
export const LinkDuplicateSchema = z.object({
  kind: LinkDuplicateKindSchema,
  /** The CRM records concerned, at least two; for `echo` the original first, then its echoes. */
  recordIds: z.array(RecordIdSchema).min(2).max(50),
  /** Users whose links show it. */
  userIds: z.array(UserIdSchema).max(50),
  /** What was seen, for the reason shown to the user. */
  detail: z.string().max(500),
});

/**
 * `contacts.rpc.links.duplicates` / `calendar.rpc.links.duplicates` request: the tenant whose
 * links to examine. Answered by any replica of the sync service (queue group).
 */
export const LinkDuplicatesRequestSchema = z.object({ tenantId: TenantIdSchema });
/** The reply: at most 1,000 findings; `truncated` when there were more. */
export const LinkDuplicatesReplySchema = z.object({
  items: z.array(LinkDuplicateSchema).max(1_000),
  truncated: z.boolean(),
});

// ---------------------------------------------------------------------------------------------
// dedupe's fact (D1).

/** A group in a published report: which records, of which kind, how likely one. */
export const ReportGroupSummarySchema = z.object({
  groupId: z.string().min(1).max(64),
  kind: z.enum(["contact", "appointment"]),
  recordIds: z.array(RecordIdSchema).min(2),
  score: z.number().min(0).max(1),
  source: z.enum(["model", "links"]),
});

/**
 * `dedupe.report.published` (D1): a scan finished; the report is kept by dedupe and served over
 * HTTP. Groups are listed up to 500 (`truncated` when more).
 */
export const DedupeReportPublishedV1 = envelope(
  "dedupe.report.published",
  1,
  z.object({
    scanId: z.string().min(1).max(64),
    trigger: z.enum(["scheduled", "manual"]),
    startedAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }),
    counts: z.object({
      contacts: z.number().int().nonnegative(),
      appointments: z.number().int().nonnegative(),
      contactGroups: z.number().int().nonnegative(),
      appointmentGroups: z.number().int().nonnegative(),
    }),
    groups: z.array(ReportGroupSummarySchema).max(500),
    truncated: z.boolean(),
    /** Sync services that did not answer the links request: their link evidence is missing (D4). */
    linksUnavailable: z.array(z.enum(["contacts-sync", "calendar-sync"])),
  }),
);

export type MergeContactsRequest = z.infer<typeof MergeContactsRequestSchema>;
export type MergeAppointmentsRequest = z.infer<typeof MergeAppointmentsRequestSchema>;
export type LinkDuplicate = z.infer<typeof LinkDuplicateSchema>;
export type LinkDuplicatesReply = z.infer<typeof LinkDuplicatesReplySchema>;
export type DedupeReportPublished = z.infer<typeof DedupeReportPublishedV1>;
