import type { Context, MiddlewareHandler } from "hono";
import type { GraphEnv } from "./env.ts";
import { accessDenied, GraphError } from "./errors.ts";
import { ODATA_JSON } from "./odata.ts";
import { parsePrefer } from "./prefer.ts";

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Stamps `request-id`/`client-request-id` (echoed as Graph does), parses `Prefer`, and gives every
 * answer Graph's `Cache-Control: no-cache` and, for JSON, its OData Content-Type and `OData-Version`.
 */
export function graphRequestBasics(): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const requestId = crypto.randomUUID();
    const given = c.req.header("client-request-id");
    c.set("requestId", requestId);
    if (given && CLIENT_REQUEST_ID.test(given)) c.set("clientRequestId", given);
    c.set("prefer", parsePrefer(c.req.header("prefer")));
    c.header("request-id", requestId);
    c.header("client-request-id", given && CLIENT_REQUEST_ID.test(given) ? given : requestId);
    await next();
    // Graph's JSON answers carry these (json-batching.md shows them on each item as well).
    c.res.headers.set("Cache-Control", "no-cache");
    if (c.res.headers.get("content-type")?.startsWith("application/json")) {
      c.res.headers.set("Content-Type", ODATA_JSON);
      c.res.headers.set("OData-Version", "4.0");
    }
  };
}

/**
 * Accepts only access tokens this emulator issued, unexpired and with a live grant; anything
 * else is Graph's 401 `InvalidAuthenticationToken`. (Real Entra access tokens stay valid after
 * a revoke until they expire; the emulator kills them at once — see README.)
 */
export function bearerAuth(): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const ctx = c.get("ctx");
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthenticated("Access token is empty.");
    const token = ctx.state.accessTokens.get(m[1]!);
    if (!token) throw unauthenticated("Access token validation failure. Invalid audience.");
    if (token.expiresAt <= ctx.clock.now()) throw unauthenticated("Lifetime validation failed, the token is expired.");
    const grant = ctx.state.grants.get(token.grantId);
    if (!grant || grant.revokedAt !== undefined) {
      throw unauthenticated("Lifetime validation failed, the token is expired.");
    }
    const user = ctx.state.users.get(token.userId);
    const app = ctx.state.apps.get(token.clientId);
    if (!user || !app) throw unauthenticated("Access token validation failure.");
    c.set("principal", { token, user, app });
    await next();
  };
}

function unauthenticated(message: string): GraphError {
  return new GraphError(401, "InvalidAuthenticationToken", message, {
    "WWW-Authenticate":
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });
}

/** True when the token carries `scope` or a stronger one (`X.ReadWrite` covers `X.Read`). */
export function hasScope(scopes: readonly string[], scope: string): boolean {
  const want = scope.toLowerCase();
  return scopes.some((s) => {
    const have = s.toLowerCase();
    return have === want || (want.endsWith(".read") && have === `${want}write`) ||
      (want.endsWith(".read.all") && have === want.replace(".read.all", ".readwrite.all"));
  });
}

/** Throws Outlook's 403 unless the caller's token has one of `scopes`. */
export function requireScope(c: Context<GraphEnv>, ...scopes: string[]): void {
  const have = c.get("principal").token.scopes;
  if (!scopes.some((s) => hasScope(have, s))) throw accessDenied();
}

/** Route middleware form of {@link requireScope}. */
export function scope(...scopes: string[]): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    requireScope(c, ...scopes);
    await next();
  };
}
