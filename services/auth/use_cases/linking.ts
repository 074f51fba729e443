import { AppError, ValidationError } from "@app/shared/errors";
import { encodeBase64Url, sha256Hex } from "@app/shared/encoding";
import type { Logger } from "@app/shared/log";
import { type AccountStore, cacheContext } from "../adapters/account_store.ts";
import type { LinkStateStore } from "../adapters/link_state_store.ts";
import type { MicrosoftIdentity } from "../adapters/microsoft_identity.ts";
import type { MicrosoftConfig } from "../config.ts";
import type { TokenCipher } from "../crypto/token_cipher.ts";
import { type AccessDeps, requireMayUse } from "./access.ts";

/** What {@link LinkService} needs. */
export interface LinkDeps extends AccessDeps {
  accounts: AccountStore;
  linkStates: LinkStateStore;
  identity: MicrosoftIdentity;
  cipher: TokenCipher;
  config: Pick<MicrosoftConfig, "linkStateTtlMs" | "returnOrigins">;
  logger: Logger;
  eventsWritten: () => void;
  now?: () => Date;
}

/** How a sign-in ended, for the CRM's return URL or the result page. */
export interface LinkOutcome {
  status: number;
  /** `linked`, or the error's stable code. */
  code: string;
  message: string;
  returnUrl?: string;
  userId?: string;
  accountName?: string;
}

/** What Microsoft sent back to the callback. */
export interface CallbackQuery {
  state?: string;
  code?: string;
  error?: string;
  error_description?: string;
}

/** Linking a Microsoft 365 account (A1): the sign-in URL, then the callback that records it (A3). */
export class LinkService {
  constructor(private readonly d: LinkDeps) {}

  /** Starts a sign-in for the user: auth code + PKCE (S256), state bound to tenant and user. */
  async start(tenantId: string, userId: string, o: { returnUrl?: string; loginHint?: string }): Promise<{
    authorizeUrl: string;
    expiresAt: Date;
  }> {
    if (o.returnUrl !== undefined) this.checkReturnUrl(o.returnUrl);
    await requireMayUse(this.d, tenantId, userId);
    const state = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const stateHash = await sha256Hex(state);
    const nonce = crypto.randomUUID();
    const { verifier, challenge } = await this.d.identity.pkce();
    const expiresAt = new Date(this.now().getTime() + this.d.config.linkStateTtlMs);
    await this.d.linkStates.create({
      stateHash,
      tenantId,
      userId,
      verifier: await this.d.cipher.seal(verifier, `link-state:${stateHash}`),
      nonce,
      returnUrl: o.returnUrl ?? null,
      loginHint: o.loginHint ?? null,
      expiresAt,
    });
    const authorizeUrl = await this.d.identity.authorizeUrl({ state, nonce, challenge, loginHint: o.loginHint });
    return { authorizeUrl, expiresAt };
  }

  /**
   * Finishes a sign-in: the state must be known, unused and unexpired (it is used up either way);
   * the code is redeemed with its PKCE verifier; when linking was started with a login hint, the
   * signed-in account must be that one (`account_mismatch` otherwise, nothing linked); the account
   * is recorded unless A3 forbids it.
   * Never throws: every ending is an outcome.
   */
  async complete(q: CallbackQuery): Promise<LinkOutcome> {
    if (!q.state) return fail(400, "state_missing", "The sign-in answer carries no state. Start linking again.");
    const stateHash = await sha256Hex(q.state);
    const row = await this.d.linkStates.consume(stateHash);
    if (!row) {
      return fail(400, "state_unknown", "This sign-in is unknown or was already used. Start linking again.");
    }
    const returnUrl = row.returnUrl ?? undefined;
    const at = { returnUrl, userId: row.userId };
    if (row.expiresAt <= this.now()) {
      return fail(400, "state_expired", "This sign-in took too long and expired. Start linking again.", at);
    }
    if (q.error) {
      const why = (q.error_description ?? "").split(/\r?\n/)[0]!.slice(0, 300);
      return fail(400, "sign_in_failed", `Microsoft sign-in did not complete: ${q.error}${why ? `: ${why}` : ""}`, at);
    }
    if (!q.code) return fail(400, "code_missing", "The sign-in answer carries no code. Start linking again.", at);
    try {
      await requireMayUse(this.d, row.tenantId, row.userId);
      const verifier = await this.d.cipher.open(
        { keyId: row.keyId, ciphertext: row.verifier },
        `link-state:${stateHash}`,
      );
      const { account, cache } = await this.d.identity.redeemCode({
        code: q.code,
        verifier,
        state: q.state,
        nonce: row.nonce,
      });
      if (row.loginHint !== null && !sameAccountName(row.loginHint, account.username)) {
        return fail(
          403,
          "account_mismatch",
          `Linking was started for ${row.loginHint}, but Microsoft signed in ${account.username}. Nothing was ` +
            `linked: sign in as ${row.loginHint}, or start linking again.`,
          at,
        );
      }
      const sealed = await this.d.cipher.seal(cache, cacheContext({ ...row, homeAccountId: account.homeAccountId }));
      await this.d.accounts.link(row.tenantId, row.userId, account, sealed);
      this.d.eventsWritten();
      return {
        status: 200,
        code: "linked",
        message: `The Microsoft 365 account ${account.username} is now linked.`,
        ...at,
        accountName: account.accountName,
      };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return fail(err.status, err.code, err.message, at);
      this.d.logger.error("linking failed", { error: err, tenantId: row.tenantId, userId: row.userId });
      const status = err instanceof AppError ? err.status : 500;
      return fail(status, err instanceof AppError ? err.code : "internal", "Linking failed; please try again.", at);
    }
  }

  private checkReturnUrl(returnUrl: string): void {
    const url = URL.parse(returnUrl);
    if (!url || !this.d.config.returnOrigins.includes(url.origin)) {
      const message = `must start with an allowed CRM origin (${
        this.d.config.returnOrigins.join(", ") || "none configured"
      })`;
      throw new ValidationError(`invalid body: returnUrl: ${message}`, [{ path: "returnUrl", message }]);
    }
  }

  private now(): Date {
    return this.d.now?.() ?? new Date();
  }
}

// The hint is what the CRM asked for; the signed-in name is the ID token's preferred_username.
function sameAccountName(hint: string, signedIn: string): boolean {
  return hint.trim().toLowerCase() === signedIn.trim().toLowerCase();
}

function fail(status: number, code: string, message: string, at: Partial<LinkOutcome> = {}): LinkOutcome {
  return { status, code, message, ...at };
}
