import { z } from "zod";
import { envelope } from "./envelope.ts";
import { TenantIdSchema, UserIdSchema } from "./ids.ts";
import { SyncSettingsSchema, SyncUserContextSchema } from "./settings.ts";

const UserRef = { userId: UserIdSchema };

/** `auth.account.linked`: a user linked a Microsoft 365 account (A1). */
export const AccountLinkedV1 = envelope("auth.account.linked", 1, z.object({ ...UserRef, accountName: z.string() }));
/** `auth.account.unlinked`: sync stops; both sides' data stays (A7). */
export const AccountUnlinkedV1 = envelope("auth.account.unlinked", 1, z.object(UserRef));
/** `auth.account.needs_reconnect`: refresh refused; sync stops until the user signs in again (A6). */
export const AccountNeedsReconnectV1 = envelope(
  "auth.account.needs_reconnect",
  1,
  z.object({ ...UserRef, reason: z.string() }),
);
/** `auth.settings.changed`: the user's sync settings now (A4, A5). */
export const SettingsChangedV1 = envelope(
  "auth.settings.changed",
  1,
  z.object({ ...UserRef, settings: SyncSettingsSchema }),
);
/** `auth.right.changed`: the "Microsoft Outlook sync" right was granted or revoked (A2). */
export const SyncRightChangedV1 = envelope("auth.right.changed", 1, z.object({ ...UserRef, granted: z.boolean() }));
/** `auth.tenant.switched`: the tenant's sync feature was switched on or off (A8). */
export const TenantSwitchedV1 = envelope("auth.tenant.switched", 1, z.object({ enabled: z.boolean() }));

/** Every auth event, discriminated by `type`. */
export const AuthEventSchema = z.discriminatedUnion("type", [
  AccountLinkedV1,
  AccountUnlinkedV1,
  AccountNeedsReconnectV1,
  SettingsChangedV1,
  SyncRightChangedV1,
  TenantSwitchedV1,
]);
export type AuthEvent = z.infer<typeof AuthEventSchema>;

/** `auth.rpc.token.get`: a short-lived Graph access token for a linked user. */
export const GetTokenRequestSchema = z.object({
  tenantId: TenantIdSchema,
  userId: UserIdSchema,
  /** Skip the cached access token and refresh (a caller whose token Graph just answered 401). */
  forceRefresh: z.boolean().optional(),
});
export const TokenReplySchema = z.object({
  accessToken: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
  /** Graph base URL to use with this token (the emulator's in demo and tests). */
  graphBaseUrl: z.url(),
});

/** `auth.rpc.user.context`: everything a sync service needs to decide whether and how to sync a user. */
export const GetUserContextRequestSchema = z.object({ tenantId: TenantIdSchema, userId: UserIdSchema });
export const UserContextReplySchema = SyncUserContextSchema;

/** `auth.rpc.users.syncable`: every user who currently may sync (startup and periodic polls). */
export const ListSyncableUsersRequestSchema = z.object({ tenantId: TenantIdSchema.optional() });
export const SyncableUsersReplySchema = z.object({ items: z.array(SyncUserContextSchema) });

/** `auth.rpc.apikey.verify`: which tenant owns this API key (services other than auth cache the answer). */
export const VerifyApiKeyRequestSchema = z.object({ apiKey: z.string().min(1).max(500) });
export const VerifyApiKeyReplySchema = z.object({ tenantId: TenantIdSchema, syncEnabled: z.boolean() });

