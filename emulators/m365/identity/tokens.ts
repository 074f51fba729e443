import { encodeBase64Url } from "@app/shared/encoding";
import { recordIssuedToken } from "./issued_log.ts";
import type { EmulatorContext } from "../context.ts";
import type { Grant } from "../state/directory.ts";
import { newOpaqueToken } from "../state/ids.ts";
import { type RequestedScopes, scopeString } from "./scopes.ts";

const json64 = (v: unknown) => encodeBase64Url(new TextEncoder().encode(JSON.stringify(v)));

/**
 * A JWT-shaped token. MSAL decodes id_token claims without checking the signature
 * (graph-facts §7.1) and Graph here looks access tokens up by value, so the signature is
 * random bytes — which also means no one mistakes these for real tokens.
 */
export function jwtShaped(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  return `${json64(header)}.${json64(claims)}.${newOpaqueToken(32)}`;
}

/** The token endpoint's success body for `grant`. */
export function issueTokens(
  ctx: EmulatorContext,
  o: { grant: Grant; requested: RequestedScopes; origin: string; nonce?: string },
): Record<string, unknown> {
  const { grant, requested } = o;
  const user = ctx.state.users.get(grant.userId)!;
  const now = ctx.clock.now();
  const nowSec = Math.floor(now / 1000);
  const lifetime = ctx.config.accessTokenLifetimeSec;
  // A `.default` request gets everything consented; otherwise exactly what was asked for.
  const graphScopes = requested.wantsDefault ? grant.scopes : requested.graph;
  const accessToken = jwtShaped({ typ: "JWT", alg: "RS256", kid: "emulator" }, {
    aud: "00000003-0000-0000-c000-000000000000",
    iss: `https://sts.windows.net/${grant.tenantId}/`,
    iat: nowSec,
    nbf: nowSec,
    exp: nowSec + lifetime,
    appid: grant.clientId,
    oid: user.id,
    tid: grant.tenantId,
    upn: user.userPrincipalName,
    name: user.displayName,
    scp: graphScopes.join(" "),
    ver: "1.0",
  });
  recordIssuedToken(accessToken);
  ctx.state.accessTokens.set(accessToken, {
    token: accessToken,
    grantId: grant.id,
    clientId: grant.clientId,
    userId: user.id,
    tenantId: grant.tenantId,
    scopes: graphScopes,
    expiresAt: now + lifetime * 1000,
  });
  // Echo in the form requested (short names stay short): MSAL's cache lookup depends on it.
  const echoed = [...(requested.wantsDefault ? grant.scopes : requested.asWritten)];
  for (const s of ["openid", "profile", "email"]) if (requested.oidc.has(s)) echoed.push(s);
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: echoed.join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
  if (requested.oidc.has("offline_access")) {
    const refresh = newOpaqueToken(48);
    recordIssuedToken(refresh);
    ctx.state.refreshTokens.set(refresh, {
      token: refresh,
      grantId: grant.id,
      expiresAt: now + ctx.clock.scale(ctx.config.refreshTokenLifetimeMs),
      scope: scopeString(requested, requested.wantsDefault ? grant.scopes : requested.asWritten),
    });
    body.refresh_token = refresh;
  }
  if (requested.oidc.has("openid")) {
    body.id_token = jwtShaped({ typ: "JWT", alg: "RS256", kid: "emulator" }, {
      aud: grant.clientId,
      iss: `${o.origin}/${grant.tenantId}/v2.0`,
      iat: nowSec,
      nbf: nowSec,
      exp: nowSec + 3600,
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      sub: user.id.replaceAll("-", ""),
      tid: grant.tenantId,
      ver: "2.0",
      ...(o.nonce ? { nonce: o.nonce } : {}),
    });
  }
  body.client_info = json64({ uid: user.id, utid: grant.tenantId });
  return body;
}
