import type { AccountRow, AccountStore } from "../adapters/account_store.ts";
import { cacheContext } from "../adapters/account_store.ts";
import { type CacheStorage, InteractionRequiredError, type MicrosoftIdentity } from "../adapters/microsoft_identity.ts";
import { type TokenCipher, TokenDecryptError } from "../crypto/token_cipher.ts";
import type { Logger } from "@app/shared/log";
import { NotLinkedError } from "@app/shared/errors";
import { type AccessDeps, needsReconnect, requireLinkedAccount } from "./access.ts";

/** What {@link TokenService} needs. */
export interface TokenDeps extends AccessDeps {
  accounts: AccountStore;
  identity: MicrosoftIdentity;
  cipher: TokenCipher;
  logger: Logger;
  /** Publishes recorded events soon. */
  eventsWritten: () => void;
}

/** A Graph access token and when it expires. */
export interface AccessToken {
  accessToken: string;
  expiresOn: Date;
}

/**
 * Token custody (A6): MSAL's cache per account lives sealed in Postgres; tokens are refreshed
 * silently; a refusal marks the account needs-reconnect (with the reason, and an event) and
 * answers {@link NeedsReconnectError}.
 */
export class TokenService {
  // One acquisition per account at a time in this process, so two refreshes do not race.
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly d: TokenDeps) {}

  /** For a sync service: only while tenant, right and link all allow it (A2, A6, A8). */
  async forUser(tenantId: string, userId: string, forceRefresh = false): Promise<AccessToken> {
    const account = await requireLinkedAccount(this.d, tenantId, userId);
    return await this.forAccount(account, forceRefresh);
  }

  /** For auth itself (listing choices, unlinking): any linked account. */
  forAccount(account: AccountRow, forceRefresh = false): Promise<AccessToken> {
    const prev = this.#inFlight.get(account.id) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => this.#acquire(account, forceRefresh));
    this.#inFlight.set(account.id, next);
    return next.finally(() => {
      if (this.#inFlight.get(account.id) === next) this.#inFlight.delete(account.id);
    });
  }

  async #acquire(account: AccountRow, forceRefresh: boolean): Promise<AccessToken> {
    const context = cacheContext(account);
    const storage: CacheStorage = {
      load: async () => {
        // Read the row afresh: another replica may have refreshed since `account` was read.
        const row = await this.d.accounts.byId(account.id);
        if (!row) throw new NotLinkedError(`user ${account.userId} has not linked a Microsoft 365 account`);
        const plain = await this.d.cipher.open({ keyId: row.keyId, ciphertext: row.tokenCache }, context);
        if (this.d.cipher.isStale(row)) await storage.save(plain); // key rotation: re-seal on use
        return plain;
      },
      save: async (serialized) => {
        await this.d.accounts.saveCache(account.id, await this.d.cipher.seal(serialized, context));
      },
    };
    try {
      return await this.d.identity.acquireToken(storage, account.homeAccountId, forceRefresh);
    } catch (err) {
      const reason = err instanceof InteractionRequiredError
        ? err.reason
        : err instanceof TokenDecryptError
        ? `token_cache_unreadable: ${err.message}`
        : undefined;
      if (reason === undefined) throw err;
      if (await this.d.accounts.markNeedsReconnect(account.id, reason)) {
        this.d.logger.warn("account needs reconnect", { tenantId: account.tenantId, userId: account.userId, reason });
        this.d.eventsWritten();
      }
      throw needsReconnect(account.userId, reason);
    }
  }
}
