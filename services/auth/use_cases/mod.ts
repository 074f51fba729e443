import type { SyncSettings, SyncUserContext, Tenant } from "@app/shared/contract";
import { NotFoundError, UpstreamError } from "@app/shared/errors";
import type { Logger } from "@app/shared/log";
import { type AccountRow, AccountStore } from "../adapters/account_store.ts";
import type { Db } from "../adapters/db.ts";
import { LinkStateStore } from "../adapters/link_state_store.ts";
import type { CalendarChoice, ContactFolderChoice } from "../adapters/mailbox_graph.ts";
import { MicrosoftIdentity } from "../adapters/microsoft_identity.ts";
import { type TenantPatch, TenantStore } from "../adapters/tenant_store.ts";
import { UserStore } from "../adapters/user_store.ts";
import type { MicrosoftConfig } from "../config.ts";
import { TokenCipher } from "../crypto/token_cipher.ts";
import { requireUser } from "./access.ts";
import { type CallbackQuery, type LinkOutcome, LinkService } from "./linking.ts";
import { MailboxChoices } from "./mailbox.ts";
import { SettingsService } from "./settings.ts";
import { type AccessToken, TokenService } from "./tokens.ts";
import { unlinkAccount, type UnlinkResult } from "./unlinking.ts";

/** A user as the CRM admin sees them: right, link, settings. */
export interface UserStatus {
  context: SyncUserContext;
  account?: AccountRow;
}

/** The parts that exist only with a Microsoft app registration. */
interface MicrosoftParts {
  linking: LinkService;
  tokens: TokenService;
  mailbox: MailboxChoices;
  graphBaseUrl: string;
}

/**
 * auth's use cases, the one place they are put together; routes and NATS handlers call these.
 * Without a Microsoft app registration the account features answer 503 and the rest works.
 */
export class AuthUseCases {
  readonly tenants: TenantStore;
  readonly users: UserStore;
  readonly accounts: AccountStore;
  readonly settings: SettingsService;
  readonly #ms?: MicrosoftParts;

  private constructor(
    db: Db,
    private readonly logger: Logger,
    private readonly eventsWritten: () => void,
    ms?: { config: MicrosoftConfig; cipher: TokenCipher },
  ) {
    this.tenants = new TenantStore(db);
    this.users = new UserStore(db);
    this.accounts = new AccountStore(db);
    const base = { tenants: this.tenants, users: this.users, accounts: this.accounts, logger, eventsWritten };
    if (ms) {
      const identity = new MicrosoftIdentity(ms.config, logger);
      const tokens = new TokenService({ ...base, identity, cipher: ms.cipher });
      const mailbox = new MailboxChoices({ ...base, tokens, graphBaseUrl: ms.config.graphBaseUrl });
      const linkStates = new LinkStateStore(db);
      const linking = new LinkService({ ...base, linkStates, identity, cipher: ms.cipher, config: ms.config });
      this.#ms = { linking, tokens, mailbox, graphBaseUrl: ms.config.graphBaseUrl };
    }
    this.settings = new SettingsService({ ...base, mailbox: this.#ms?.mailbox });
  }

  /** Builds the use cases; `microsoft` is undefined when no app registration is configured. */
  static async create(
    db: Db,
    logger: Logger,
    eventsWritten: () => void,
    microsoft?: MicrosoftConfig,
  ): Promise<AuthUseCases> {
    const ms = microsoft ? { config: microsoft, cipher: await TokenCipher.create(microsoft.tokenKeys) } : undefined;
    return new AuthUseCases(db, logger, eventsWritten, ms);
  }

  /**
   * What the tenant chooses for itself (C9 conflict policy, A10 first-sync confirmation); the sync
   * services read it with each user's context. The feature switch (A8) is not the tenant's.
   */
  configureTenant(tenantId: string, patch: TenantPatch): Promise<Tenant> {
    return this.tenants.update(tenantId, patch);
  }

  /** Grants or revokes the "Microsoft Outlook sync" right (A2). */
  async setRight(tenantId: string, userId: string, granted: boolean): Promise<UserStatus> {
    const { changed } = await this.users.setRight(tenantId, userId, granted);
    if (changed) this.eventsWritten();
    return await this.status(tenantId, userId);
  }

  async status(tenantId: string, userId: string): Promise<UserStatus> {
    await requireUser(this, tenantId, userId);
    const context = await this.users.context(tenantId, userId);
    if (!context) throw new NotFoundError(`tenant ${tenantId} no longer exists`);
    return { context, account: await this.accounts.byUser(tenantId, userId) };
  }

  async listUsers(tenantId: string): Promise<UserStatus[]> {
    const contexts = await this.users.list(tenantId);
    return await Promise.all(
      contexts.map(async (context) => ({ context, account: await this.accounts.byUser(tenantId, context.userId) })),
    );
  }

  startLink(tenantId: string, userId: string, o: { returnUrl?: string; loginHint?: string }) {
    return this.microsoft().linking.start(tenantId, userId, o);
  }

  completeLink(q: CallbackQuery): Promise<LinkOutcome> {
    return this.microsoft().linking.complete(q);
  }

  unlink(tenantId: string, userId: string): Promise<UnlinkResult> {
    const d = {
      tenants: this.tenants,
      users: this.users,
      accounts: this.accounts,
      mailbox: this.#ms?.mailbox,
      logger: this.logger,
      eventsWritten: this.eventsWritten,
    };
    return unlinkAccount(d, tenantId, userId);
  }

  calendars(tenantId: string, userId: string): Promise<CalendarChoice[]> {
    return this.microsoft().mailbox.calendars(tenantId, userId);
  }

  contactFolders(tenantId: string, userId: string): Promise<ContactFolderChoice[]> {
    return this.microsoft().mailbox.contactFolders(tenantId, userId);
  }

  putSettings(tenantId: string, userId: string, update: Partial<SyncSettings>): Promise<SyncSettings> {
    return this.settings.put(tenantId, userId, update);
  }

  /** A short-lived Graph token for a sync service (A6), with the Graph base URL to use it on. */
  async token(tenantId: string, userId: string, forceRefresh = false): Promise<AccessToken & { graphBaseUrl: string }> {
    const ms = this.microsoft();
    return { ...await ms.tokens.forUser(tenantId, userId, forceRefresh), graphBaseUrl: ms.graphBaseUrl };
  }

  private microsoft(): MicrosoftParts {
    if (!this.#ms) {
      throw new UpstreamError(
        "microsoft_not_configured",
        "no Microsoft app registration is configured (MS_CLIENT_ID and friends); accounts cannot be linked",
        { status: 503 },
      );
    }
    return this.#ms;
  }
}
