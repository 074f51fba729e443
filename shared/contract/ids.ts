import { z } from "zod";

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const idMessage = "1–128 characters: letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

/** A CRM tenant (one customer installation of the CRM). */
export const TenantIdSchema = z.string().regex(idPattern, idMessage);
/** A CRM user within a tenant. */
export const UserIdSchema = z.string().regex(idPattern, idMessage);
/** A CRM group of users within a tenant. */
export const GroupIdSchema = z.string().regex(idPattern, idMessage);
/** A CRM record id (contact, appointment, resource). */
export const RecordIdSchema = z.string().regex(idPattern, idMessage);
/** Monotonic version the CRM gives each record; it grows with every change. */
export const RecordVersionSchema = z.number().int().nonnegative();
/** Idempotency key a writer sends so that a retried request never acts twice. */
export const IdempotencyKeySchema = z.string().min(8).max(200);

export type TenantId = z.infer<typeof TenantIdSchema>;
export type UserId = z.infer<typeof UserIdSchema>;
export type GroupId = z.infer<typeof GroupIdSchema>;
export type RecordId = z.infer<typeof RecordIdSchema>;
