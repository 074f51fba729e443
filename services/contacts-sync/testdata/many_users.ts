// A world of many linked users for engine tests and benchmarks: one Microsoft 365 emulator with a mailbox per
// user (a "CRM" contact folder each, signed in through MSAL), the CRM simulator, auth's NATS
// endpoints answered here, and contacts-sync replicas in this process on real Postgres and NATS.
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import postgres from "postgres";
import type { ConfidentialClientApplication } from "@azure/msal-node";
import type { Client } from "@microsoft/microsoft-graph-client";
import { graphFor, type Seeded } from "@app/m365-emulator/harness";
import type { CrmAdminClient, RunningCrmSimulator } from "@app/crm-simulator";
import { loadContactsSyncConfig } from "../config.ts";
import { startContactsSync } from "../main.ts";
import type { SyncUserContext } from "@app/shared/contract";
import type { RunningService } from "@app/shared/runtime";
import { freePort, type TestDatabase } from "@app/shared/testing";
import {
  callApi,
  linkedUserContext,
  QUIET_SYNC_ENV,
  serveAuthStandIn,
  signInMailbox,
  startSyncInfra,
  stopSyncInfra,
  type SyncInfra,
} from "@app/shared/testing/sync-world";

const TENANT = "t1";
const API_KEY = "csk_harnesskey0001_" + "k".repeat(43);

/** One linked user: their CRM id, mailbox, folder and a Graph client acting as them in Outlook. */
export interface BenchUser {
  userId: string;
  upn: string;
  folderId: string;
  outlook: Client;
  context: SyncUserContext;
}

/** The world; `await using` stops it. */
export class ManyUsersWorld {
  readonly crmAdmin: CrmAdminClient;
  readonly replicas: RunningService[] = [];
  readonly users = new Map<string, BenchUser>();
  readonly sql: postgres.Sql;
  #subs: Subscription[] = [];
  readonly port = freePort();

  readonly m365: Seeded;
  readonly msal: ConfidentialClientApplication;
  readonly crm: RunningCrmSimulator;
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly db: TestDatabase;

  constructor(readonly infra: SyncInfra, readonly env: Record<string, string>) {
    ({ m365: this.m365, msal: this.msal, crm: this.crm, nc: this.nc, crmAdmin: this.crmAdmin } = infra);
    ({ prefix: this.prefix, db: this.db } = infra.infra);
    this.sql = postgres(this.db.url, { max: 2, onnotice: () => {} });
  }

  /** Starts `n` replicas (the first on the port notifications go to); stops any running first. */
  async startReplicas(n: number, env: Record<string, string> = {}): Promise<void> {
    await this.stopReplicas();
    for (let i = 0; i < n; i++) {
      const config = loadContactsSyncConfig({
        ...this.env,
        ...env,
        PORT: i === 0 ? String(this.port) : "0",
        PUBLIC_URL: `http://127.0.0.1:${this.port}`,
      });
      this.replicas.push(await startContactsSync(config));
    }
  }

  async stopReplicas(): Promise<void> {
    for (const r of this.replicas.splice(0)) await r.stop();
  }

  /** Calls the first replica's HTTP API as the tenant. */
  async api(method: string, path: string): Promise<{ status: number; body: unknown }> {
    return await callApi(this.replicas[0]!.url, API_KEY, method, path);
  }

  /** Users with a run requested and not finished. */
  async pendingUsers(): Promise<number> {
    const [r] = await this.sql`select count(*)::int as n from contacts_sync.sync_users
      where requested_seq > completed_seq`;
    return r!.n as number;
  }

  /** Waits until no user has had a run pending for five polls in a row (100 ms apart). */
  async settle(timeoutMs = 600_000): Promise<void> {
    // Generous: a benchmark's world may hold a long first sync.
    const end = Date.now() + timeoutMs;
    let quiet = 0;
    while (Date.now() < end) {
      quiet = (await this.pendingUsers()) === 0 ? quiet + 1 : 0;
      if (quiet >= 5) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the world did not settle");
  }

  async addUser(userId: string, upn: string): Promise<BenchUser> {
    const folder = await this.m365.emu.admin.createContactFolder(upn, "CRM");
    const token = await signInMailbox(this.msal, upn);
    await this.crmAdmin.createUser(TENANT, { id: userId, displayName: userId });
    const u: BenchUser = {
      userId,
      upn,
      folderId: folder.id,
      outlook: graphFor(this.m365.emu, token),
      context: linkedUserContext(TENANT, userId, {
        contacts: { enabled: true, folderId: folder.id, direction: "two-way" },
      }),
    };
    this.users.set(userId, u);
    this.#tokens.set(userId, token);
    return u;
  }

  #tokens = new Map<string, () => Promise<string>>();

  /** Auth's request/reply endpoints for every user added. */
  serveAuth(): void {
    this.#subs.push(...serveAuthStandIn(this.nc, this.prefix, {
      tenantId: TENANT,
      apiKey: API_KEY,
      graphBaseUrl: this.m365.emu.url,
      context: (userId) => this.users.get(userId)?.context,
      contexts: () => [...this.users.values()].map((u) => u.context),
      token: (userId) => this.users.has(userId) ? this.#tokens.get(userId)!() : undefined,
    }));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopReplicas();
    await this.sql.end();
    await stopSyncInfra(this.infra, this.#subs);
  }
}

/** Starts the emulator with `mailboxes` users, the CRM simulator and auth's endpoints (no replica yet). */
export async function startManyUsersWorld(o: {
  mailboxes: string[];
  env: Record<string, string>;
  timeScale?: number;
}): Promise<ManyUsersWorld> {
  const infra = await startSyncInfra({
    label: "bench",
    users: o.mailboxes,
    emulator: { timeScale: o.timeScale ?? 1 },
    tenant: { id: TENANT, name: "Bench" },
  });
  const { PORT: _port, ...isolated } = infra.infra.env;
  const w = new ManyUsersWorld(infra, { ...isolated, ...QUIET_SYNC_ENV, ...o.env });
  w.serveAuth();
  return w;
}
