import {
  AppointmentFieldsPatchSchema,
  AppointmentFieldsSchema,
  ContactFieldsPatchSchema,
  ContactFieldsSchema,
  GroupIdSchema,
  RecordIdSchema,
  RecordVersionSchema,
  TenantIdSchema,
  UserIdSchema,
} from "@app/shared/contract";
import { z } from "zod";

// Admin bodies are strict: a misspelt field in a test is an error, not a silently dropped value.

/** `POST /admin/tenants` */
export const CreateTenantInputSchema = z.strictObject({ id: TenantIdSchema, name: z.string().min(1).max(200) });

/** `POST /admin/tenants/:tenantId/users` */
export const CreateUserInputSchema = z.strictObject({
  id: UserIdSchema.optional(),
  displayName: z.string().min(1).max(200),
  email: z.email().optional(),
});

/** `POST /admin/tenants/:tenantId/groups` */
export const CreateGroupInputSchema = z.strictObject({
  id: GroupIdSchema.optional(),
  name: z.string().min(1).max(200),
  memberIds: z.array(UserIdSchema).default([]),
});

/** `PUT /admin/tenants/:tenantId/groups/:groupId/members` */
export const SetMembersInputSchema = z.strictObject({ memberIds: z.array(UserIdSchema) });

/** `POST /admin/tenants/:tenantId/contacts`: the contact's fields flat, plus id, flags and archive state. */
export const CreateContactInputSchema = z.strictObject({
  ...ContactFieldsSchema.shape,
  id: RecordIdSchema.optional(),
  syncUserIds: z.array(UserIdSchema).default([]),
  archived: z.boolean().default(false),
});

/** `POST /admin/tenants/:tenantId/contacts/bulk`: all or nothing. `emitEvents: false` models data that existed before sync. */
export const BulkContactsInputSchema = z.strictObject({
  contacts: z.array(CreateContactInputSchema).min(1).max(20_000),
  emitEvents: z.boolean().default(true),
});

/** `PATCH /admin/tenants/:tenantId/contacts/:contactId`: fields to replace, and/or archive or restore. */
export const PatchContactInputSchema = z.strictObject({
  ...ContactFieldsPatchSchema.shape,
  archived: z.boolean().optional(),
  expectedVersion: RecordVersionSchema.optional(),
});

/** `POST /admin/tenants/:tenantId/appointments` */
export const CreateAppointmentInputSchema = z.strictObject({
  ...AppointmentFieldsSchema.shape,
  id: RecordIdSchema.optional(),
});

/** `PATCH /admin/tenants/:tenantId/appointments/:appointmentId` (set `cancelled` to cancel). */
export const PatchAppointmentInputSchema = z.strictObject({
  ...AppointmentFieldsPatchSchema.shape,
  expectedVersion: RecordVersionSchema.optional(),
});

/** `GET /admin/requests` query. */
export const RequestLogQuerySchema = z.object({
  tenantId: z.string().optional(),
  rpc: z.string().optional(),
  writesOnly: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
});

export type CreateTenantInput = z.input<typeof CreateTenantInputSchema>;
export type CreateUserInput = z.input<typeof CreateUserInputSchema>;
export type CreateGroupInput = z.input<typeof CreateGroupInputSchema>;
export type CreateContactInput = z.input<typeof CreateContactInputSchema>;
export type PatchContactInput = z.input<typeof PatchContactInputSchema>;
export type CreateAppointmentInput = z.input<typeof CreateAppointmentInputSchema>;
export type PatchAppointmentInput = z.input<typeof PatchAppointmentInputSchema>;
