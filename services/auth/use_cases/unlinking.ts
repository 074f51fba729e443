import type { Logger } from "@app/shared/log";
import type { AccountStore } from "../adapters/account_store.ts";
import { type AccessDeps, requireUser } from "./access.ts";
import type { MailboxChoices } from "./mailbox.ts";

/** What {@link unlinkAccount} needs; `mailbox` is absent when no Microsoft app is configured. */
export interface UnlinkDeps extends AccessDeps {
  accounts: AccountStore;
  mailbox?: MailboxChoices;
  logger: Logger;
  eventsWritten: () => void;
}

/** What unlinking did. */
export interface UnlinkResult {
  wasLinked: boolean;
  subscriptionsDeleted: number;
  /** Set when the subscriptions could not be deleted (they then expire on their own within days). */
  subscriptionsNote?: string;
}

/**
 * Unlinks the user's account (A7): deletes the app's Graph subscriptions for the user while the
 * token still works, then drops the tokens and records `auth.account.unlinked`. Contacts and
 * appointments stay as they are on both sides. Allowed whatever the tenant switch or the right.
 */
export async function unlinkAccount(d: UnlinkDeps, tenantId: string, userId: string): Promise<UnlinkResult> {
  await requireUser(d, tenantId, userId);
  const account = await d.accounts.byUser(tenantId, userId);
  if (!account) return { wasLinked: false, subscriptionsDeleted: 0 };
  let subscriptionsDeleted = 0;
  let subscriptionsNote: string | undefined;
  if (account.state !== "linked" || !d.mailbox) {
    subscriptionsNote = "the account's token no longer works; its subscriptions expire on their own";
  } else {
    try {
      subscriptionsDeleted = await d.mailbox.withMailbox(account, (m) => m.deleteSubscriptions());
    } catch (err) {
      d.logger.warn("deleting subscriptions on unlink failed", { tenantId, userId, error: err });
      subscriptionsNote = `deleting subscriptions failed (${err instanceof Error ? err.message : err}); ` +
        "they expire on their own";
    }
  }
  await d.accounts.unlink(tenantId, userId);
  d.eventsWritten();
  return { wasLinked: true, subscriptionsDeleted, ...(subscriptionsNote ? { subscriptionsNote } : {}) };
}
