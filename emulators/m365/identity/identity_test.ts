import assert from "node:assert/strict";
import { InteractionRequiredAuthError } from "@azure/msal-node";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { CLIENT_ID, CLIENT_SECRET, graphFor, msalFor, SCOPES, signIn, startSeeded } from "../testdata/harness.ts";

Deno.test("auth code + PKCE sign-in through MSAL yields an account and a token Graph accepts", async () => {
  await using s = await startSeeded();
  const msal = msalFor(s.emu, s.tenantId);
  const result = await signIn(msal, "adele@contoso.test");
  assert.equal(result.account?.username, "adele@contoso.test");
  assert.equal(result.account?.homeAccountId, `${s.users[0]!.id}.${s.tenantId}`);
  assert.equal(result.account?.tenantId, s.tenantId);
  assert.deepEqual(new Set(result.scopes), new Set([...SCOPES, "openid", "profile"]));
  const client = graphFor(s.emu, () => Promise.resolve(result.accessToken));
  const page = await client.api("/me/contacts").get();
  assert.deepEqual(page.value, []);
});

Deno.test("silent token acquisition hits the cache, then refreshes with a rotated refresh token", async () => {
  await using s = await startSeeded();
  const msal = msalFor(s.emu, s.tenantId);
  const first = await signIn(msal, "adele@contoso.test");
  const cached = await msal.acquireTokenSilent({ account: first.account!, scopes: SCOPES });
  assert.equal(cached.fromCache, true);
  const before = s.emu.state.refreshTokens.size;
  const refreshed = await msal.acquireTokenSilent({ account: first.account!, scopes: SCOPES, forceRefresh: true });
  assert.equal(refreshed.fromCache, false);
  assert.notEqual(refreshed.accessToken, first.accessToken);
  assert.equal(s.emu.state.refreshTokens.size, before + 1);
});

Deno.test("a revoked grant refuses refresh with invalid_grant, which MSAL raises as InteractionRequiredAuthError", async () => {
  await using s = await startSeeded();
  const msal = msalFor(s.emu, s.tenantId);
  const first = await signIn(msal, "adele@contoso.test");
  assert.deepEqual(await s.emu.admin.revokeGrants("adele@contoso.test"), { revoked: 1 });
  const err = await msal.acquireTokenSilent({ account: first.account!, scopes: SCOPES, forceRefresh: true })
    .then(() => undefined, (e) => e);
  assert.ok(err instanceof InteractionRequiredAuthError, String(err));
  assert.equal(err.errorCode, "invalid_grant");
  assert.equal(err.subError, "bad_token");
  assert.match(err.errorMessage, /AADSTS50173/);
  // The emulator also stops accepting the old access token (see README).
  const client = graphFor(s.emu, () => Promise.resolve(first.accessToken));
  const graphErr = await client.api("/me/contacts").get().then(() => undefined, (e) => e);
  assert.ok(graphErr instanceof GraphError);
  assert.equal(graphErr.statusCode, 401);
  assert.equal(graphErr.code, "InvalidAuthenticationToken");
});

/** The refresh token MSAL keeps in its cache (MSAL never hands it out otherwise). */
function cachedRefreshToken(msal: ReturnType<typeof msalFor>): string {
  const cache = JSON.parse(msal.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
  return Object.values(cache.RefreshToken)[0]!.secret;
}

async function tokenRequest(s: { emu: { url: string }; tenantId: string }, form: Record<string, string>) {
  const res = await fetch(`${s.emu.url}/${s.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...form }),
  });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

Deno.test("a refresh without scope gets the originally granted scopes and a new refresh token (RFC 6749 §6)", async () => {
  await using s = await startSeeded();
  const msal = msalFor(s.emu, s.tenantId);
  await signIn(msal, "adele@contoso.test");
  const refreshToken = cachedRefreshToken(msal);
  const { status, body } = await tokenRequest(s, { grant_type: "refresh_token", refresh_token: refreshToken });
  assert.equal(status, 200);
  assert.deepEqual(new Set(String(body.scope).split(" ")), new Set([...SCOPES, "openid", "profile"]));
  assert.equal(typeof body.refresh_token, "string");
  assert.notEqual(body.refresh_token, refreshToken);
  const client = graphFor(s.emu, () => Promise.resolve(body.access_token as string));
  assert.deepEqual((await client.api("/me/contacts").get()).value, [], "the token carries the granted permissions");
  // And again from the rotated token: the scopes travel with it.
  const again = await tokenRequest(s, { grant_type: "refresh_token", refresh_token: body.refresh_token as string });
  assert.equal(again.body.scope, body.scope);
});

Deno.test("a scope of another resource answers invalid_scope AADSTS70011", async () => {
  await using s = await startSeeded();
  const msal = msalFor(s.emu, s.tenantId);
  await signIn(msal, "adele@contoso.test");
  const { status, body } = await tokenRequest(s, {
    grant_type: "refresh_token",
    refresh_token: cachedRefreshToken(msal),
    scope: "https://outlook.office.com/Calendars.ReadWrite offline_access",
  });
  assert.equal(status, 400);
  assert.equal(body.error, "invalid_scope");
  assert.deepEqual(body.error_codes, [70011]);
  assert.equal(body.suberror, undefined);
  const err = await msal.acquireTokenSilent({
    account: (await msal.getTokenCache().getAllAccounts())[0]!,
    scopes: ["api://other-app/Read"],
    forceRefresh: true,
  }).catch((e) => e);
  assert.equal(err.errorCode, "invalid_scope");
});
