import assert from "node:assert/strict";
import { InteractionRequiredAuthError } from "@azure/msal-node";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { graphFor, msalFor, SCOPES, signIn, startSeeded } from "../testdata/harness.ts";

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
