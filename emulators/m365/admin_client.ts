import type { AppInput, ConfigPatch, TenantInput, UserInput } from "./admin/schemas.ts";
import type { EmulatorConfig } from "./config.ts";
import type { MailboxCounts } from "./graph/counters.ts";
import type { FaultRule, FaultRuleInput } from "./graph/faults.ts";
import type { AppRegistration, Grant, Tenant, User } from "./state/directory.ts";
import type { Folder } from "./state/folders.ts";
import type { SentMail } from "./state/mail_log.ts";
import type { Delivery, Subscription } from "./subscriptions/model.ts";
import type { LifecycleEvent } from "./subscriptions/service.ts";

/** A contact to seed: any Graph contact properties plus optional extended properties. */
export interface SeedContact {
  [property: string]: unknown;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

/** Thrown for non-2xx admin answers, with Graph's error code when there is one. */
export class AdminError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = "AdminError";
  }
}

/**
 * Typed client of the emulator's admin API, for tests anywhere in the project. `baseUrl` is the
 * emulator's origin (`https://127.0.0.1:PORT`); the process must trust its CA (`DENO_CERT`).
 */
export class AdminClient {
  constructor(readonly baseUrl: string) {}

  /** Any admin call; modules' own admin clients build on this. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      throw new AdminError(res.status, json?.error?.code ?? "unknown", json?.error?.message ?? text);
    }
    return json as T;
  }

  reset(): Promise<{ ok: true }> {
    return this.call("POST", "/reset", {});
  }
  createTenant(input: TenantInput): Promise<{ tenant: Tenant; users: User[]; apps: string[] }> {
    return this.call("POST", "/tenants", input);
  }
  createUser(tenant: string, input: UserInput): Promise<User> {
    return this.call("POST", `/tenants/${encodeURIComponent(tenant)}/users`, input);
  }
  createApp(input: AppInput): Promise<AppRegistration> {
    return this.call("POST", "/apps", input);
  }
  user(user: string): Promise<{ user: User; grants: Grant[]; folders: Folder[]; changeHead: number }> {
    return this.call("GET", `/users/${encodeURIComponent(user)}`);
  }
  /** Revokes the user's grants (all apps, or one), killing their refresh and access tokens. */
  revokeGrants(user: string, clientId?: string): Promise<{ revoked: number }> {
    return this.call("POST", `/users/${encodeURIComponent(user)}/revoke-grants`, { clientId });
  }
  /** Gives an item a new regular id (as a folder move does); the immutable id stays. */
  changeItemId(user: string, itemId: string): Promise<{ previousId: string; id: string; immutableId: string }> {
    return this.call("POST", `/users/${encodeURIComponent(user)}/items/${encodeURIComponent(itemId)}/change-id`, {});
  }

  config(): Promise<EmulatorConfig> {
    return this.call("GET", "/config");
  }
  patchConfig(patch: ConfigPatch): Promise<EmulatorConfig> {
    return this.call("PATCH", "/config", patch);
  }

  addFault(rule: FaultRuleInput): Promise<Omit<FaultRule, "pathRegex">> {
    return this.call("POST", "/faults", rule);
  }
  faults(): Promise<{ value: Omit<FaultRule, "pathRegex">[] }> {
    return this.call("GET", "/faults");
  }
  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }
  /** Every existing delta token (of one mailbox, or all) answers 410 from now on. */
  expireDeltaTokens(user?: string): Promise<{ expired: number }> {
    return this.call("POST", "/delta/expire", { user });
  }

  /** Request counts per mailbox user id. */
  counts(): Promise<Record<string, MailboxCounts>> {
    return this.call("GET", "/counts");
  }
  async resetCounts(): Promise<void> {
    await this.call("DELETE", "/counts");
  }
  mailLog(user?: string): Promise<{ value: SentMail[] }> {
    return this.call("GET", `/mail-log${user ? `?user=${encodeURIComponent(user)}` : ""}`);
  }

  subscriptions(): Promise<{ value: Subscription[] }> {
    return this.call("GET", "/subscriptions");
  }
  lifecycle(subscriptionId: string, event: LifecycleEvent): Promise<Delivery> {
    return this.call("POST", `/subscriptions/${encodeURIComponent(subscriptionId)}/lifecycle`, { event });
  }
  expireSubscription(subscriptionId: string): Promise<{ ok: true }> {
    return this.call("POST", `/subscriptions/${encodeURIComponent(subscriptionId)}/expire`, {});
  }
  notifications(): Promise<{ value: Delivery[] }> {
    return this.call("GET", "/notifications");
  }
  /** Waits until queued notifications have been delivered (or given up). */
  settleNotifications(): Promise<{ ok: true }> {
    return this.call("POST", "/notifications/settle", {});
  }
  /** Holds notifications back until {@link releaseNotifications} (Graph's are seconds to minutes late). */
  holdNotifications(): Promise<{ ok: true }> {
    return this.call("POST", "/notifications/hold", {});
  }
  /** Delivers the held notifications; later ones go out as they come. */
  releaseNotifications(): Promise<{ ok: true }> {
    return this.call("POST", "/notifications/release", {});
  }

  saveSnapshot(path: string): Promise<{ ok: true }> {
    return this.call("POST", "/snapshot/save", { path });
  }
  loadSnapshot(path: string): Promise<{ ok: true }> {
    return this.call("POST", "/snapshot/load", { path });
  }

  createContactFolder(user: string, displayName: string): Promise<{ id: string; displayName: string }> {
    return this.call("POST", `/users/${encodeURIComponent(user)}/contact-folders`, { displayName });
  }
  /** Seeds many contacts at once (fast: no HTTP per item). Returns their ids in input order. */
  bulkContacts(
    user: string,
    contacts: SeedContact[],
    folderId?: string,
  ): Promise<{ value: { id: string; immutableId: string }[] }> {
    return this.call("POST", `/users/${encodeURIComponent(user)}/contacts/bulk`, { folderId, contacts });
  }
  /** Reads back a folder's contacts as stored (default folder when absent). */
  contacts(user: string, folderId?: string): Promise<{ value: Record<string, unknown>[] }> {
    const q = folderId ? `?folderId=${encodeURIComponent(folderId)}` : "";
    return this.call("GET", `/users/${encodeURIComponent(user)}/contacts${q}`);
  }

  /**
   * Signs in as `user` on the sign-in page an authorize URL shows (what a person clicking would
   * do) and returns the redirect URL carrying `code` and `state`.
   */
  async signIn(authorizeUrl: string, user: string): Promise<string> {
    const url = new URL(authorizeUrl);
    const form = new URLSearchParams(url.searchParams);
    form.set("user", user);
    const res = await fetch(`${url.origin}${url.pathname}`, { method: "POST", body: form, redirect: "manual" });
    await res.body?.cancel();
    const location = res.headers.get("location");
    if (res.status !== 302 || !location) {
      throw new AdminError(res.status, "sign_in_failed", `sign-in answered ${res.status}`);
    }
    return location;
  }
}
