import assert from "node:assert/strict";
import { ConfidentialClientApplication, CryptoProvider, ServerError } from "@azure/msal-node";
import {
  authorizeCode,
  CLIENT_ID,
  graphFor,
  msalFor,
  REDIRECT_URI,
  SCOPES,
  signIn,
  startSeeded,
} from "../testdata/harness.ts";

async function codeFor(msal: ConfidentialClientApplication, challenge: string) {
  const url = await msal.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri: REDIRECT_URI,
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    loginHint: "adele@contoso.test",
  });
  return await authorizeCode(url);
}

Deno.test("a code redeemed with the wrong PKCE verifier is invalid_grant AADSTS501481; the code is then used up", async () => {
  await using s = await startSeeded();
  const msal = msalFor(s.emu, s.tenantId);
  const pkce = await new CryptoProvider().generatePkceCodes();
  const other = await new CryptoProvider().generatePkceCodes();
  const code = await codeFor(msal, pkce.challenge);
  const err = await msal.acquireTokenByCode({
    code,
    scopes: SCOPES,
    redirectUri: REDIRECT_URI,
    codeVerifier: other.verifier,
  }).catch((e) => e);
  assert.ok(err instanceof ServerError, String(err));
  assert.equal(err.errorCode, "invalid_grant");
  assert.match(err.errorMessage, /AADSTS501481/);

  const good = await msal.acquireTokenByCode({
    code,
    scopes: SCOPES,
    redirectUri: REDIRECT_URI,
    codeVerifier: pkce.verifier,
  });
  assert.ok(good.accessToken);
  const reused = await msal.acquireTokenByCode({
    code,
    scopes: SCOPES,
    redirectUri: REDIRECT_URI,
    codeVerifier: pkce.verifier,
  })
    .catch((e) => e);
  assert.match(reused.errorMessage, /AADSTS54005/);
});

Deno.test("an authorization code expires (lifetime scaled by timeScale)", async () => {
  await using s = await startSeeded({ config: { timeScale: 0.0001 } }); // 10 minutes → 60 ms
  const msal = msalFor(s.emu, s.tenantId);
  const pkce = await new CryptoProvider().generatePkceCodes();
  const code = await codeFor(msal, pkce.challenge);
  await new Promise((r) => setTimeout(r, 80));
  const err = await msal.acquireTokenByCode({
    code,
    scopes: SCOPES,
    redirectUri: REDIRECT_URI,
    codeVerifier: pkce.verifier,
  })
    .catch((e) => e);
  assert.equal(err.errorCode, "invalid_grant");
  assert.match(err.errorMessage, /AADSTS70008/);
});

Deno.test("a wrong client secret is invalid_client AADSTS7000215", async () => {
  await using s = await startSeeded();
  const good = msalFor(s.emu, s.tenantId);
  const pkce = await new CryptoProvider().generatePkceCodes();
  const code = await codeFor(good, pkce.challenge);
  const bad = msalFor(s.emu, s.tenantId, "wrong");
  const err = await bad.acquireTokenByCode({
    code,
    scopes: SCOPES,
    redirectUri: REDIRECT_URI,
    codeVerifier: pkce.verifier,
  })
    .catch((e) => e);
  assert.equal(err.errorCode, "invalid_client");
  assert.match(err.errorMessage, /AADSTS7000215/);
});

Deno.test("MSAL with knownAuthorities only discovers the emulator's openid-configuration", async () => {
  await using s = await startSeeded();
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: CLIENT_ID,
      clientSecret: "emulator-secret-1",
      authority: `${s.emu.url}/contoso.test`,
      knownAuthorities: [new URL(s.emu.url).host],
    },
  });
  const result = await signIn(msal, "adele@contoso.test");
  assert.equal(result.tenantId, s.tenantId);
});

Deno.test("without auto-consent the sign-in page lists users and a choice redirects with a code", async () => {
  await using s = await startSeeded({ users: ["adele", "bob"], autoConsent: false });
  const msal = msalFor(s.emu, s.tenantId);
  const pkce = await new CryptoProvider().generatePkceCodes();
  const url = await msal.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri: REDIRECT_URI,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: "S256",
    state: "st-1",
  });
  const page = await fetch(url);
  const html = await page.text();
  assert.match(html, /adele@contoso\.test/);
  assert.match(html, /bob@contoso\.test/);
  const back = new URL(await s.emu.admin.signIn(url, "bob@contoso.test"));
  assert.equal(back.searchParams.get("state"), "st-1");
  const code = back.searchParams.get("code")!;
  const result = await msal.acquireTokenByCode({
    code,
    scopes: SCOPES,
    redirectUri: REDIRECT_URI,
    codeVerifier: pkce.verifier,
  });
  assert.equal(result.account?.username, "bob@contoso.test");
  const client = graphFor(s.emu, () => Promise.resolve(result.accessToken));
  const other = await client.api("/users/adele@contoso.test/contacts").get().catch((e) => e);
  assert.equal(other.statusCode, 403, "delegated tokens reach only the signed-in user's mailbox");
});
