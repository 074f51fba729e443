import type { NatsConnection } from "@nats-io/nats-core";
import {
  SyncableUsersReplySchema,
  type SyncUserContext,
  TokenReplySchema,
  UserContextReplySchema,
} from "../contract/mod.ts";
import { callRpc, type NatsCatalog } from "../nats/mod.ts";

/** A Graph token for one user, fetched from auth and reused until shortly before it expires. */
export interface UserToken {
  getAccessToken(): Promise<string>;
  /** The Graph base URL auth says to use with the token (the emulator's in demo and tests). */
  graphBaseUrl(): Promise<string>;
}

interface CachedToken {
  token: string;
  base: string;
  /** Refresh from this instant on (60 s before the token expires). */
  until: number;
}

/** Bound on cached tokens per process (one per user synced here recently). */
const MAX_CACHED_TOKENS = 10_000;

function tokenKey(tenantId: string, userId: string): string {
  return `${tenantId}\u0000${userId}`;
}

/**
 * The sync services' view of auth, over NATS request/reply: a user's context (may they sync, with
 * which settings) and short-lived Graph tokens. Typed errors (needs reconnect, forbidden) pass
 * through to the caller.
 */
export class AuthClient {
  readonly #tokens = new Map<string, CachedToken>();

  constructor(private readonly nc: NatsConnection, private readonly catalog: NatsCatalog) {}

  userContext(tenantId: string, userId: string): Promise<SyncUserContext> {
    return callRpc(this.nc, this.catalog.subjects.auth.rpc.userContext, { tenantId, userId }, UserContextReplySchema);
  }

  async syncableUsers(tenantId?: string): Promise<SyncUserContext[]> {
    const reply = await callRpc(
      this.nc,
      this.catalog.subjects.auth.rpc.syncableUsers,
      tenantId ? { tenantId } : {},
      SyncableUsersReplySchema,
    );
    return reply.items;
  }

  /**
   * A token source for one user; refreshes through auth 60 s before expiry. Tokens are shared by
   * every source of the same user in this process (P8: a run no longer asks auth each time);
   * {@link forgetUser} / {@link forgetTenant} drop them when auth says the account changed.
   */
  userToken(tenantId: string, userId: string): UserToken {
    const key = tokenKey(tenantId, userId);
    const get = async () => {
      const held = this.#tokens.get(key);
      if (held && held.until > Date.now()) return held;
      const r = await callRpc(this.nc, this.catalog.subjects.auth.rpc.tokenGet, { tenantId, userId }, TokenReplySchema);
      const fresh = { token: r.accessToken, base: r.graphBaseUrl, until: Date.parse(r.expiresAt) - 60_000 };
      this.#keep(key, fresh);
      return fresh;
    };
    return {
      getAccessToken: async () => (await get()).token,
      graphBaseUrl: async () => (await get()).base,
    };
  }

  /** Drops the user's cached token (an auth event about them: relinked, unlinked, reconnect…). */
  forgetUser(tenantId: string, userId: string): void {
    this.#tokens.delete(tokenKey(tenantId, userId));
  }

  /** Drops every cached token of the tenant (the tenant's sync was switched). */
  forgetTenant(tenantId: string): void {
    const prefix = tokenKey(tenantId, "");
    for (const k of [...this.#tokens.keys()]) if (k.startsWith(prefix)) this.#tokens.delete(k);
  }

  #keep(key: string, entry: CachedToken): void {
    if (this.#tokens.size >= MAX_CACHED_TOKENS) {
      const now = Date.now();
      for (const [k, v] of this.#tokens) if (v.until <= now) this.#tokens.delete(k);
      // Still full: drop the oldest entries (Map keeps insertion order).
      for (const k of this.#tokens.keys()) {
        if (this.#tokens.size < MAX_CACHED_TOKENS) break;
        this.#tokens.delete(k);
      }
    }
    this.#tokens.delete(key);
    this.#tokens.set(key, entry);
  }
}
