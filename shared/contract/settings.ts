import { z } from "zod";
import { TenantIdSchema, UserIdSchema } from "./ids.ts";
import { ConflictPolicySchema } from "./tenant.ts";

/** Contacts sync direction (A5): both ways, or CRM → Outlook only (C4). */
export const ContactsDirectionSchema = z.enum(["two-way", "crm-to-outlook"]);
export type ContactsDirection = z.infer<typeof ContactsDirectionSchema>;

/**
 * The `folderId` that names the mailbox's default "Contacts" folder when Graph does not reveal its
 * real id (`/me/contactFolders` lists only its sub-folders; auth asks for the well-known name
 * `contacts`, then takes a sub-folder's or a contact's parent). Sync services map it to
 * `/me/contacts` (graph-facts §1.2).
 */
export const DEFAULT_CONTACT_FOLDER_ID = "default";

/** A user's sync settings (A4, A5). Calendar sync is always two-way (E1). */
export const SyncSettingsSchema = z.object({
  calendar: z.object({
    enabled: z.boolean().default(false),
    /** The chosen Outlook calendar's id (A4); `null` until chosen. */
    calendarId: z.string().min(1).max(512).nullable().default(null),
    /** "Include earlier appointments": how many days back, 0–60 (A5). */
    includePastDays: z.number().int().min(0).max(60).default(0),
  }).default({ enabled: false, calendarId: null, includePastDays: 0 }),
  contacts: z.object({
    enabled: z.boolean().default(false),
    /** The chosen Outlook contact folder's id (A4), {@link DEFAULT_CONTACT_FOLDER_ID} for the default one; `null` until chosen. */
    folderId: z.string().min(1).max(512).nullable().default(null),
    direction: ContactsDirectionSchema.default("two-way"),
  }).default({ enabled: false, folderId: null, direction: "two-way" }),
});
export type SyncSettings = z.infer<typeof SyncSettingsSchema>;

/** State of a user's Microsoft 365 link (A1, A6). */
export const LinkStateSchema = z.enum(["linked", "needs_reconnect", "not_linked"]);
export type LinkState = z.infer<typeof LinkStateSchema>;

/** What the sync services need to know to run a user: can they sync, and how. */
export const SyncUserContextSchema = z.object({
  tenantId: TenantIdSchema,
  userId: UserIdSchema,
  tenantEnabled: z.boolean(),
  hasSyncRight: z.boolean(),
  linkState: LinkStateSchema,
  /** Reason for `needs_reconnect`, shown in status. */
  linkReason: z.string().nullable(),
  settings: SyncSettingsSchema,
  /** The tenant's policy for fields changed differently on both sides (C9). */
  conflictPolicy: ConflictPolicySchema.default("crm-wins"),
  /**
   * A10 (tenant setting): the first sync of a newly chosen folder or calendar waits until the user
   * confirms it; until then the preview is available and nothing is written.
   */
  firstSyncNeedsConfirmation: z.boolean().default(false),
  /**
   * E10 (tenant setting): real attendees, and with them one invitation, for new future CRM
   * appointments. Absent means off.
   */
  calendarAttendees: z.boolean().optional(),
});
export type SyncUserContext = z.infer<typeof SyncUserContextSchema>;

/** True when every switch for this user is on: tenant feature, user right, linked account. */
export function canSync(ctx: SyncUserContext): boolean {
  return ctx.tenantEnabled && ctx.hasSyncRight && ctx.linkState === "linked";
}
