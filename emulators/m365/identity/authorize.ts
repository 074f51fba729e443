import type { Context, Hono } from "hono";
import type { EmulatorContext } from "../context.ts";
import type { GraphEnv } from "../graph/env.ts";
import type { AppRegistration, User } from "../state/directory.ts";
import { newGuid, newOpaqueToken } from "../state/ids.ts";
import { signInPage } from "./sign_in_page.ts";
import { parseScopes, unionScopes } from "./scopes.ts";
import { encodeBase64Url } from "@app/shared/encoding";

/** The authorize request parameters we act on (the rest, e.g. telemetry, are ignored). */
const PARAMS = [
  "client_id",
  "redirect_uri",
  "response_type",
  "response_mode",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "login_hint",
  "prompt",
  "client_info",
] as const;
type AuthorizeParams = Partial<Record<(typeof PARAMS)[number], string>>;

/**
 * `GET /{tenant}/oauth2/v2.0/authorize`: with `login_hint` naming a user and the app's
 * `autoConsent` on, consents at once and redirects with a code (tests need no browser);
 * otherwise shows a sign-in page listing the tenant's users, whose buttons POST back here.
 */
export function registerAuthorizeRoutes(app: Hono<GraphEnv>, ctx: EmulatorContext): void {
  app.get("/:tenant/oauth2/v2.0/authorize", (c) => {
    const p = Object.fromEntries(PARAMS.map((k) => [k, c.req.query(k)])) as AuthorizeParams;
    const checked = check(c, ctx, p);
    if (checked instanceof Response) return checked;
    const tenantId = tenantOf(ctx, c.req.param("tenant"));
    if (p.login_hint && checked.autoConsent) {
      const user = ctx.state.findUser(tenantId, p.login_hint);
      if (user) return redirectWithCode(c, ctx, checked, user, p);
    }
    const users = [...ctx.state.users.values()].filter((u) => tenantId === undefined || u.tenantId === tenantId);
    return c.html(signInPage({ app: checked, users, params: p, action: c.req.path }));
  });

  app.post("/:tenant/oauth2/v2.0/authorize", async (c) => {
    const form = await c.req.parseBody();
    const p = Object.fromEntries(
      PARAMS.map((k) => [k, typeof form[k] === "string" ? form[k] : undefined]),
    ) as AuthorizeParams;
    const checked = check(c, ctx, p);
    if (checked instanceof Response) return checked;
    const user = ctx.state.findUser(tenantOf(ctx, c.req.param("tenant")), String(form.user ?? ""));
    if (!user) return c.html(errorPage(50034, "The user account does not exist in this directory."), 400);
    return redirectWithCode(c, ctx, checked, user, p);
  });
}

function tenantOf(ctx: EmulatorContext, segment: string): string | undefined {
  if (/^(common|organizations|consumers)$/i.test(segment)) return undefined;
  return ctx.state.findTenant(segment)?.id ?? "unknown-tenant";
}

/** Validates client and redirect URI (errors shown as a page, as Entra does), then the rest. */
function check(c: Context<GraphEnv>, ctx: EmulatorContext, p: AuthorizeParams): AppRegistration | Response {
  const app = ctx.state.apps.get(p.client_id ?? "");
  if (!app) {
    return c.html(
      errorPage(700016, `Application with identifier '${p.client_id}' was not found in the directory.`),
      400,
    );
  }
  if (!p.redirect_uri || !app.redirectUris.includes(p.redirect_uri)) {
    return c.html(
      errorPage(
        50011,
        `The redirect URI '${p.redirect_uri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
      ),
      400,
    );
  }
  if (p.response_type !== "code") {
    return redirectError(
      c,
      p,
      "unsupported_response_type",
      70005,
      "The provided value for the input parameter 'response_type' is not allowed for this request.",
    );
  }
  if (p.code_challenge_method && !/^(S256|plain)$/.test(p.code_challenge_method)) {
    return redirectError(c, p, "invalid_request", 5000, "The code_challenge_method is not supported.");
  }
  if (app.secrets.length === 0 && !p.code_challenge) {
    return redirectError(
      c,
      p,
      "invalid_request",
      9002325,
      "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
    );
  }
  return app;
}

function redirectWithCode(
  c: Context<GraphEnv>,
  ctx: EmulatorContext,
  app: AppRegistration,
  user: User,
  p: AuthorizeParams,
): Response {
  const requested = parseScopes(p.scope);
  if (requested.foreign.length) {
    return redirectError(
      c,
      p,
      "invalid_scope",
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope '${p.scope}' is not valid.`,
    );
  }
  let grant = ctx.state.activeGrant(app.clientId, user.id);
  if (!grant) {
    grant = {
      id: newGuid(),
      clientId: app.clientId,
      userId: user.id,
      tenantId: user.tenantId,
      scopes: [],
      createdAt: ctx.clock.now(),
    };
    ctx.state.grants.set(grant.id, grant);
  }
  grant.scopes = unionScopes(grant.scopes, requested.graph);
  const code = `1.A${newOpaqueToken(60)}`;
  ctx.state.codes.set(code, {
    code,
    clientId: app.clientId,
    redirectUri: p.redirect_uri!,
    grantId: grant.id,
    requestedScope: p.scope ?? "",
    codeChallenge: p.code_challenge,
    codeChallengeMethod: p.code_challenge ? (p.code_challenge_method ?? "plain") : undefined,
    nonce: p.nonce,
    expiresAt: ctx.clock.now() + ctx.clock.scale(ctx.config.authCodeLifetimeMs),
    redeemed: false,
  });
  const url = new URL(p.redirect_uri!);
  url.searchParams.set("code", code);
  if (p.client_info === "1") {
    url.searchParams.set(
      "client_info",
      encodeBase64Url(new TextEncoder().encode(JSON.stringify({ uid: user.id, utid: user.tenantId }))),
    );
  }
  if (p.state !== undefined) url.searchParams.set("state", p.state);
  url.searchParams.set("session_state", newGuid());
  return c.redirect(url.toString(), 302);
}

function redirectError(c: Context, p: AuthorizeParams, error: string, aadsts: number, description: string): Response {
  const url = new URL(p.redirect_uri!);
  url.searchParams.set("error", error);
  url.searchParams.set("error_description", `AADSTS${aadsts}: ${description}`);
  if (p.state !== undefined) url.searchParams.set("state", p.state);
  return c.redirect(url.toString(), 302);
}

function errorPage(aadsts: number, message: string): string {
  const text = `AADSTS${aadsts}: ${message}`.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html><head><title>Sign in - error</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p>${text}</p></body></html>`;
}
