/** An Entra tenant (a customer organisation). */
export interface Tenant {
  id: string;
  /** Default domain, e.g. `contoso.test`; usable instead of the id in authority URLs. */
  domain: string;
  displayName: string;
}

/** A user with a mailbox. */
export interface User {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  mail: string;
  givenName?: string;
  surname?: string;
}

/**
 * An app registration. Global (keyed by client id) because our product is a multi-tenant app:
 * one registration, users from many tenants.
 */
export interface AppRegistration {
  clientId: string;
  displayName: string;
  /** Client secrets; empty means a public client (PKCE required). */
  secrets: string[];
  redirectUris: string[];
  /**
   * Tests sign in without a browser: when true, an authorize request with a `login_hint` naming
   * a known user consents at once and redirects with a code.
   */
  autoConsent: boolean;
}

/** A user's consent to an app; revoking it kills its refresh and access tokens. */
export interface Grant {
  id: string;
  clientId: string;
  userId: string;
  tenantId: string;
  /** Consented Graph scopes, canonical short names (`Contacts.ReadWrite`). */
  scopes: string[];
  revokedAt?: number;
  createdAt: number;
}

/** An issued authorization code (single use). */
export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  grantId: string;
  /** The scope parameter as requested, for the echo. */
  requestedScope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

/** A refresh token; rotated on use (the old one stays valid until it expires, as in Entra). */
export interface RefreshToken {
  token: string;
  grantId: string;
  expiresAt: number;
  /** The scopes it was issued for (Graph as written, plus OIDC); a refresh without `scope` gets these. */
  scope?: string;
}

/** An access token this emulator issued; Graph accepts nothing else. */
export interface AccessToken {
  token: string;
  grantId: string;
  clientId: string;
  userId: string;
  tenantId: string;
  scopes: string[];
  expiresAt: number;
}
