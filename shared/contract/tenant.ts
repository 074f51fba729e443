import { z } from "zod";
import { GroupIdSchema, TenantIdSchema, UserIdSchema } from "./ids.ts";

/** How a field changed differently on both sides is resolved (C9). */
export const ConflictPolicySchema = z.enum(["crm-wins", "outlook-wins"]);
export type ConflictPolicy = z.infer<typeof ConflictPolicySchema>;

/** A CRM tenant as the sync layer knows it. */
export const TenantSchema = z.object({
  id: TenantIdSchema,
  name: z.string().min(1).max(200),
  /** A8: the Outlook sync feature is switched on for this tenant. */
  syncEnabled: z.boolean(),
  conflictPolicy: ConflictPolicySchema.default("crm-wins"),
  /** A10: a user's first sync of a newly chosen folder or calendar waits for their confirmation. */
  firstSyncNeedsConfirmation: z.boolean().default(false),
  /**
   * E10: appointments created in the CRM after linking that start in the future go to Outlook with
   * real attendees (contacts, resource mailboxes), so Microsoft mails one invitation. Off: never.
   */
  calendarAttendees: z.boolean().default(false),
});
export type Tenant = z.infer<typeof TenantSchema>;

/** A CRM user. */
export const CrmUserSchema = z.object({
  id: UserIdSchema,
  tenantId: TenantIdSchema,
  displayName: z.string().min(1).max(200),
  email: z.email().optional(),
});
export type CrmUser = z.infer<typeof CrmUserSchema>;

/** A CRM group; appointments for a group land in every member's calendar (E4). */
export const CrmGroupSchema = z.object({
  id: GroupIdSchema,
  tenantId: TenantIdSchema,
  name: z.string().min(1).max(200),
  memberIds: z.array(UserIdSchema),
});
export type CrmGroup = z.infer<typeof CrmGroupSchema>;
