import { z } from "zod";
import { AppointmentFieldsPatchSchema, AppointmentFieldsSchema, AppointmentSchema } from "./appointment.ts";
import { ContactFieldsPatchSchema, ContactFieldsSchema, ContactSchema } from "./contact.ts";
import { IdempotencyKeySchema, RecordIdSchema, RecordVersionSchema, TenantIdSchema, UserIdSchema } from "./ids.ts";
import { CrmGroupSchema, CrmUserSchema } from "./tenant.ts";
import {
  MergeAppointmentsReplySchema,
  MergeAppointmentsRequestSchema,
  MergeContactsReplySchema,
  MergeContactsRequestSchema,
  UnmergeAppointmentsReplySchema,
  UnmergeAppointmentsRequestSchema,
  UnmergeContactsReplySchema,
  UnmergeContactsRequestSchema,
} from "./dedupe.ts";

const Page = {
  cursor: z.string().max(500).nullable().default(null),
  limit: z.number().int().min(1).max(1_000).default(200),
};
const Write = { tenantId: TenantIdSchema, idempotencyKey: IdempotencyKeySchema };
/** Optional optimistic lock: the write is refused with `version_mismatch` unless the record is at this version. */
const Expect = { expectedVersion: RecordVersionSchema.optional() };

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

/** Ids one batch get may ask for (the reply stays far below NATS's default 1 MB payload). */
export const GET_MANY_LIMIT = 200;
const Ids = z.array(RecordIdSchema).min(1).max(GET_MANY_LIMIT);

/**
 * `crm.rpc.contacts.get_many` (P8, added within v1): the contacts with these ids, archived ones
 * included; ids of deleted (or never existing) contacts come back in `notFound`. An incremental run
 * fetches exactly the records the CRM's events named, instead of listing a user's whole scope.
 */
export const GetContactsRequestSchema = z.strictObject({ tenantId: TenantIdSchema, ids: Ids });
export const ContactsReplySchema = z.strictObject({
  items: z.array(ContactSchema).max(GET_MANY_LIMIT),
  notFound: z.array(RecordIdSchema).max(GET_MANY_LIMIT),
});

/** `crm.rpc.contact.create`: creates once per idempotency key; may set sync flags for users at once. */
export const CreateContactRequestSchema = z.object({
  ...Write,
  fields: ContactFieldsSchema,
  syncUserIds: z.array(UserIdSchema).default([]),
});

/**
 * `crm.rpc.contact.update`: replaces only the fields given (arrays as a whole); refused if
 * `expectedVersion` is stale. A patch that changes nothing leaves the version as it is.
 */
export const UpdateContactRequestSchema = z.object({
  ...Write,
  contactId: RecordIdSchema,
  ...Expect,
  fields: ContactFieldsPatchSchema,
});

/** `crm.rpc.contact.archive` (an Outlook delete archives, never deletes: C5). Archiving an archived contact changes nothing. */
export const ArchiveContactRequestSchema = z.object({ ...Write, contactId: RecordIdSchema, ...Expect });
/** `crm.rpc.contact.delete` (duplicate resolution only: D2). Deleting what is gone answers `deleted: false`. */
export const DeleteContactRequestSchema = z.object({ ...Write, contactId: RecordIdSchema, ...Expect });
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

/**
 * `crm.rpc.appointments.get_many` (P8, added within v1): the appointments with these ids, cancelled
 * ones included; ids of deleted appointments come back in `notFound`.
 */
export const GetAppointmentsRequestSchema = z.strictObject({ tenantId: TenantIdSchema, ids: Ids });
export const AppointmentsReplySchema = z.strictObject({
  items: z.array(AppointmentSchema).max(GET_MANY_LIMIT),
  notFound: z.array(RecordIdSchema).max(GET_MANY_LIMIT),
});

/** `crm.rpc.appointment.create` */
export const CreateAppointmentRequestSchema = z.object({ ...Write, fields: AppointmentFieldsSchema });
/** `crm.rpc.appointment.update`: replaces only the fields given (arrays as a whole). */
export const UpdateAppointmentRequestSchema = z.object({
  ...Write,
  appointmentId: RecordIdSchema,
  ...Expect,
  fields: AppointmentFieldsPatchSchema,
});
/** `crm.rpc.appointment.cancel` (E6). Cancelling a cancelled appointment changes nothing. */
export const CancelAppointmentRequestSchema = z.object({ ...Write, appointmentId: RecordIdSchema, ...Expect });
/**
 * `crm.rpc.appointment.remove_participant`: one of several participants left (E6). A user who
 * takes part only through a group cannot leave alone (E4): `participant_via_group`.
 */
export const RemoveParticipantRequestSchema = z.object({
  ...Write,
  appointmentId: RecordIdSchema,
  userId: UserIdSchema,
  ...Expect,
});
/** `crm.rpc.appointment.delete` (duplicate resolution: D2). Deleting what is gone answers `deleted: false`. */
export const DeleteAppointmentRequestSchema = z.object({ ...Write, appointmentId: RecordIdSchema, ...Expect });

/** `crm.rpc.users.list` and `crm.rpc.groups.list`: the tenant's users and groups. */
export const ListUsersRequestSchema = z.object({ tenantId: TenantIdSchema });
export const UserListSchema = z.object({ items: z.array(CrmUserSchema) });
export const GroupListSchema = z.object({ items: z.array(CrmGroupSchema) });

/**
 * Request and reply body of every `crm.rpc.*` subject, keyed like `natsCatalog().subjects.crm.rpc`.
 * Replies travel wrapped in {@link rpcReply}: `{ ok: true, data }` or `{ ok: false, error }`.
 */
export const crmRpc = {
  contactsList: { request: ListContactsRequestSchema, reply: ContactPageSchema, write: false },
  contactGet: { request: GetContactRequestSchema, reply: ContactReplySchema, write: false },
  contactsGetMany: { request: GetContactsRequestSchema, reply: ContactsReplySchema, write: false },
  contactCreate: { request: CreateContactRequestSchema, reply: ContactReplySchema, write: true },
  contactUpdate: { request: UpdateContactRequestSchema, reply: ContactReplySchema, write: true },
  contactArchive: { request: ArchiveContactRequestSchema, reply: ContactReplySchema, write: true },
  contactDelete: { request: DeleteContactRequestSchema, reply: DeletedReplySchema, write: true },
  appointmentsList: { request: ListAppointmentsRequestSchema, reply: AppointmentPageSchema, write: false },
  appointmentGet: { request: GetAppointmentRequestSchema, reply: AppointmentReplySchema, write: false },
  appointmentsGetMany: { request: GetAppointmentsRequestSchema, reply: AppointmentsReplySchema, write: false },
  appointmentCreate: { request: CreateAppointmentRequestSchema, reply: AppointmentReplySchema, write: true },
  appointmentUpdate: { request: UpdateAppointmentRequestSchema, reply: AppointmentReplySchema, write: true },
  appointmentCancel: { request: CancelAppointmentRequestSchema, reply: AppointmentReplySchema, write: true },
  appointmentRemoveParticipant: {
    request: RemoveParticipantRequestSchema,
    reply: AppointmentReplySchema,
    write: true,
  },
  appointmentDelete: { request: DeleteAppointmentRequestSchema, reply: DeletedReplySchema, write: true },
  usersList: { request: ListUsersRequestSchema, reply: UserListSchema, write: false },
  groupsList: { request: ListUsersRequestSchema, reply: GroupListSchema, write: false },
  // Duplicate decisions (D2, D3), added within v1 (docs/crm-contract.md §5.4).
  contactsMerge: { request: MergeContactsRequestSchema, reply: MergeContactsReplySchema, write: true },
  contactsUnmerge: { request: UnmergeContactsRequestSchema, reply: UnmergeContactsReplySchema, write: true },
  appointmentsMerge: { request: MergeAppointmentsRequestSchema, reply: MergeAppointmentsReplySchema, write: true },
  appointmentsUnmerge: {
    request: UnmergeAppointmentsRequestSchema,
    reply: UnmergeAppointmentsReplySchema,
    write: true,
  },
} as const;
/** A key of {@link crmRpc}, the same as in the subject catalogue. */
export type CrmRpcName = keyof typeof crmRpc;

/**
 * Error codes the CRM answers request/reply calls with (`error.code` of {@link rpcReply}).
 * Callers retry only `retryable` (after `retryAfterMs`) and timeouts; every other code is final
 * for that request body.
 */
export const CRM_RPC_ERROR_CODES = {
  validation_failed:
    "The request does not match its schema or names unknown users, groups or contacts; `issues` name the fields.",
  not_found: "The tenant or the addressed record does not exist (deleted records included).",
  version_mismatch: "`expectedVersion` is not the record's current version; read it again and decide.",
  idempotency_conflict: "The idempotency key was already used for a different request body or subject.",
  participant_via_group: "The user takes part only through a group and cannot leave the appointment alone (E4).",
  retryable: "A transient failure; nothing was changed. Retry with the same idempotency key after `retryAfterMs`.",
  internal: "An unexpected failure; whether the write happened is unknown. Retry with the same idempotency key.",
} as const;
export type CrmRpcErrorCode = keyof typeof CRM_RPC_ERROR_CODES;
