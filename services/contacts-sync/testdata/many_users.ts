// A world of many linked users for engine tests and benchmarks: one Microsoft 365 emulator with a mailbox per
// user (a "CRM" contact folder each, signed in through MSAL), the CRM simulator, auth's NATS
// endpoints answered here, and contacts-sync replicas in this process on real Postgres and NATS.
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import postgres from "postgres";
import type { ConfidentialClientApplication } from "@azure/msal-node";
import type { Client } from "@microsoft/microsoft-graph-client";
import { graphFor, msalFor, type Seeded, signIn, startSeeded } from "@app/m365-emulator/harness";
import { CrmAdminClient, type RunningCrmSimulator, startCrmSimulator } from "@app/crm-simulator";
import { loadContactsSyncConfig } from "../config.ts";
import { startContactsSync } from "../main.ts";
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
  freePort,
  type TestDatabase,
  testInfra,
  testNatsPrefix,
} from "@app/shared/testing";

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

  constructor(
    readonly m365: Seeded,
    readonly msal: ConfidentialClientApplication,
    readonly crm: RunningCrmSimulator,
    readonly nc: NatsConnection,
    readonly prefix: string,
    readonly db: TestDatabase,
    readonly env: Record<string, string>,
  ) {
    this.crmAdmin = new CrmAdminClient(crm.url);
    this.sql = postgres(db.url, { max: 2, onnotice: () => {} });
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
    const res = await fetch(`${this.replicas[0]!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  /** Users with a run requested and not finished. */
  async pendingUsers(): Promise<number> {
    const [r] = await this.sql`select count(*)::int as n from contacts_sync.sync_users
      where requested_seq > completed_seq`;
    return r!.n as number;
  }

  /** Waits until no user has a run pending (and no CRM event is unhandled). */
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
    const first = await signIn(this.msal, upn);
    const scopes = ["Contacts.ReadWrite", "Calendars.ReadWrite"];
    const token = async () => (await this.msal.acquireTokenSilent({ account: first.account!, scopes })).accessToken;
    await this.crmAdmin.createUser(TENANT, { id: userId, displayName: userId });
    const u: BenchUser = {
      userId,
      upn,
      folderId: folder.id,
      outlook: graphFor(this.m365.emu, token),
      context: {
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
          contacts: { enabled: true, folderId: folder.id, direction: "two-way" },
        },
      },
    };
    this.users.set(userId, u);
    this.#tokens.set(userId, token);
    return u;
  }

  #tokens = new Map<string, () => Promise<string>>();

  /** Auth's request/reply endpoints for every user added. */
  serveAuth(): void {
    const logger = new Logger("auth-double", "error");
    const rpc = natsCatalog(this.prefix).subjects.auth.rpc;
    const user = (t: string, u: string) => {
      const found = t === TENANT ? this.users.get(u) : undefined;
      if (!found) throw new NotFoundError(`user ${u} unknown`);
      return found;
    };
    this.#subs.push(
      serveRpc({
        nc: this.nc,
        subject: rpc.userContext,
        queue: "auth",
        request: GetTokenRequestSchema,
        logger,
        handler: ({ tenantId, userId }) => Promise.resolve(user(tenantId, userId).context),
      }),
      serveRpc({
        nc: this.nc,
        subject: rpc.tokenGet,
        queue: "auth",
        request: GetTokenRequestSchema,
        logger,
        handler: async ({ tenantId, userId }) => {
          user(tenantId, userId);
          return {
            accessToken: await this.#tokens.get(userId)!(),
            expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
            graphBaseUrl: this.m365.emu.url,
          };
        },
      }),
      serveRpc({
        nc: this.nc,
        subject: rpc.syncableUsers,
        queue: "auth",
        request: ListSyncableUsersRequestSchema,
        logger,
        handler: () => Promise.resolve({ items: [...this.users.values()].map((u) => u.context) }),
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

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopReplicas();
    this.#subs.forEach((s) => s.unsubscribe());
    await this.sql.end();
    await this.crm.stop();
    await deleteTestStreams(this.nc, this.prefix);
    await this.nc.drain();
    await this.m365.emu.stop();
    await this.db.drop();
  }
}

/** Starts the emulator with `mailboxes` users, the CRM simulator and auth's endpoints (no replica yet). */
export async function startManyUsersWorld(o: {
  mailboxes: string[];
  env: Record<string, string>;
  timeScale?: number;
}): Promise<ManyUsersWorld> {
  const m365 = await startSeeded({ users: o.mailboxes, config: { timeScale: o.timeScale ?? 1 } });
  const msal = msalFor(m365.emu, m365.tenantId);
  const prefix = testNatsPrefix("bench");
  const db = await createTestDatabase("bench");
  const crm = await startCrmSimulator({
    natsUrl: testInfra().natsUrl,
    natsPrefix: prefix,
    port: 0,
    logger: new Logger("crm", "error"),
  });
  const nc = await connectTestNats();
  const env = {
    DATABASE_URL: db.url,
    NATS_URL: testInfra().natsUrl,
    NATS_PREFIX: prefix,
    LOG_LEVEL: "error",
    POLL_INTERVAL_MS: "3600000",
    POLL_ACTIVE_MS: "3600000",
    RECONCILE_INTERVAL_MS: String(365 * 24 * 3600_000),
    ...o.env,
  };
  const w = new ManyUsersWorld(m365, msal, crm, nc, prefix, db, env);
  await w.crmAdmin.createTenant({ id: TENANT, name: "Bench" });
  w.serveAuth();
  return w;
}
