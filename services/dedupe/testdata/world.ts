// deno-lint-ignore-file no-explicit-any -- JSON answers of the HTTP APIs under test, asserted field by field
// A world for dedupe's end-to-end tests: the Microsoft 365 emulator with two mailboxes (each with a
// "CRM" contact folder, signed in through MSAL), the CRM simulator, auth's NATS endpoints answered
// here, and the real contacts-sync and dedupe services on real Postgres and NATS.
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { graphFor, msalFor, type Seeded, signIn, startSeeded } from "@app/m365-emulator/harness";
import { CrmAdminClient, type RunningCrmSimulator, startCrmSimulator } from "@app/crm-simulator";
import {
  GetTokenRequestSchema,
  GetUserContextRequestSchema,
  ListSyncableUsersRequestSchema,
  type SyncUserContext,
  VerifyApiKeyRequestSchema,
} from "@app/shared/contract";
import { NotFoundError, UnauthorizedError } from "@app/shared/errors";
import { Logger } from "@app/shared/log";
import { natsCatalog, serveRpc } from "@app/shared/nats";
import type { RunningService } from "@app/shared/runtime";
import { connectTestNats, type IsolatedInfra, isolatedInfra, waitFor } from "@app/shared/testing";
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

  constructor(
    readonly m365: Seeded,
    readonly mailboxes: Record<UserId, Mailbox>,
    readonly crm: RunningCrmSimulator,
    readonly nc: NatsConnection,
    readonly infra: IsolatedInfra,
    private readonly env: Record<string, string>,
  ) {
    this.crmAdmin = new CrmAdminClient(crm.url);
  }

  get catalog() {
    return natsCatalog(this.infra.prefix);
  }

  context(userId: string): SyncUserContext {
    return {
      tenantId: TENANT,
      userId,
      tenantEnabled: true,
      hasSyncRight: true,
      linkState: "linked",
      linkReason: null,
      conflictPolicy: "crm-wins",
      firstSyncNeedsConfirmation: false,
      settings: {
        calendar: { enabled: false, calendarId: null, includePastDays: 0 },
        contacts: { enabled: true, folderId: this.mailboxes[userId as UserId].folderId, direction: "two-way" },
      },
    };
  }

  /** Auth's request/reply endpoints, as the scenarios need them. */
  serveAuth(): void {
    const logger = new Logger("auth-double", "error");
    const rpc = this.catalog.subjects.auth.rpc;
    const known = (t: string, u: string) => t === TENANT && (USERS as readonly string[]).includes(u);
    this.#subs.push(
      serveRpc({
        nc: this.nc,
        subject: rpc.userContext,
        queue: "auth",
        request: GetUserContextRequestSchema,
        logger,
        handler: ({ tenantId, userId }) => {
          if (!known(tenantId, userId)) throw new NotFoundError(`user ${userId} unknown`);
          return Promise.resolve(this.context(userId));
        },
      }),
      serveRpc({
        nc: this.nc,
        subject: rpc.tokenGet,
        queue: "auth",
        request: GetTokenRequestSchema,
        logger,
        handler: async ({ userId }) => ({
          accessToken: await this.mailboxes[userId as UserId].token(),
          expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
          graphBaseUrl: this.m365.emu.url,
        }),
      }),
      serveRpc({
        nc: this.nc,
        subject: rpc.syncableUsers,
        queue: "auth",
        request: ListSyncableUsersRequestSchema,
        logger,
        handler: () => Promise.resolve({ items: USERS.map((u) => this.context(u)) }),
      }),
      serveRpc({
        nc: this.nc,
        subject: rpc.apiKeyVerify,
        queue: "auth",
        request: VerifyApiKeyRequestSchema,
        logger,
        handler: ({ apiKey }) => {
          if (apiKey !== API_KEY) throw new UnauthorizedError("unknown key");
          return Promise.resolve({ tenantId: TENANT, syncEnabled: true });
        },
      }),
    );
  }

  async start(o: { contactsSync?: boolean; dedupeEnv?: Record<string, string> } = {}): Promise<void> {
    if (o.contactsSync !== false) {
      this.contactsSync = await startContactsSync(loadContactsSyncConfig({
        ...this.env,
        POLL_INTERVAL_MS: "3600000",
        POLL_ACTIVE_MS: "3600000",
        RECONCILE_INTERVAL_MS: String(365 * 24 * 3600_000),
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
    const jsm = await jetstreamManager(this.nc);
    const spec = this.catalog.consumers.contactsCrmEvents;
    await waitFor("contacts-sync to settle", async () => {
      const info = await jsm.consumers.info(spec.stream.name, spec.durable).catch(() => undefined);
      if (!info || info.num_pending > 0 || info.num_ack_pending > 0) return false;
      for (const u of USERS) {
        const s = await this.#sync("GET", `/v1/users/${u}/contacts/status`);
        if (s.status !== 200 || s.body.pending) return false;
      }
      return true;
    }, { timeoutMs: 90_000, intervalMs: 100 });
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
      graph += Object.entries(counts[m.graphUserId]?.byEndpoint ?? {})
        .filter(([k]) => /^(POST|PATCH|DELETE) /.test(k) && !k.includes("$batch") && !k.includes("subscriptions"))
        .reduce((n, [, v]) => n + v, 0);
    }
    const crm = (await this.crmAdmin.requests({ tenantId: TENANT, writesOnly: true })).filter((r) => r.outcome === "ok")
      .length;
    return { graph, crm };
  }

  async stop(): Promise<void> {
    await this.dedupe?.stop();
    await this.contactsSync?.stop();
    this.#subs.forEach((s) => s.unsubscribe());
    await this.crm.stop();
    await this.nc.drain();
    await this.m365.emu.stop();
    await this.infra[Symbol.asyncDispose]();
  }
}

/** Starts a world with tenant t1, users u1 and u2 and their mailboxes; `await using` stops it. */
export async function startDedupeWorld(
  o: { contactsSync?: boolean; dedupeEnv?: Record<string, string> } = {},
): Promise<DedupeWorld & AsyncDisposable> {
  const m365 = await startSeeded({ users: ["adele", "bruno"] });
  const msal = msalFor(m365.emu, m365.tenantId);
  const mailboxes = {} as Record<UserId, Mailbox>;
  for (const [i, u] of USERS.entries()) {
    const user = m365.users[i]!;
    const folder = await m365.emu.admin.createContactFolder(user.userPrincipalName, "CRM");
    const first = await signIn(msal, user.userPrincipalName);
    mailboxes[u] = {
      upn: user.userPrincipalName,
      folderId: folder.id,
      graphUserId: user.id,
      token: async () =>
        (await msal.acquireTokenSilent({
          account: first.account!,
          scopes: ["Contacts.ReadWrite", "Calendars.ReadWrite"],
        }))
          .accessToken,
    };
  }
  const infra = await isolatedInfra("dd");
  const crm = await startCrmSimulator({
    natsUrl: infra.env.NATS_URL!,
    natsPrefix: infra.prefix,
    port: 0,
    logger: new Logger("crm", "error"),
  });
  const nc = await connectTestNats();
  const world = new DedupeWorld(m365, mailboxes, crm, nc, infra, infra.env);
  await world.crmAdmin.createTenant({ id: TENANT, name: "Tenant One" });
  await world.crmAdmin.createUser(TENANT, { id: "u1", displayName: "Adele" });
  await world.crmAdmin.createUser(TENANT, { id: "u2", displayName: "Bruno" });
  world.serveAuth();
  await world.start(o);
  return Object.assign(world, { [Symbol.asyncDispose]: () => world.stop() });
}
