import { decodeBase64Url, encodeBase64Url } from "@app/shared/encoding";
import type { Context, Hono } from "hono";
import type { EmulatorContext } from "../context.ts";
import type { GraphEnv } from "../graph/env.ts";
import { originOf } from "../graph/odata.ts";
import type { AppRegistration, Grant } from "../state/directory.ts";
import { invalidGrant, invalidScope, OAuthError } from "./oauth_error.ts";
import { coversScopes, parseScopes, type RequestedScopes } from "./scopes.ts";
import { issueTokens } from "./tokens.ts";

/**
 * `POST /{tenant}/oauth2/v2.0/token` for `authorization_code` (client secret and PKCE checked)
 * and `refresh_token` (refresh tokens rotate; a revoked grant or expired token answers
 * `invalid_grant` with `suberror: bad_token`, which MSAL turns into InteractionRequiredAuthError).
 */
export function registerTokenRoutes(app: Hono<GraphEnv>, ctx: EmulatorContext): void {
  app.post("/:tenant/oauth2/v2.0/token", async (c) => {
    const form = Object.fromEntries(
      Object.entries(await c.req.parseBody()).filter(([, v]) => typeof v === "string"),
    ) as Record<string, string>;
    const client = authenticateClient(c, ctx, form);
    switch (form.grant_type) {
      case "authorization_code":
        return c.json(await redeemCode(c, ctx, client, form));
      case "refresh_token":
        return c.json(redeemRefreshToken(c, ctx, client, form));
      default:
        throw new OAuthError(
          "unsupported_grant_type",
          70003,
          `The app requested an unsupported grant type '${form.grant_type ?? ""}'.`,
        );
    }
  });
}

function authenticateClient(c: Context, ctx: EmulatorContext, form: Record<string, string>): AppRegistration {
  let clientId = form.client_id;
  let secret = form.client_secret;
  const basic = /^Basic\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (basic) {
    const [id, pw] = new TextDecoder().decode(decodeBase64Url(basic[1]!)).split(":");
    clientId = decodeURIComponent(id ?? "");
    secret = decodeURIComponent(pw ?? "");
  }
  const app = ctx.state.apps.get(clientId ?? "");
  if (!app) {
    throw new OAuthError(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId ?? ""}' was not found in the directory.`,
    );
  }
  if (app.secrets.length > 0 && !app.secrets.includes(secret ?? "")) {
    throw new OAuthError(
      "invalid_client",
      secret ? 7000215 : 7000218,
      secret
        ? `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`
        : "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      { status: 401 },
    );
  }
  return app;
}

async function redeemCode(c: Context, ctx: EmulatorContext, app: AppRegistration, form: Record<string, string>) {
  const code = ctx.state.codes.get(form.code ?? "");
  if (!code || code.clientId !== app.clientId) {
    throw invalidGrant(70000, "The provided value for the 'code' parameter is not valid.");
  }
  if (code.redeemed) {
    throw invalidGrant(
      54005,
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    );
  }
  if (code.expiresAt <= ctx.clock.now()) {
    throw invalidGrant(
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    );
  }
  if (form.redirect_uri !== code.redirectUri) {
    throw invalidGrant(
      70000,
      "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.",
    );
  }
  if (code.codeChallenge) {
    const verifier = form.code_verifier ?? "";
    const expected = code.codeChallengeMethod === "S256" ? await s256(verifier) : verifier;
    if (!verifier || expected !== code.codeChallenge) {
      throw invalidGrant(
        501481,
        "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
      );
    }
  }
  code.redeemed = true;
  const grant = liveGrant(ctx, code.grantId);
  const requested = graphScopes(form.scope ?? code.requestedScope);
  requireConsent(app, grant, requested.graph);
  return issueTokens(ctx, { grant, requested, origin: originOf(c), nonce: code.nonce });
}

function redeemRefreshToken(c: Context, ctx: EmulatorContext, app: AppRegistration, form: Record<string, string>) {
  const rt = ctx.state.refreshTokens.get(form.refresh_token ?? "");
  if (!rt) throw invalidGrant(9002313, "Invalid request. Request is malformed or invalid.");
  const grant = liveGrant(ctx, rt.grantId);
  if (grant.clientId !== app.clientId) {
    throw invalidGrant(700005, "Provided Authorization Code is intended to use against other tenant, thus rejected.");
  }
  if (rt.expiresAt <= ctx.clock.now()) {
    ctx.state.refreshTokens.delete(rt.token);
    throw invalidGrant(
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${
        new Date(rt.expiresAt).toISOString()
      } and was inactive for ${ctx.config.refreshTokenLifetimeMs / 86_400_000} days.`,
      "bad_token",
    );
  }
  // Without `scope` the refresh stands for what the token was granted (RFC 6749 §6): the same
  // scopes again and, with offline_access among them, a new refresh token.
  const requested = graphScopes(
    form.scope?.trim() ? form.scope : rt.scope ?? `${grant.scopes.join(" ")} openid profile offline_access`,
  );
  requireConsent(app, grant, requested.graph);
  return issueTokens(ctx, { grant, requested, origin: originOf(c) });
}

/** Parses a scope parameter; scopes of another resource answer `invalid_scope` (70011). */
function graphScopes(scope: string): RequestedScopes {
  const requested = parseScopes(scope);
  if (requested.foreign.length) throw invalidScope(scope);
  return requested;
}

function liveGrant(ctx: EmulatorContext, grantId: string): Grant {
  const grant = ctx.state.grants.get(grantId);
  if (!grant || grant.revokedAt !== undefined) {
    const revoked = grant?.revokedAt ?? ctx.clock.now();
    throw invalidGrant(
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${
        new Date(grant?.createdAt ?? revoked).toISOString()
      }' and the TokensValidFrom date (before which tokens are not valid) for this user is '${
        new Date(revoked).toISOString()
      }'.`,
      "bad_token",
    );
  }
  return grant;
}

function requireConsent(app: AppRegistration, grant: Grant, wanted: string[]): void {
  if (coversScopes(grant.scopes, wanted)) return;
  throw new OAuthError(
    "invalid_grant",
    65001,
    `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
    { suberror: "consent_required" },
  );
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return encodeBase64Url(new Uint8Array(digest));
}
