import type { ChangeListener } from "./change_log.ts";
import type { AccessToken, AppRegistration, AuthCode, Grant, RefreshToken, Tenant, User } from "./directory.ts";
import { newGuid } from "./ids.ts";
import { MailLog } from "./mail_log.ts";
import { Mailbox } from "./mailbox.ts";

/**
 * Everything the emulator knows, in memory: the directory (tenants, users, apps), identity
 * records (grants, codes, tokens), mailboxes and the sent-mail log. Maps keyed by id keep every
 * lookup O(1).
 */
export class EmulatorState {
  readonly tenants = new Map<string, Tenant>();
  readonly users = new Map<string, User>();
  readonly apps = new Map<string, AppRegistration>();
  readonly grants = new Map<string, Grant>();
  readonly codes = new Map<string, AuthCode>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly mailboxes = new Map<string, Mailbox>();
  readonly mailLog = new MailLog();
  /** Listeners on every mailbox's change log (subscriptions register here). */
  readonly changeListeners = new Set<ChangeListener>();

  constructor(readonly now: () => number = Date.now) {}

  addTenant(t: Partial<Tenant> & { domain: string }): Tenant {
    const tenant: Tenant = {
      id: t.id ?? newGuid(),
      domain: t.domain.toLowerCase(),
      displayName: t.displayName ?? t.domain,
    };
    this.tenants.set(tenant.id, tenant);
    return tenant;
  }

  /** A tenant by id or domain (case-insensitive), as authority URLs name it. */
  findTenant(idOrDomain: string): Tenant | undefined {
    const key = idOrDomain.toLowerCase();
    const byId = this.tenants.get(key);
    if (byId) return byId;
    for (const t of this.tenants.values()) if (t.domain === key) return t;
    return undefined;
  }

  addUser(u: Omit<User, "id" | "mail" | "displayName"> & Partial<User>): User {
    const user: User = {
      ...u,
      id: u.id ?? newGuid(),
      displayName: u.displayName ?? u.userPrincipalName.split("@")[0]!,
      mail: u.mail ?? u.userPrincipalName,
    };
    this.users.set(user.id, user);
    this.mailboxes.set(user.id, new Mailbox(user.id, user.tenantId, this.changeListeners, this.now));
    return user;
  }

  /** A user of `tenantId` by object id or user principal name (case-insensitive UPN). */
  findUser(tenantId: string | undefined, idOrUpn: string): User | undefined {
    const byId = this.users.get(idOrUpn.toLowerCase());
    if (byId && (tenantId === undefined || byId.tenantId === tenantId)) return byId;
    const upn = idOrUpn.toLowerCase();
    for (const u of this.users.values()) {
      if (u.userPrincipalName.toLowerCase() === upn && (tenantId === undefined || u.tenantId === tenantId)) return u;
    }
    return undefined;
  }

  mailbox(userId: string): Mailbox {
    const box = this.mailboxes.get(userId);
    if (!box) throw new Error(`no mailbox for user ${userId}`);
    return box;
  }

  addApp(app: Partial<AppRegistration> & { clientId: string }): AppRegistration {
    const full: AppRegistration = {
      clientId: app.clientId,
      displayName: app.displayName ?? app.clientId,
      secrets: app.secrets ?? [],
      redirectUris: app.redirectUris ?? [],
      autoConsent: app.autoConsent ?? false,
    };
    this.apps.set(full.clientId, full);
    return full;
  }

  /** The live grant of `userId` to `clientId`, if consented and not revoked. */
  activeGrant(clientId: string, userId: string): Grant | undefined {
    for (const g of this.grants.values()) {
      if (g.clientId === clientId && g.userId === userId && g.revokedAt === undefined) return g;
    }
    return undefined;
  }

  /** Forgets everything except the change listeners (subscriptions re-register their own). */
  clear(): void {
    for (const m of [this.tenants, this.users, this.apps, this.grants, this.codes, this.refreshTokens]) m.clear();
    this.accessTokens.clear();
    this.mailboxes.clear();
    this.mailLog.clear();
  }
}
