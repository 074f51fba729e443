import { z } from "@hono/zod-openapi";
import { ConflictPolicySchema, LinkStateSchema, SyncSettingsSchema, UserIdSchema } from "@app/shared/contract";
import type { AccountRow } from "../adapters/account_store.ts";
import type { UserStatus } from "../use_cases/mod.ts";

/** `{userId}` in a path. */
export const UserParams = z.object({ userId: UserIdSchema });

/** A user's Microsoft 365 link (A1, A6). */
export const LinkStatusSchema = z.object({
  state: LinkStateSchema,
  /** Why the account needs reconnecting, as Microsoft said it. */
  reason: z.string().nullable(),
  accountName: z.string().nullable(),
  username: z.string().nullable(),
  /** Graph permissions granted at sign-in. */
  scopes: z.array(z.string()),
  linkedAt: z.iso.datetime({ offset: true }).nullable(),
});

/** A user as the CRM admin sees them. */
export const UserStatusSchema = z.object({
  userId: UserIdSchema,
  hasSyncRight: z.boolean(),
  tenantEnabled: z.boolean(),
  /** Tenant switched on, right granted and account linked: the sync services run this user. */
  canSync: z.boolean(),
  link: LinkStatusSchema,
  settings: SyncSettingsSchema,
});

export const UserListSchema = z.object({ items: z.array(UserStatusSchema) });

export const SyncRightBodySchema = z.object({ granted: z.boolean() });

/**
 * A settings update (A4, A5): each section sent replaces the saved one; a section left out stays
 * as it is (a body that only switches contacts never switches the calendar off).
 */
export const SyncSettingsUpdateSchema = z.object({
  calendar: SyncSettingsSchema.shape.calendar.unwrap().optional(),
  contacts: SyncSettingsSchema.shape.contacts.unwrap().optional(),
});

/** What a tenant chooses for itself (C9, A10); every field optional, at least one given. */
export const TenantSettingsBodySchema = z.object({
  conflictPolicy: ConflictPolicySchema.optional(),
  firstSyncNeedsConfirmation: z.boolean().optional(),
  /** E10: real attendees (one invitation) for new future CRM appointments. */
  calendarAttendees: z.boolean().optional(),
});

export const StartLinkBodySchema = z.object({
  /** Where the browser goes after the sign-in, with `outcome`, `code`, `message`; an allowed CRM origin. */
  returnUrl: z.url({ protocol: /^https?$/ }).max(2_000).optional(),
  /** The account to link (its sign-in name): skips the account picker; signing in as another account is refused. */
  loginHint: z.string().min(1).max(256).optional(),
});
export const StartLinkReplySchema = z.object({
  /** Open this in the user's browser: Microsoft's sign-in and consent. */
  authorizeUrl: z.url(),
  expiresAt: z.iso.datetime({ offset: true }),
});

export const UnlinkReplySchema = z.object({
  wasLinked: z.boolean(),
  subscriptionsDeleted: z.number().int().nonnegative(),
  subscriptionsNote: z.string().optional(),
  link: LinkStatusSchema,
});

export const CalendarListSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), isDefault: z.boolean(), canEdit: z.boolean() })),
});
export const ContactFolderListSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), isDefault: z.boolean() })),
});

/** The link part of a status. */
export function toLinkStatus(account: AccountRow | undefined): z.infer<typeof LinkStatusSchema> {
  if (!account) {
    return { state: "not_linked", reason: null, accountName: null, username: null, scopes: [], linkedAt: null };
  }
  return {
    state: account.state === "needs_reconnect" ? "needs_reconnect" : "linked",
    reason: account.state === "needs_reconnect" ? account.reason : null,
    accountName: account.accountName,
    username: account.username,
    scopes: account.scopes,
    linkedAt: account.linkedAt.toISOString(),
  };
}

export function toUserStatus(s: UserStatus): z.infer<typeof UserStatusSchema> {
  const c = s.context;
  return {
    userId: c.userId,
    hasSyncRight: c.hasSyncRight,
    tenantEnabled: c.tenantEnabled,
    canSync: c.tenantEnabled && c.hasSyncRight && c.linkState === "linked",
    link: toLinkStatus(s.account),
    settings: c.settings,
  };
}

/** Problem+json, for the OpenAPI description of error answers. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Error answers a route may give, described once. */
export function problems(...statuses: Array<400 | 403 | 404 | 409 | 502 | 503>) {
  const text: Record<number, string> = {
    400: "Malformed request; `issues` name each field",
    403: "Feature switched off for the tenant (`feature_disabled`) or right not granted (`right_not_granted`)",
    404: "No such user in this tenant",
    409: "Account not linked (`not_linked`), needs reconnect (`needs_reconnect`) or already linked elsewhere",
    502: "Microsoft answered unexpectedly",
    503: "Microsoft unreachable, or no Microsoft app configured (`microsoft_not_configured`)",
  };
  return Object.fromEntries(statuses.map((s) => [s, {
    description: text[s]!,
    content: { "application/problem+json": { schema: ProblemSchema } },
  }]));
}
