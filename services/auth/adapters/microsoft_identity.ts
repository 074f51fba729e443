import {
  AuthError,
  ConfidentialClientApplication,
  CryptoProvider,
  type ICachePlugin,
  InteractionRequiredAuthError,
  LogLevel,
} from "@azure/msal-node";
import { AppError, RetryableError, UpstreamError } from "@app/shared/errors";
import type { Logger } from "@app/shared/log";
import type { MicrosoftConfig } from "../config.ts";
import type { SignedInAccount } from "./account_store.ts";

/** Where one account's serialized MSAL token cache lives (Postgres, sealed; see TokenService). */
export interface CacheStorage {
  load(): Promise<string | undefined>;
  save(serialized: string): Promise<void>;
}

/** Microsoft refused to issue tokens without the user (invalid_grant and friends, A6). */
export class InteractionRequiredError extends AppError {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super("interaction_required", 409, reason, options);
  }
}

const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

/**
 * The Microsoft identity platform through MSAL (graph-facts §7): auth code + PKCE sign-in URLs,
 * code redemption and silent token acquisition. Each operation builds its own MSAL client over one
 * account's cache (an ICachePlugin on `CacheStorage`), so accounts never share an in-memory cache.
 */
export class MicrosoftIdentity {
  readonly graphScopes: string[];

  constructor(private readonly cfg: MicrosoftConfig, private readonly logger: Logger) {
    this.graphScopes = cfg.scopes.filter((s) => !OIDC_SCOPES.has(s));
  }

  /** A fresh PKCE verifier and its S256 challenge. */
  pkce(): Promise<{ verifier: string; challenge: string }> {
    return new CryptoProvider().generatePkceCodes();
  }

  /** The Microsoft sign-in URL (built locally by MSAL, no network). */
  authorizeUrl(o: { state: string; nonce: string; challenge: string; loginHint?: string }): Promise<string> {
    return this.client().getAuthCodeUrl({
      scopes: this.cfg.scopes,
      redirectUri: this.cfg.redirectUri,
      codeChallenge: o.challenge,
      codeChallengeMethod: "S256",
      state: o.state,
      nonce: o.nonce,
      responseMode: "query",
      ...(o.loginHint ? { loginHint: o.loginHint } : { prompt: "select_account" }),
    });
  }

  /** Redeems the callback's code; returns the account and its new serialized cache (not stored yet). */
  async redeemCode(o: { code: string; verifier: string; state: string; nonce: string }): Promise<{
    account: SignedInAccount;
    cache: string;
  }> {
    let cache: string | undefined;
    const capture: CacheStorage = {
      load: () => Promise.resolve(undefined),
      save: (serialized) => {
        cache = serialized;
        return Promise.resolve();
      },
    };
    const result = await this.client(capture).acquireTokenByCode({
      code: o.code,
      scopes: this.cfg.scopes,
      redirectUri: this.cfg.redirectUri,
      codeVerifier: o.verifier,
      state: o.state,
      nonce: o.nonce,
    }, { code: o.code, state: o.state }).catch((err) => {
      const e = toIdentityError(err, "redeeming the sign-in code failed");
      // A refused code is this sign-in's end, not the account's: the user simply tries again.
      if (e instanceof InteractionRequiredError) {
        throw new UpstreamError("sign_in_failed", `Microsoft refused the sign-in: ${e.reason}`, {
          cause: err,
          status: 400,
        });
      }
      throw e;
    });
    if (!result.account || !cache) throw new UpstreamError("sign_in_failed", "Microsoft returned no account");
    return {
      account: {
        homeAccountId: result.account.homeAccountId,
        username: result.account.username,
        accountName: result.account.name || result.account.username,
        scopes: result.scopes.filter((s) => !OIDC_SCOPES.has(s)),
      },
      cache,
    };
  }

  /**
   * An access token for the account: from the cache while it is fresh, otherwise refreshed (the
   * new cache is saved through `storage`). Throws {@link InteractionRequiredError} when Microsoft
   * wants the user back.
   */
  async acquireToken(storage: CacheStorage, homeAccountId: string, forceRefresh = false): Promise<{
    accessToken: string;
    expiresOn: Date;
  }> {
    const app = this.client(storage);
    const account = await app.getTokenCache().getAccountByHomeId(homeAccountId);
    if (!account) throw new InteractionRequiredError("no_account_in_cache: the token cache holds no account");
    try {
      const r = await app.acquireTokenSilent({ account, scopes: this.graphScopes, forceRefresh });
      return { accessToken: r.accessToken, expiresOn: r.expiresOn ?? new Date(Date.now() + 5 * 60_000) };
    } catch (err) {
      throw toIdentityError(err, "acquiring a token failed");
    }
  }

  private client(storage?: CacheStorage): ConfidentialClientApplication {
    const local = this.cfg.authorityMetadata;
    return new ConfidentialClientApplication({
      auth: {
        clientId: this.cfg.clientId,
        clientSecret: this.cfg.clientSecret,
        authority: this.cfg.authority,
        // A local authority (the emulator) is described here instead of discovered (graph-facts §7.2).
        ...(local
          ? { knownAuthorities: [new URL(this.cfg.authority).host], authorityMetadata: JSON.stringify(local) }
          : {}),
      },
      cache: storage ? { cachePlugin: cachePlugin(storage) } : undefined,
      system: {
        loggerOptions: {
          logLevel: LogLevel.Warning,
          piiLoggingEnabled: false,
          loggerCallback: (level, message) => {
            if (level <= LogLevel.Warning) this.logger.warn("msal", { message });
          },
        },
      },
    });
  }
}

/** Loads the cache once per operation and saves it when MSAL changed it. */
function cachePlugin(storage: CacheStorage): ICachePlugin {
  let loaded = false;
  return {
    async beforeCacheAccess(ctx) {
      if (loaded) return;
      const text = await storage.load();
      if (text) ctx.tokenCache.deserialize(text);
      loaded = true;
    },
    async afterCacheAccess(ctx) {
      if (ctx.cacheHasChanged) await storage.save(ctx.tokenCache.serialize());
    },
  };
}

/** MSAL's errors as ours: the user is needed, the app is refused, or a transient failure. */
function toIdentityError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  // invalid_grant without a sub-error reaches us as a plain ServerError; it means the same (A6).
  if (err instanceof InteractionRequiredAuthError || (err instanceof AuthError && err.errorCode === "invalid_grant")) {
    return new InteractionRequiredError(reasonOf(err), { cause: err });
  }
  if (err instanceof AuthError && /^(invalid_request|invalid_client|unauthorized_client)$/.test(err.errorCode)) {
    return new UpstreamError("microsoft_refused", `${what}: ${reasonOf(err)}`, { cause: err });
  }
  return new RetryableError(`${what}: ${err instanceof AuthError ? reasonOf(err) : String(err)}`, 2_000, {
    cause: err,
  });
}

/** `invalid_grant (bad_token): AADSTS50173: The provided grant has expired …` (first line only). */
function reasonOf(err: AuthError): string {
  const first = (err.errorMessage || err.message).split(/\r?\n/)[0]!.trim();
  return `${err.errorCode}${err.subError ? ` (${err.subError})` : ""}: ${first}`.slice(0, 500);
}
