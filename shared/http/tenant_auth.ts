import type { MiddlewareHandler } from "hono";
import { UnauthorizedError } from "../errors/mod.ts";
import { withLogContext } from "../log/mod.ts";
import { hashApiKey } from "./api_key.ts";
import type { AppEnv, TenantPrincipal } from "./env.ts";

/** Resolves an API key to its tenant, or `undefined` when the key is unknown or revoked. */
export type TenantResolver = (apiKey: string) => Promise<TenantPrincipal | undefined>;

/**
 * Authenticates every request by `Authorization: Bearer <api key>` and sets `c.var.tenant`.
 * A missing or unknown key is a 401; routes then only ever see the caller's own tenant.
 */
export function tenantAuth(resolve: TenantResolver): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError("send the tenant's API key as 'Authorization: Bearer <key>'");
    const principal = await resolve(match[1]!);
    if (!principal) throw new UnauthorizedError("unknown or revoked API key");
    c.set("tenant", principal);
    await withLogContext({ tenantId: principal.tenantId }, next);
  };
}

/**
 * Caches a resolver's answers (keyed by the key's hash, never the key) for `ttlMs`; unknown keys
 * for `negativeTtlMs`. Services other than auth wrap the NATS lookup with it.
 */
export function cachedTenantResolver(
  inner: TenantResolver,
  options: { ttlMs?: number; negativeTtlMs?: number; now?: () => number } = {},
): TenantResolver {
  const ttl = options.ttlMs ?? 30_000;
  const negativeTtl = options.negativeTtlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { principal: TenantPrincipal | undefined; expires: number }>();
  return async (apiKey) => {
    const key = await hashApiKey(apiKey);
    const hit = cache.get(key);
    if (hit && hit.expires > now()) return hit.principal;
    const principal = await inner(apiKey);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { principal, expires: now() + (principal ? ttl : negativeTtl) });
    return principal;
  };
}
