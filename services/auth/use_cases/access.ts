import { NeedsReconnectError, NotFoundError, NotLinkedError } from "@app/shared/errors";
import { type AccountRow, type AccountStore, featureDisabled, rightNotGranted } from "../adapters/account_store.ts";
import type { TenantStore } from "../adapters/tenant_store.ts";
import type { UserRow, UserStore } from "../adapters/user_store.ts";

/** The stores the checks read. */
export interface AccessDeps {
  tenants: TenantStore;
  users: UserStore;
  accounts: AccountStore;
}

/** The user of this tenant, or 404: another tenant's users do not exist for the caller. */
export async function requireUser(d: AccessDeps, tenantId: string, userId: string): Promise<UserRow> {
  const user = await d.users.get(tenantId, userId);
  if (!user) throw new NotFoundError(`user ${userId} does not exist (grant or withhold the sync right first)`);
  return user;
}

/** The user may use Microsoft 365 now: tenant switched on (A8) and right granted (A2). */
export async function requireMayUse(d: AccessDeps, tenantId: string, userId: string): Promise<UserRow> {
  const user = await requireUser(d, tenantId, userId);
  const tenant = await d.tenants.get(tenantId);
  if (!tenant?.syncEnabled) throw featureDisabled(tenantId);
  if (!user.syncRight) throw rightNotGranted(userId);
  return user;
}

/** The user's linked account, usable now (A1, A6); typed errors otherwise. */
export async function requireLinkedAccount(d: AccessDeps, tenantId: string, userId: string): Promise<AccountRow> {
  await requireMayUse(d, tenantId, userId);
  const account = await d.accounts.byUser(tenantId, userId);
  if (!account) throw new NotLinkedError(`user ${userId} has not linked a Microsoft 365 account`);
  if (account.state === "needs_reconnect") throw needsReconnect(userId, account.reason ?? "unknown");
  return account;
}

/** The user must sign in to Microsoft again (A6). */
export function needsReconnect(userId: string, reason: string): NeedsReconnectError {
  return new NeedsReconnectError(
    `the Microsoft 365 account of user ${userId} needs to be reconnected: the user must link it again`,
    reason,
  );
}
