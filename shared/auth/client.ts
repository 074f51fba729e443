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

/**
 * The sync services' view of auth, over NATS request/reply: a user's context (may they sync, with
 * which settings) and short-lived Graph tokens. Typed errors (needs reconnect, forbidden) pass
 * through to the caller.
 */
export class AuthClient {
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

  /** A token source for one user; refreshes through auth 60 s before expiry. */
  userToken(tenantId: string, userId: string): UserToken {
    let cached: { token: string; base: string; until: number } | undefined;
    const get = async () => {
      if (cached && cached.until > Date.now()) return cached;
      const r = await callRpc(this.nc, this.catalog.subjects.auth.rpc.tokenGet, { tenantId, userId }, TokenReplySchema);
      cached = { token: r.accessToken, base: r.graphBaseUrl, until: Date.parse(r.expiresAt) - 60_000 };
      return cached;
    };
    return {
      getAccessToken: async () => (await get()).token,
      graphBaseUrl: async () => (await get()).base,
    };
  }
}
