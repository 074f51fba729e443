// deno-lint-ignore-file no-explicit-any -- JSON answers of the HTTP API under test, asserted field by field
// A world for contacts-sync tests: the Microsoft 365 emulator (one mailbox with a "CRM" contact
// folder, signed in through MSAL), the CRM simulator, auth's NATS endpoints answered by this
// harness (auth has tests of its own; here its answers are what each scenario needs), and the
// real contacts-sync service on real Postgres and NATS.
import { jetstreamManager } from "@nats-io/jetstream";
import postgres from "postgres";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { graphFor, msalFor, type Seeded, signIn, startSeeded } from "@app/m365-emulator/harness";
import type { ConfigOverrides } from "@app/m365-emulator";
import { CrmAdminClient, type RunningCrmSimulator, startCrmSimulator } from "@app/crm-simulator";
import {
  GetTokenRequestSchema,
  ListSyncableUsersRequestSchema,
  type SyncUserContext,
  VerifyApiKeyRequestSchema,
} from "@app/shared/contract";
import { NotFoundError, UnauthorizedError } from "@app/shared/errors";
import { Logger } from "@app/shared/log";
import { natsCatalog, serveRpc } from "@app/shared/nats";
import type { RunningService } from "@app/shared/runtime";
import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testInfra,
  testNatsPrefix,
  waitFor,
} from "@app/shared/testing";
import { loadContactsSyncConfig } from "../config.ts";
import { startContactsSync } from "../main.ts";
import { GraphContactsAdapter } from "../adapters/graph_contacts.ts";
export { type BenchUser, type ManyUsersWorld, startManyUsersWorld } from "./many_users.ts";

export const TENANT = "t1";
export const USER = "u1";
/** V8 flags the services run with (scripts/lib/supervisor.ts, Dockerfile). */
export const SERVICE_V8_FLAGS = "--max-old-space-size=192";
export const API_KEY = "csk_harnesskey0001_" + "k".repeat(43);

export interface WorldOptions {
  direction?: "two-way" | "crm-to-outlook";
  conflictPolicy?: "crm-wins" | "outlook-wins";
  emulator?: ConfigOverrides;
  env?: Record<string, string>;
}

/** Everything a scenario touches. */
export class ContactsWorld {
  context: SyncUserContext;
  #service: RunningService | undefined;

  get service(): RunningService {
    if (!this.#service) throw new Error("contacts-sync is not running in this process");
    return this.#service;
  }
  readonly crmAdmin: CrmAdminClient;
  #subs: Subscription[] = [];

  constructor(
    readonly m365: Seeded,
    readonly upn: string,
    readonly folderId: string,
    readonly crm: RunningCrmSimulator,
    readonly nc: NatsConnection,
    readonly prefix: string,
    readonly db: TestDatabase,
    readonly options: WorldOptions,
    private readonly token: () => Promise<string>,
  ) {
    this.crmAdmin = new CrmAdminClient(crm.url);
    this.context = {
      tenantId: TENANT,
      userId: USER,
      tenantEnabled: true,
      hasSyncRight: true,
      linkState: "linked",
      linkReason: null,
      conflictPolicy: options.conflictPolicy ?? "crm-wins",
      firstSyncNeedsConfirmation: false,
      settings: {
        calendar: { enabled: false, calendarId: null, includePastDays: 0 },
        contacts: { enabled: true, folderId, direction: options.direction ?? "two-way" },
      },
    };
  }

  get catalog() {
    return natsCatalog(this.prefix);
  }

  /** Auth's request/reply endpoints as this scenario wants them. */
  serveAuth(): void {
    const logger = new Logger("auth-double", "error");
    const rpc = this.catalog.subjects.auth.rpc;
    const known = (t: string, u: string) => t === TENANT && u === USER;
    this.#subs.push(
      serveRpc({
        nc: this.nc,
        subject: rpc.userContext,
        queue: "auth",
        request: GetTokenRequestSchema,
        logger,
        handler: ({ tenantId, userId }) => {
          if (!known(tenantId, userId)) throw new NotFoundError(`user ${userId} unknown`);
          return Promise.resolve(this.context);
        },
      }),
      serveRpc({
        nc: this.nc,
        subject: rpc.tokenGet,
        queue: "auth",
        request: GetTokenRequestSchema,
        logger,
        handler: async () => ({
          accessToken: await this.token(),
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
        handler: () => Promise.resolve({ items: [this.context] }),
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

  get #env(): Record<string, string> {
    return {
      DATABASE_URL: this.db.url,
      NATS_URL: testInfra().natsUrl,
      NATS_PREFIX: this.prefix,
      PORT: "0",
      LOG_LEVEL: "error",
      // No poll or reconciliation unless a scenario asks: runs come from its own triggers only.
      POLL_INTERVAL_MS: "3600000",
      POLL_ACTIVE_MS: "3600000",
      RECONCILE_INTERVAL_MS: String(365 * 24 * 3600_000),
      // A killed process's users and Graph slots come back after this (crash tests restart often).
      RUN_LEASE_MS: "5000",
      GRAPH_LEASE_MS: "5000",
      ...this.options.env,
    };
  }

  async startService(): Promise<void> {
    this.#service = await startContactsSync(loadContactsSyncConfig(this.#env));
  }

  async stopService(): Promise<void> {
    const s = this.#service;
    this.#service = undefined;
    await s?.stop();
  }

  /** A second contacts-sync in this process on the same database and NATS (a replica). */
  async startReplica(): Promise<RunningService & AsyncDisposable> {
    const replica = await startContactsSync(loadContactsSyncConfig({ ...this.#env, PORT: "0" }));
    return Object.assign(replica, { [Symbol.asyncDispose]: () => replica.stop() });
  }

  /** Runs contacts-sync as its own process (crash tests kill it with SIGKILL). */
  spawnService(env: Record<string, string> = {}): Deno.ChildProcess {
    return new Deno.Command(Deno.execPath(), {
      // The same V8 heap cap as `start` and the container image give the services.
      args: ["run", "-A", `--v8-flags=${SERVICE_V8_FLAGS}`, new URL("../main.ts", import.meta.url).pathname],
      env: { ...this.#env, LOG_LEVEL: "error", ...env },
      stdout: "null",
      stderr: "null",
    }).spawn();
  }

  /**
   * Runs `edits` while contacts-sync is stopped, so that no event-triggered run falls between
   * them; their events wait in JetStream and are served after the restart.
   */
  async whileStopped(edits: () => Promise<void>): Promise<void> {
    await this.settle();
    await this.stopService();
    await edits();
    await this.startService();
  }

  /** Calls contacts-sync's HTTP API as the tenant. */
  async api(method: string, path: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  /** A Graph client acting as the user in Outlook (edits that the sync must pick up). */
  outlookClient() {
    return graphFor(this.m365.emu, this.token);
  }

  /** Waits until every trigger so far has been served: no message pending, no run pending. */
  async settle(timeoutMs = 60_000): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const c = this.catalog.consumers;
    await waitFor("contacts-sync to settle", async () => {
      for (const spec of [c.contactsCrmEvents, c.contactsAuthEvents]) {
        const info = await jsm.consumers.info(spec.stream.name, spec.durable).catch(() => undefined);
        if (!info || info.num_pending > 0 || info.num_ack_pending > 0) return false;
      }
      const status = await this.api("GET", `/v1/users/${USER}/contacts/status`);
      return status.status === 200 && !status.body.pending;
    }, { timeoutMs, intervalMs: 100 });
  }

  /** "Sync now", then waits for the run; returns it as status shows it. */
  async syncNow(): Promise<any> {
    await this.settle();
    const before = (await this.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs.length;
    const r = await this.api("POST", `/v1/users/${USER}/contacts/sync`);
    if (r.status !== 202) throw new Error(`sync now answered ${r.status}`);
    await waitFor("the requested run", async () => {
      const s = (await this.api("GET", `/v1/users/${USER}/contacts/status`)).body;
      return !s.pending && (s.runs.length > before || s.runs.length === 10) && s.runs[0].finishedAt;
    }, { timeoutMs: 60_000 });
    await this.settle();
    return (await this.api("GET", `/v1/users/${USER}/contacts/status`)).body.runs[0];
  }

  /** Writes to the mailbox so far (POST/PATCH/DELETE operations, batch items one by one). */
  async graphWrites(): Promise<number> {
    const counts = (await this.m365.emu.admin.counts())[this.m365.users[0]!.id];
    return Object.entries(counts?.byEndpoint ?? {})
      .filter(([k]) => /^(POST|PATCH|DELETE) /.test(k) && !k.includes("$batch") && !k.includes("subscriptions"))
      .reduce((n, [, v]) => n + v, 0);
  }

  /** Writes the CRM accepted so far. */
  async crmWrites(): Promise<number> {
    return (await this.crmAdmin.requests({ tenantId: TENANT, writesOnly: true })).filter((r) => r.outcome === "ok")
      .length;
  }

  /** The Outlook folder's contacts as stored. */
  async outlook(): Promise<Record<string, any>[]> {
    return (await this.m365.emu.admin.contacts(this.upn, this.folderId)).value;
  }

  /** Syncs once more and asserts nothing was written on either side (every scenario ends so). */
  async assertQuiet(): Promise<void> {
    const g = await this.graphWrites(), c = await this.crmWrites();
    const run = await this.syncNow();
    const g2 = await this.graphWrites(), c2 = await this.crmWrites();
    if (g2 !== g || c2 !== c) {
      throw new Error(`second run wrote: graph ${g2 - g}, crm ${c2 - c}; run ${JSON.stringify(run.summary?.done)}`);
    }
  }

  /** Runs SQL on the service's database (tests that lose a change on purpose). */
  async sql<T>(f: (sql: postgres.Sql) => Promise<T>): Promise<T> {
    const sql = postgres(this.db.url, { max: 1, onnotice: () => {} });
    try {
      return await f(sql);
    } finally {
      await sql.end();
    }
  }

  /**
   * Loses the Outlook changes made since the last run (P9 tests): moves the user's stored delta
   * cursor past them, as a dropped notification or a delta round that missed them would. Call it
   * while the service is stopped.
   */
  async dropDeltaChanges(): Promise<void> {
    await this.sql(async (sql) => {
      const [row] = await sql`select cursor from contacts_sync.delta_cursors where user_id = ${USER}`;
      const graph = new GraphContactsAdapter(this.outlookClient(), this.folderId);
      const read = await graph.readChanges(row!.cursor as string);
      await sql`update contacts_sync.delta_cursors set cursor = ${read.nextCursor}, created = '[]'::jsonb
        where user_id = ${USER}`;
    });
  }

  async stop(): Promise<void> {
    await this.stopService();
    this.#subs.forEach((s) => s.unsubscribe());
    await this.crm.stop();
    await deleteTestStreams(this.nc, this.prefix);
    await this.nc.drain();
    await this.m365.emu.stop();
    await this.db.drop();
  }
}

/** Starts a world; `await using` stops it. */
export async function startContactsWorld(options: WorldOptions = {}): Promise<ContactsWorld & AsyncDisposable> {
  const m365 = await startSeeded({ users: ["adele"], config: options.emulator });
  const upn = m365.users[0]!.userPrincipalName;
  const folder = await m365.emu.admin.createContactFolder(upn, "CRM");
  const msal = msalFor(m365.emu, m365.tenantId);
  const first = await signIn(msal, upn);
  const token = async () =>
    (await msal.acquireTokenSilent({ account: first.account!, scopes: ["Contacts.ReadWrite", "Calendars.ReadWrite"] }))
      .accessToken;
  const prefix = testNatsPrefix("cs");
  const db = await createTestDatabase("cs");
  const crm = await startCrmSimulator({
    natsUrl: testInfra().natsUrl,
    natsPrefix: prefix,
    port: 0,
    logger: new Logger("crm", "error"),
  });
  const nc = await connectTestNats();
  const world = new ContactsWorld(m365, upn, folder.id, crm, nc, prefix, db, options, token);
  await world.crmAdmin.createTenant({ id: TENANT, name: "Tenant One" });
  await world.crmAdmin.createUser(TENANT, { id: USER, displayName: "Adele" });
  world.serveAuth();
  await world.startService();
  return Object.assign(world, { [Symbol.asyncDispose]: () => world.stop() });
}
