import type { NatsConnection } from "@nats-io/nats-core";
import { VerifyApiKeyReplySchema } from "../contract/mod.ts";
import { UnauthorizedError } from "../errors/mod.ts";
import { callRpc } from "../nats/rpc.ts";
import { cachedTenantResolver, type TenantResolver } from "./tenant_auth.ts";

/**
 * Resolves API keys by asking auth over NATS (`auth.rpc.apikey.verify`), cached briefly, so services
 * other than auth authenticate CRM calls without reading auth's tables. If auth does not answer,
 * the request fails (503), never passes.
 */
export function natsTenantResolver(
  nc: NatsConnection,
  subject: string,
  options: { ttlMs?: number; negativeTtlMs?: number } = {},
): TenantResolver {
  return cachedTenantResolver(async (apiKey) => {
    try {
      return await callRpc(nc, subject, { apiKey }, VerifyApiKeyReplySchema, { timeoutMs: 3_000 });
    } catch (err) {
      if (err instanceof UnauthorizedError) return undefined;
      throw err;
    }
  }, options);
}
