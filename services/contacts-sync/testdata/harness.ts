// deno-lint-ignore-file no-explicit-any -- JSON answers of the HTTP API under test, asserted field by field
// A world for contacts-sync tests: the Microsoft 365 emulator (one mailbox with a "CRM" contact
// folder, signed in through MSAL), the CRM simulator, auth's NATS endpoints answered by this
// harness (auth has tests of its own; here its answers are what each scenario needs), and the
// real contacts-sync service on real Postgres and NATS.
import postgres from "postgres";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { graphFor, type Seeded } from "@app/m365-emulator/harness";
import type { ConfigOverrides } from "@app/m365-emulator";
import type { CrmAdminClient, RunningCrmSimulator } from "@app/crm-simulator";
import type { SyncUserContext } from "@app/shared/contract";
import { natsCatalog } from "@app/shared/nats";
import type { RunningService } from "@app/shared/runtime";
import { type TestDatabase, waitFor } from "@app/shared/testing";
import {
  callApi,
  crmWriteCount,
  graphWriteCount,
  linkedUserContext,
  QUIET_SYNC_ENV,
  serveAuthStandIn,
  ServiceUnderTest,
  settleSync,
  signInMailbox,
  startSyncInfra,
  stopSyncInfra,
  type SyncInfra,
} from "@app/shared/testing/sync-world";
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
  readonly #service = new ServiceUnderTest(
    "contacts-sync",
    new URL("../main.ts", import.meta.url),
    (env) => startContactsSync(loadContactsSyncConfig(env)),
    () => this.#env,
  );

  get service(): RunningService {
    return this.#service.running;
  }
  readonly crmAdmin: CrmAdminClient;
  readonly m365: Seeded;
  readonly crm: RunningCrmSimulator;
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly db: TestDatabase;
  #subs: Subscription[] = [];

  constructor(
    readonly infra: SyncInfra,
    readonly upn: string,
    readonly folderId: string,
    readonly options: WorldOptions,
    private readonly token: () => Promise<string>,
  ) {
    ({ m365: this.m365, crm: this.crm, nc: this.nc, crmAdmin: this.crmAdmin } = infra);
    ({ prefix: this.prefix, db: this.db } = infra.infra);
    this.context = linkedUserContext(TENANT, USER, {
      conflictPolicy: options.conflictPolicy ?? "crm-wins",
      contacts: { enabled: true, folderId, direction: options.direction ?? "two-way" },
    });
  }

  get catalog() {
    return natsCatalog(this.prefix);
  }

  /** Auth's request/reply endpoints as this scenario wants them. */
  serveAuth(): void {
    this.#subs.push(...serveAuthStandIn(this.nc, this.prefix, {
      tenantId: TENANT,
      apiKey: API_KEY,
      graphBaseUrl: this.m365.emu.url,
      context: (userId) => userId === USER ? this.context : undefined,
      contexts: () => [this.context],
      token: () => this.token(),
    }));
  }

  get #env(): Record<string, string> {
    return {
      ...this.infra.infra.env,
      ...QUIET_SYNC_ENV,
      // A killed process's users and Graph slots come back after this (crash tests restart often).
      RUN_LEASE_MS: "5000",
      GRAPH_LEASE_MS: "5000",
      ...this.options.env,
    };
  }

  startService(): Promise<void> {
    return this.#service.startHere();
  }

  stopService(): Promise<void> {
    return this.#service.stop();
  }

  /** A second contacts-sync in this process on the same database and NATS (a replica). */
  async startReplica(): Promise<RunningService & AsyncDisposable> {
    const replica = await startContactsSync(loadContactsSyncConfig({ ...this.#env, PORT: "0" }));
    return Object.assign(replica, { [Symbol.asyncDispose]: () => replica.stop() });
  }

  /** Runs contacts-sync as its own process (crash tests kill it with SIGKILL). */
  spawnService(env: Record<string, string> = {}): Deno.ChildProcess {
    // The same V8 heap cap as `start` and the container image give the services.
    return this.#service.spawn(SERVICE_V8_FLAGS, env);
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
    return await callApi(this.service.url, API_KEY, method, path);
  }

  /** A Graph client acting as the user in Outlook (edits that the sync must pick up). */
  outlookClient() {
    return graphFor(this.m365.emu, this.token);
  }

  /** Waits until every trigger so far has been served: no message pending, no run pending. */
  async settle(timeoutMs = 60_000): Promise<void> {
    const c = this.catalog.consumers;
    await settleSync("contacts-sync to settle", this.nc, [c.contactsCrmEvents, c.contactsAuthEvents], async () => {
      const status = await this.api("GET", `/v1/users/${USER}/contacts/status`);
      return status.status === 200 && !status.body.pending;
    }, timeoutMs);
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
    return graphWriteCount(counts?.byEndpoint ?? {});
  }

  /** Writes the CRM accepted so far. */
  async crmWrites(): Promise<number> {
    return await crmWriteCount(this.crmAdmin, TENANT);
  }

  /** The Outlook folder's contacts as stored. */
  async outlook(): Promise<Record<string, any>[]> {
    return (await this.m365.emu.admin.contacts(this.upn, this.folderId)).value;
  }

  /** Syncs once more and asserts nothing was written on either side (every scenario ends so). */
  async assertQuiet(): Promise<void> {
    // Counted once every trigger so far is served: a run still writing is not the second run.
    await this.settle();
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
    await stopSyncInfra(this.infra, this.#subs);
  }
}

/** Starts a world; `await using` stops it. */
export async function startContactsWorld(options: WorldOptions = {}): Promise<ContactsWorld & AsyncDisposable> {
  const infra = await startSyncInfra({
    label: "cs",
    users: ["adele"],
    emulator: options.emulator,
    tenant: { id: TENANT, name: "Tenant One" },
  });
  const upn = infra.m365.users[0]!.userPrincipalName;
  const folder = await infra.m365.emu.admin.createContactFolder(upn, "CRM");
  const token = await signInMailbox(infra.msal, upn);
  const world = new ContactsWorld(infra, upn, folder.id, options, token);
  await world.crmAdmin.createUser(TENANT, { id: USER, displayName: "Adele" });
  world.serveAuth();
  await world.startService();
  return Object.assign(world, { [Symbol.asyncDispose]: () => world.stop() });
}
