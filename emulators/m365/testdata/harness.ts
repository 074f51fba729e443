// Test helpers: an emulator on a free port seeded with a tenant, an app and users; MSAL pointed
// at it without discovery; a graph-client that sends its bearer token to it. Tests reach Graph
// and identity only through these real libraries, and the admin API through AdminClient.
import { type AuthenticationResult, ConfidentialClientApplication, CryptoProvider } from "@azure/msal-node";
import { Client } from "@microsoft/microsoft-graph-client";
import type { ConfigOverrides } from "../emulator.ts";
import { authorityMetadata } from "../identity/metadata.ts";
import { type RunningEmulator, startM365Emulator } from "../mod.ts";
import type { User } from "../state/directory.ts";

export const CLIENT_ID = "5d2a3b9c-0000-4000-8000-00000000c11e";
export const CLIENT_SECRET = "emulator-secret-1";
export const REDIRECT_URI = "http://localhost:8787/auth/callback";
export const SCOPES = ["Contacts.ReadWrite", "Calendars.ReadWrite"];

export interface Seeded {
  emu: RunningEmulator;
  tenantId: string;
  users: User[];
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts an emulator with tenant `contoso.test`, the test app (auto-consent) and users. */
export async function startSeeded(
  o: { config?: ConfigOverrides; users?: string[]; autoConsent?: boolean } = {},
): Promise<Seeded> {
  const emu = await startM365Emulator({ config: o.config });
  const { tenant, users } = await emu.admin.createTenant({
    domain: "contoso.test",
    users: (o.users ?? ["adele"]).map((n) => ({ userPrincipalName: `${n}@contoso.test`, displayName: n })),
    apps: [{
      clientId: CLIENT_ID,
      displayName: "CRM sync",
      secrets: [CLIENT_SECRET],
      redirectUris: [REDIRECT_URI],
      autoConsent: o.autoConsent ?? true,
    }],
  });
  return { emu, tenantId: tenant.id, users, [Symbol.asyncDispose]: () => emu.stop() };
}

/** A confidential MSAL client for the emulator's tenant; zero discovery requests. */
export function msalFor(emu: RunningEmulator, tenantId: string, secret = CLIENT_SECRET): ConfidentialClientApplication {
  const authority = `${emu.url}/${tenantId}`;
  return new ConfidentialClientApplication({
    auth: {
      clientId: CLIENT_ID,
      clientSecret: secret,
      authority,
      knownAuthorities: [new URL(emu.url).host],
      authorityMetadata: JSON.stringify(authorityMetadata(emu.url, tenantId)),
    },
  });
}

/** Full auth-code + PKCE sign-in as `upn` (the emulator consents at once for `login_hint`). */
export async function signIn(
  msal: ConfidentialClientApplication,
  upn: string,
  scopes: string[] = SCOPES,
): Promise<AuthenticationResult> {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = crypto.randomUUID();
  const nonce = crypto.randomUUID();
  const url = await msal.getAuthCodeUrl({
    scopes,
    redirectUri: REDIRECT_URI,
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    state,
    nonce,
    loginHint: upn,
  });
  const code = await authorizeCode(url);
  return await msal.acquireTokenByCode(
    { code, scopes, redirectUri: REDIRECT_URI, codeVerifier: verifier, state, nonce },
    { code, state },
  );
}

/** Follows an authorize URL that redirects at once and returns the `code` it carries. */
export async function authorizeCode(authorizeUrl: string): Promise<string> {
  const res = await fetch(authorizeUrl, { redirect: "manual" });
  await res.body?.cancel();
  const location = res.headers.get("location");
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (!code) throw new Error(`authorize answered ${res.status} ${location ?? ""}`);
  return code;
}

/** The graph-client against the emulator (https base URL, host in customHosts). */
export function graphFor(emu: RunningEmulator, token: () => Promise<string>): Client {
  return Client.initWithMiddleware({
    authProvider: { getAccessToken: token },
    baseUrl: `${emu.url}/`,
    customHosts: new Set([new URL(emu.url).hostname]),
  });
}

/** Signs `upn` in and returns a graph-client using MSAL's silent token acquisition. */
export async function signedInGraph(s: Seeded, upn = s.users[0]!.userPrincipalName, scopes = SCOPES) {
  const msal = msalFor(s.emu, s.tenantId);
  const first = await signIn(msal, upn, scopes);
  const client = graphFor(
    s.emu,
    async () => (await msal.acquireTokenSilent({ account: first.account!, scopes })).accessToken,
  );
  return { msal, client, account: first.account!, accessToken: first.accessToken };
}
