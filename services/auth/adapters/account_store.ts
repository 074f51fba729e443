import { and, eq } from "drizzle-orm";
import { SyncSettingsSchema } from "@app/shared/contract";
import { ConflictError, ForbiddenError, NotFoundError } from "@app/shared/errors";
import type { Sealed } from "../crypto/token_cipher.ts";
import { accounts, settings, tenants, users } from "../db/schema.ts";
import { type Db, uniqueViolation } from "./db.ts";
import { enqueueEvent } from "./outbox.ts";

/** A linked account row (its token cache still sealed). */
export type AccountRow = typeof accounts.$inferSelect;

/** What signing in told us about the account. */
export interface SignedInAccount {
  homeAccountId: string;
  username: string;
  accountName: string;
  scopes: string[];
}

/** The additional data a token cache is sealed with: it opens only for this user and account. */
export function cacheContext(a: { tenantId: string; userId: string; homeAccountId: string }): string {
  return `token-cache:${a.tenantId}/${a.userId}/${a.homeAccountId}`;
}

/** Linked Microsoft 365 accounts and their sealed token caches (A1, A3, A6, A7). */
export class AccountStore {
  constructor(private readonly db: Db) {}

  async byUser(tenantId: string, userId: string): Promise<AccountRow | undefined> {
    const [row] = await this.db.select().from(accounts)
      .where(and(eq(accounts.tenantId, tenantId), eq(accounts.userId, userId)));
    return row;
  }

  async byId(id: string): Promise<AccountRow | undefined> {
    const [row] = await this.db.select().from(accounts).where(eq(accounts.id, id));
    return row;
  }

  /**
   * Records the account as the user's (a first link, or a reconnect of the same account), with its
   * sealed cache and `auth.account.linked`, in one transaction. A3 conflicts throw and change
   * nothing; the unique constraints decide when two sign-ins race.
   */
  async link(tenantId: string, userId: string, account: SignedInAccount, cache: Sealed): Promise<AccountRow> {
    try {
      return await this.db.transaction(async (tx) => {
        const [user] = await tx.select({ right: users.syncRight, enabled: tenants.syncEnabled }).from(users)
          .innerJoin(tenants, eq(tenants.id, users.tenantId))
          .where(and(eq(users.tenantId, tenantId), eq(users.userId, userId))).for("update");
        if (!user) throw new NotFoundError(`user ${userId} does not exist`);
        if (!user.enabled) throw featureDisabled(tenantId);
        if (!user.right) throw rightNotGranted(userId);
        const [mine] = await tx.select().from(accounts)
          .where(and(eq(accounts.tenantId, tenantId), eq(accounts.userId, userId)));
        if (mine && mine.homeAccountId !== account.homeAccountId) throw userAlreadyLinked(userId, mine.username);
        const [other] = await tx.select({ id: accounts.id }).from(accounts)
          .where(eq(accounts.homeAccountId, account.homeAccountId));
        if (other && other.id !== mine?.id) throw accountAlreadyLinked(account.username);
        const values = {
          ...account,
          state: "linked",
          reason: null,
          tokenCache: cache.ciphertext,
          keyId: cache.keyId,
          updatedAt: new Date(),
        };
        const [row] = mine
          ? await tx.update(accounts).set({ ...values, linkedAt: new Date() }).where(eq(accounts.id, mine.id))
            .returning()
          : await tx.insert(accounts).values({ tenantId, userId, ...values }).returning();
        await enqueueEvent(tx, "auth.account.linked", tenantId, { userId, accountName: account.accountName });
        return row!;
      });
    } catch (err) {
      const constraint = uniqueViolation(err);
      if (constraint === "accounts_home_account_unique") throw accountAlreadyLinked(account.username);
      if (constraint === "accounts_user_unique") throw userAlreadyLinked(userId, "another account");
      throw err;
    }
  }

  /** Stores a re-sealed cache after MSAL changed it (refresh) or the key rotated. */
  async saveCache(id: string, cache: Sealed): Promise<void> {
    await this.db.update(accounts).set({ tokenCache: cache.ciphertext, keyId: cache.keyId, updatedAt: new Date() })
      .where(eq(accounts.id, id));
  }

  /** Marks a linked account needs-reconnect with the reason and records the event (once). */
  async markNeedsReconnect(id: string, reason: string): Promise<boolean> {
    return await this.db.transaction(async (tx) => {
      const [row] = await tx.update(accounts).set({ state: "needs_reconnect", reason, updatedAt: new Date() })
        .where(and(eq(accounts.id, id), eq(accounts.state, "linked")))
        .returning({ tenantId: accounts.tenantId, userId: accounts.userId });
      if (!row) return false;
      await enqueueEvent(tx, "auth.account.needs_reconnect", row.tenantId, { userId: row.userId, reason });
      return true;
    });
  }

  /**
   * Drops the account and its tokens (A7) and forgets the calendar and folder chosen in it (they
   * belong to that mailbox), recording `auth.account.unlinked`. Returns the dropped row.
   */
  async unlink(tenantId: string, userId: string): Promise<AccountRow | undefined> {
    return await this.db.transaction(async (tx) => {
      const [row] = await tx.delete(accounts)
        .where(and(eq(accounts.tenantId, tenantId), eq(accounts.userId, userId))).returning();
      if (!row) return undefined;
      const [saved] = await tx.select().from(settings)
        .where(and(eq(settings.tenantId, tenantId), eq(settings.userId, userId))).for("update");
      if (saved) {
        const s = SyncSettingsSchema.parse(saved.settings);
        const next = {
          calendar: { ...s.calendar, enabled: false, calendarId: null },
          contacts: { ...s.contacts, enabled: false, folderId: null },
        };
        await tx.update(settings).set({ settings: next, updatedAt: new Date() })
          .where(and(eq(settings.tenantId, tenantId), eq(settings.userId, userId)));
      }
      await enqueueEvent(tx, "auth.account.unlinked", tenantId, { userId });
      return row;
    });
  }
}

/** The tenant's sync feature is switched off (A8). */
export function featureDisabled(tenantId: string): ForbiddenError {
  return new ForbiddenError("feature_disabled", `Microsoft 365 sync is switched off for tenant ${tenantId}`);
}

/** The user lacks the "Microsoft Outlook sync" right (A2). */
export function rightNotGranted(userId: string): ForbiddenError {
  return new ForbiddenError(
    "right_not_granted",
    `user ${userId} does not have the "Microsoft Outlook sync" right; a CRM admin must grant it first`,
  );
}

function accountAlreadyLinked(username: string): ConflictError {
  return new ConflictError(
    "account_already_linked",
    `The Microsoft 365 account ${username} is already linked to another CRM user. An account can be linked to ` +
      "one CRM user only; unlink it there first. Nothing was changed.",
  );
}

function userAlreadyLinked(userId: string, username: string): ConflictError {
  return new ConflictError(
    "user_already_linked",
    `CRM user ${userId} is already linked to the Microsoft 365 account ${username}. A CRM user can link one ` +
      "account only; unlink it first. Nothing was changed.",
  );
}
