import { z } from "zod";
import { AppointmentFieldsSchema, AppointmentSchema } from "./appointment.ts";
import { ContactFieldsSchema, ContactSchema } from "./contact.ts";
import { IdempotencyKeySchema, RecordIdSchema, RecordVersionSchema, TenantIdSchema, UserIdSchema } from "./ids.ts";
import { CrmGroupSchema, CrmUserSchema } from "./tenant.ts";

const Page = {
  cursor: z.string().max(500).nullable().default(null),
  limit: z.number().int().min(1).max(1_000).default(200),
};
const Write = { tenantId: TenantIdSchema, idempotencyKey: IdempotencyKeySchema };

/** `crm.rpc.contacts.list`: a page of contacts, optionally only those flagged for one user (C3). */
export const ListContactsRequestSchema = z.object({
  tenantId: TenantIdSchema,
  ...Page,
  syncUserId: UserIdSchema.optional(),
  includeArchived: z.boolean().default(false),
});
export const ContactPageSchema = z.object({ items: z.array(ContactSchema), nextCursor: z.string().nullable() });

/** `crm.rpc.contact.get` */
export const GetContactRequestSchema = z.object({ tenantId: TenantIdSchema, contactId: RecordIdSchema });
export const ContactReplySchema = z.object({ contact: ContactSchema });

/** `crm.rpc.contact.create`: creates once per idempotency key; may set sync flags for users at once. */
export const CreateContactRequestSchema = z.object({
  ...Write,
  fields: ContactFieldsSchema,
  syncUserIds: z.array(UserIdSchema).default([]),
});

/** `crm.rpc.contact.update`: replaces the given fields; refused if `expectedVersion` is stale. */
export const UpdateContactRequestSchema = z.object({
  ...Write,
  contactId: RecordIdSchema,
  expectedVersion: RecordVersionSchema.optional(),
  fields: ContactFieldsSchema.partial(),
});

/** `crm.rpc.contact.archive` (an Outlook delete archives, never deletes: C5). */
export const ArchiveContactRequestSchema = z.object({ ...Write, contactId: RecordIdSchema });
/** `crm.rpc.contact.delete` (duplicate resolution only: D2). */
export const DeleteContactRequestSchema = z.object({ ...Write, contactId: RecordIdSchema });
export const DeletedReplySchema = z.object({ deleted: z.boolean() });

/** `crm.rpc.appointments.list`: appointments a user takes part in, directly or by group, in a window (E3). */
export const ListAppointmentsRequestSchema = z.object({
  tenantId: TenantIdSchema,
  ...Page,
  userId: UserIdSchema.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export const AppointmentPageSchema = z.object({ items: z.array(AppointmentSchema), nextCursor: z.string().nullable() });

/** `crm.rpc.appointment.get` */
export const GetAppointmentRequestSchema = z.object({ tenantId: TenantIdSchema, appointmentId: RecordIdSchema });
export const AppointmentReplySchema = z.object({ appointment: AppointmentSchema });

/** `crm.rpc.appointment.create` */
export const CreateAppointmentRequestSchema = z.object({ ...Write, fields: AppointmentFieldsSchema });
/** `crm.rpc.appointment.update` */
export const UpdateAppointmentRequestSchema = z.object({
  ...Write,
  appointmentId: RecordIdSchema,
  expectedVersion: RecordVersionSchema.optional(),
  fields: AppointmentFieldsSchema.partial(),
});
/** `crm.rpc.appointment.cancel` (E6) */
export const CancelAppointmentRequestSchema = z.object({ ...Write, appointmentId: RecordIdSchema });
/** `crm.rpc.appointment.remove_participant`: one of several participants left (E6). */
export const RemoveParticipantRequestSchema = z.object({
  ...Write,
  appointmentId: RecordIdSchema,
  userId: UserIdSchema,
});

/** `crm.rpc.users.list` and `crm.rpc.groups.list`: the tenant's users and groups. */
export const ListUsersRequestSchema = z.object({ tenantId: TenantIdSchema });
export const UserListSchema = z.object({ items: z.array(CrmUserSchema) });
export const GroupListSchema = z.object({ items: z.array(CrmGroupSchema) });
