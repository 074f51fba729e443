// deno-lint-ignore-file no-explicit-any -- JSON answers of the HTTP APIs under test, asserted field by field
// A world for dedupe's end-to-end tests: the Microsoft 365 emulator with two mailboxes (each with a
// "CRM" contact folder, signed in through MSAL), the CRM simulator, auth's NATS endpoints answered
// here, and the real contacts-sync and dedupe services on real Postgres and NATS.
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { graphFor, type Seeded } from "@app/m365-emulator/harness";
import type { CrmAdminClient, RunningCrmSimulator } from "@app/crm-simulator";
import { GetUserContextRequestSchema, type SyncUserContext } from "@app/shared/contract";
import { natsCatalog } from "@app/shared/nats";
import type { RunningService } from "@app/shared/runtime";
import { type IsolatedInfra, waitFor } from "@app/shared/testing";
import {
  crmWriteCount,
  graphWriteCount,
  linkedUserContext,
  QUIET_SYNC_ENV,
  serveAuthStandIn,
  settleSync,
  signInMailbox,
  startSyncInfra,
  stopSyncInfra,
  type SyncInfra,
} from "@app/shared/testing/sync-world";
import { loadContactsSyncConfig } from "@app/contacts-sync/config";
import { startContactsSync } from "@app/contacts-sync";
import { loadDedupeConfig } from "../config.ts";
import { startDedupe } from "../main.ts";

export const TENANT = "t1";
export const USERS = ["u1", "u2"] as const;
export type UserId = (typeof USERS)[number];
export const API_KEY = "csk_dedupekey00001_" + "k".repeat(43);

interface Mailbox {
  upn: string;
  folderId: string;
  token: () => Promise<string>;
  graphUserId: string;
}

/** Everything a dedupe scenario touches. */
export class DedupeWorld {
  readonly crmAdmin: CrmAdminClient;
  contactsSync: RunningService | undefined;
  dedupe: RunningService | undefined;
  #subs: Subscription[] = [];

  readonly m365: Seeded;
  readonly crm: RunningCrmSimulator;
  readonly nc: NatsConnection;
  readonly infra: IsolatedInfra;
  private readonly env: Record<string, string>;

  constructor(readonly sync: SyncInfra, readonly mailboxes: Record<UserId, Mailbox>) {
    ({ m365: this.m365, crm: this.crm, nc: this.nc, crmAdmin: this.crmAdmin, infra: this.infra } = sync);
    this.env = this.infra.env;
  }

  get catalog() {
    return natsCatalog(this.infra.prefix);
  }

  context(userId: string): SyncUserContext {
    return linkedUserContext(TENANT, userId, {
      contacts: { enabled: true, folderId: this.mailboxes[userId as UserId].folderId, direction: "two-way" },
    });
  }

  /** Auth's request/reply endpoints, as the scenarios need them. */
  serveAuth(): void {
    const known = (u: string): u is UserId => (USERS as readonly string[]).includes(u);
    this.#subs.push(...serveAuthStandIn(this.nc, this.infra.prefix, {
      tenantId: TENANT,
      apiKey: API_KEY,
      graphBaseUrl: this.m365.emu.url,
      context: (userId) => known(userId) ? this.context(userId) : undefined,
      contexts: () => USERS.map((u) => this.context(u)),
      token: (userId) => known(userId) ? this.mailboxes[userId].token() : undefined,
      contextRequest: GetUserContextRequestSchema,
    }));
  }

  async start(o: { contactsSync?: boolean; dedupeEnv?: Record<string, string> } = {}): Promise<void> {
    if (o.contactsSync !== false) {
      this.contactsSync = await startContactsSync(loadContactsSyncConfig({
        ...this.env,
        ...QUIET_SYNC_ENV,
      }));
    }
    this.dedupe = await startDedupe(loadDedupeConfig({
      ...this.env,
      SCAN_CHECK_MS: "3600000",
      LINKS_TIMEOUT_MS: "3000",
      ...o.dedupeEnv,
    }));
  }

  async #call(base: string | undefined, method: string, path: string, body?: unknown, key = API_KEY) {
    if (!base) throw new Error("service not running");
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) as any };
  }

  /** dedupe's HTTP API as the tenant. */
  api(method: string, path: string, body?: unknown, key?: string) {
    return this.#call(this.dedupe?.url, method, path, body, key);
  }

  /** Starts a scan and waits for it to end; returns it. */
  async scan(): Promise<any> {
    const started = await this.api("POST", "/v1/duplicates/scans");
    if (started.status !== 202) throw new Error(`scan answered ${started.status} ${JSON.stringify(started.body)}`);
    return await waitFor("the scan", async () => {
      const s = await this.api("GET", `/v1/duplicates/scans/${started.body.id}`);
      return s.body.status !== "running" && s.body;
    }, { timeoutMs: 60_000 });
  }

  /** The open groups of the current report. */
  async groups(kind?: "contact" | "appointment"): Promise<any[]> {
    return (await this.api("GET", `/v1/duplicates/report${kind ? `?kind=${kind}` : ""}`)).body.groups;
  }

  #sync(method: string, path: string) {
    return this.#call(this.contactsSync?.url, method, path);
  }

  /** Waits until contacts-sync has served every CRM event and run so far, for every user. */
  async settle(): Promise<void> {
    await settleSync("contacts-sync to settle", this.nc, [this.catalog.consumers.contactsCrmEvents], async () => {
      for (const u of USERS) {
        const s = await this.#sync("GET", `/v1/users/${u}/contacts/status`);
        if (s.status !== 200 || s.body.pending) return false;
      }
      return true;
    }, 90_000);
  }

  /** "Sync now" for a user; waits for the run. */
  async syncNow(userId: UserId): Promise<any> {
    await this.settle();
    const before = (await this.#sync("GET", `/v1/users/${userId}/contacts/status`)).body.runs.length;
    const r = await this.#sync("POST", `/v1/users/${userId}/contacts/sync`);
    if (r.status !== 202) throw new Error(`sync now answered ${r.status}`);
    await waitFor("the requested run", async () => {
      const s = (await this.#sync("GET", `/v1/users/${userId}/contacts/status`)).body;
      return !s.pending && (s.runs.length > before || s.runs.length === 10) && s.runs[0].finishedAt;
    }, { timeoutMs: 90_000 });
    await this.settle();
  }

  /** Syncs every user, twice when asked to prove the second round writes nothing. */
  async syncAll(): Promise<void> {
    for (const u of USERS) await this.syncNow(u);
  }

  /** A user's Outlook folder as stored. */
  async outlook(userId: UserId): Promise<Record<string, any>[]> {
    const m = this.mailboxes[userId];
    return (await this.m365.emu.admin.contacts(m.upn, m.folderId)).value;
  }

  /** A Graph client acting as the user in Outlook. */
  outlookClient(userId: UserId) {
    return graphFor(this.m365.emu, this.mailboxes[userId].token);
  }

  /** Writes to the mailboxes and the CRM so far. */
  async writes(): Promise<{ graph: number; crm: number }> {
    const counts = await this.m365.emu.admin.counts();
    let graph = 0;
    for (const m of Object.values(this.mailboxes)) {
      graph += graphWriteCount(counts[m.graphUserId]?.byEndpoint ?? {});
    }
    const crm = await crmWriteCount(this.crmAdmin, TENANT);
    return { graph, crm };
  }

  async stop(): Promise<void> {
    await this.dedupe?.stop();
    await this.contactsSync?.stop();
    await stopSyncInfra(this.sync, this.#subs);
  }
}

/** Starts a world with tenant t1, users u1 and u2 and their mailboxes; `await using` stops it. */
export async function startDedupeWorld(
  o: { contactsSync?: boolean; dedupeEnv?: Record<string, string> } = {},
): Promise<DedupeWorld & AsyncDisposable> {
  const sync = await startSyncInfra({
    label: "dd",
    users: ["adele", "bruno"],
    tenant: { id: TENANT, name: "Tenant One" },
  });
  const { m365, msal } = sync;
  const mailboxes = {} as Record<UserId, Mailbox>;
  for (const [i, u] of USERS.entries()) {
    const user = m365.users[i]!;
    const folder = await m365.emu.admin.createContactFolder(user.userPrincipalName, "CRM");
    mailboxes[u] = {
      upn: user.userPrincipalName,
      folderId: folder.id,
      graphUserId: user.id,
      token: await signInMailbox(msal, user.userPrincipalName),
    };
  }
  const world = new DedupeWorld(sync, mailboxes);
  await world.crmAdmin.createUser(TENANT, { id: "u1", displayName: "Adele" });
  await world.crmAdmin.createUser(TENANT, { id: "u2", displayName: "Bruno" });
  world.serveAuth();
  await world.start(o);
  return Object.assign(world, { [Symbol.asyncDispose]: () => world.stop() });
}
