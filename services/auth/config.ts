import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import { decodeBase64Url } from "@app/shared/encoding";
import { z } from "zod";

/** The path of auth's OAuth callback; `MS_REDIRECT_URI` is its public URL. */
export const CALLBACK_PATH = "/oauth/callback";

/** One AES-256-GCM key for token custody; the first of the list encrypts new writes. */
export interface TokenKey {
  kid: string;
  key: Uint8Array;
}

// Compose and shells pass unset variables as "", which means "not set" here.
const blankIsUnset = (v: unknown) => (v === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

const TokenKeysSchema = z.string().transform((text, ctx): TokenKey[] => {
  const keys: TokenKey[] = [];
  for (const [i, entry] of text.split(",").map((s) => s.trim()).filter(Boolean).entries()) {
    const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/_-]+={0,2})$/.exec(entry);
    let key: Uint8Array | undefined;
    try {
      key = m ? decodeBase64Url(m[2]!.replace(/=+$/, "")) : undefined;
    } catch {
      key = undefined;
    }
    if (!m || key?.length !== 32) {
      ctx.addIssue({ code: "custom", message: `entry ${i + 1}: expected kid:base64 of 32 random bytes` });
      continue;
    }
    if (keys.some((k) => k.kid === m[1])) ctx.addIssue({ code: "custom", message: `key id ${m[1]} appears twice` });
    keys.push({ kid: m[1]!, key });
  }
  if (keys.length === 0) ctx.addIssue({ code: "custom", message: "at least one kid:base64key" });
  return keys;
});

// MSAL skips network discovery with these four endpoints (graph-facts §7.2).
const AuthorityMetadataSchema = z.string().transform((text, ctx) => {
  try {
    return z.object({
      authorization_endpoint: z.url(),
      token_endpoint: z.url(),
      issuer: z.string().min(1),
      jwks_uri: z.url(),
    }).passthrough().parse(JSON.parse(text));
  } catch {
    ctx.addIssue({ code: "custom", message: "JSON with authorization_endpoint, token_endpoint, issuer, jwks_uri" });
    return z.NEVER;
  }
});

const OriginsSchema = z.string().transform((text, ctx) => {
  const origins: string[] = [];
  for (const entry of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const url = URL.parse(entry);
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, "")) {
      ctx.addIssue({ code: "custom", message: `${entry} is not an origin like https://crm.example.com` });
    } else origins.push(url.origin);
  }
  return origins;
});

const need = (when: string) => ({ message: `required when ${when} is set`, when: () => true });

/** auth's settings, read once from the environment. The Microsoft part is all-or-nothing. */
export const AuthConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8081),
  /** Application (client) id of the Azure app registration; without it linking is switched off. */
  MS_CLIENT_ID: optional(z.string().min(1)),
  MS_CLIENT_SECRET: optional(z.string().min(1)),
  MS_AUTHORITY: z.preprocess(
    blankIsUnset,
    z.url({ protocol: /^https$/, error: "must be an https:// URL (MSAL refuses http)" })
      .default("https://login.microsoftonline.com/organizations"),
  ),
  /** OpenID metadata of a local authority (the emulator); login.microsoftonline.com needs none. */
  MS_AUTHORITY_METADATA: optional(AuthorityMetadataSchema),
  /** Public URL of auth's own `/oauth/callback`, registered as a redirect URI of the app. */
  MS_REDIRECT_URI: optional(
    z.url({ protocol: /^https?$/ }).refine((u) => new URL(u).pathname.endsWith(CALLBACK_PATH), {
      message: `must end with ${CALLBACK_PATH}`,
    }),
  ),
  MS_GRAPH_BASE_URL: z.preprocess(
    blankIsUnset,
    z.url({ protocol: /^https$/, error: "must be an https:// URL" }).default("https://graph.microsoft.com"),
  ),
  MS_SCOPES: z.preprocess(
    blankIsUnset,
    z.string().default("offline_access User.Read Contacts.ReadWrite Calendars.ReadWrite")
      .transform((s) => s.split(/[\s,]+/).filter(Boolean))
      .refine((s) => s.includes("offline_access"), "must include offline_access (no refresh token otherwise)"),
  ),
  /** `kid:base64key,...` (AES-256); the first encrypts new writes, the others still decrypt. */
  TOKEN_ENCRYPTION_KEYS: optional(TokenKeysSchema),
  LINK_STATE_TTL_SECONDS: z.preprocess(blankIsUnset, z.coerce.number().int().min(60).max(3_600).default(600)),
  /** Origins a CRM return URL may point to (no open redirect). */
  CRM_RETURN_ORIGINS: OriginsSchema.default([]),
})
  .refine((c) => !c.MS_CLIENT_ID || c.MS_CLIENT_SECRET, { ...need("MS_CLIENT_ID"), path: ["MS_CLIENT_SECRET"] })
  .refine((c) => !c.MS_CLIENT_ID || c.MS_REDIRECT_URI, { ...need("MS_CLIENT_ID"), path: ["MS_REDIRECT_URI"] })
  .refine((c) => !c.MS_CLIENT_ID || c.TOKEN_ENCRYPTION_KEYS, {
    ...need("MS_CLIENT_ID"),
    path: ["TOKEN_ENCRYPTION_KEYS"],
  });
export type AuthConfig = z.output<typeof AuthConfigSchema>;

/** What linking needs from the environment, once `MS_CLIENT_ID` is set. */
export interface MicrosoftConfig {
  clientId: string;
  clientSecret: string;
  authority: string;
  authorityMetadata?: Record<string, unknown>;
  redirectUri: string;
  graphBaseUrl: string;
  scopes: string[];
  tokenKeys: TokenKey[];
  linkStateTtlMs: number;
  returnOrigins: string[];
}

/** The Microsoft part of the config, or `undefined` when no app registration is configured. */
export function microsoftConfig(c: AuthConfig): MicrosoftConfig | undefined {
  if (!c.MS_CLIENT_ID || !c.MS_CLIENT_SECRET || !c.MS_REDIRECT_URI || !c.TOKEN_ENCRYPTION_KEYS) return undefined;
  return {
    clientId: c.MS_CLIENT_ID,
    clientSecret: c.MS_CLIENT_SECRET,
    authority: c.MS_AUTHORITY,
    authorityMetadata: c.MS_AUTHORITY_METADATA,
    redirectUri: c.MS_REDIRECT_URI,
    graphBaseUrl: c.MS_GRAPH_BASE_URL.replace(/\/$/, ""),
    scopes: c.MS_SCOPES,
    tokenKeys: c.TOKEN_ENCRYPTION_KEYS,
    linkStateTtlMs: c.LINK_STATE_TTL_SECONDS * 1000,
    returnOrigins: c.CRM_RETURN_ORIGINS,
  };
}

/** Parses auth's environment; throws one error listing every bad variable. */
export function loadAuthConfig(env: Record<string, string | undefined>): AuthConfig {
  return parseConfig(AuthConfigSchema, env);
}
