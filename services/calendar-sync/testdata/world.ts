// deno-lint-ignore-file no-explicit-any -- JSON answers of the HTTP API under test, asserted field by field
// A world for calendar-sync tests: the Microsoft 365 emulator with one mailbox per agent (each
// signed in through MSAL, syncing their default calendar), the CRM simulator with the same agents,
// auth's NATS endpoints answered by this world (auth has tests of its own), and the real
// calendar-sync service on real Postgres and NATS.
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { AccountInfo, ConfidentialClientApplication } from "@azure/msal-node";
import { graphFor, msalFor, type Seeded, signIn, startSeeded } from "@app/m365-emulator/harness";
import type { ConfigOverrides } from "@app/m365-emulator";
import { CalendarAdminClient } from "@app/m365-emulator/calendar-admin";
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
import { loadCalendarSyncConfig } from "../config.ts";
import { startCalendarSync } from "../main.ts";

export const TENANT = "t1";
export const API_KEY = "csk_calendarkey001_" + "k".repeat(43);
export const DOMAIN = "contoso.test";

/** Options of {@link startCalendarWorld}. */
export interface CalendarWorldOptions {
  /** Agents (CRM user id = mailbox name); the first is "the" user of single-user scenarios. */
  users?: string[];
  includePastDays?: number;
  /** E10 tenant switch. */
  calendarAttendees?: boolean;
  firstSyncNeedsConfirmation?: boolean;
  emulator?: ConfigOverrides;
  env?: Record<string, string>;
}

interface Agent {
  userId: string;
  upn: string;
  calendarId: string;
  token: () => Promise<string>;
}

/** Everything a scenario touches. */
export class CalendarWorld {
  readonly contexts = new Map<string, SyncUserContext>();
  readonly crmAdmin: CrmAdminClient;
  readonly calendar: CalendarAdminClient;
  #service: RunningService | undefined;
  #subs: Subscription[] = [];

  constructor(
    readonly m365: Seeded,
    readonly agents: Map<string, Agent>,
    readonly crm: RunningCrmSimulator,
    readonly nc: NatsConnection,
    readonly prefix: string,
    readonly db: TestDatabase,
    readonly options: CalendarWorldOptions,
  ) {
    this.crmAdmin = new CrmAdminClient(crm.url);
    this.calendar = new CalendarAdminClient(m365.emu.admin);
    for (const a of agents.values()) {
      this.contexts.set(a.userId, {
        tenantId: TENANT,
        userId: a.userId,
        tenantEnabled: true,
        hasSyncRight: true,
        linkState: "linked",
        linkReason: null,
        conflictPolicy: "crm-wins",
        firstSyncNeedsConfirmation: options.firstSyncNeedsConfirmation ?? false,
        calendarAttendees: options.calendarAttendees ?? false,
        settings: {
          calendar: { enabled: true, calendarId: a.calendarId, includePastDays: options.includePastDays ?? 0 },
          contacts: { enabled: false, folderId: null, direction: "two-way" },
        },
      });
    }
  }

  get catalog() {
    return natsCatalog(this.prefix);
  }

  /** The agent `userId` (its mailbox and calendar). */
  agent(userId: string): Agent {
    const a = this.agents.get(userId);
    if (!a) throw new Error(`no agent ${userId}`);
    return a;
  }

  /** Auth's request/reply endpoints as this scenario wants them. */
  serveAuth(): void {
    const logger = new Logger("auth-double", "error");
    const rpc = this.catalog.subjects.auth.rpc;
    const context = (tenantId: string, userId: string) => {
      const c = tenantId === TENANT ? this.contexts.get(userId) : undefined;
      if (!c) throw new NotFoundError(`user ${userId} unknown`);
      return c;
    };
    this.#subs.push(
      serveRpc({
        nc: this.nc,
        subject: rpc.userContext,
        queue: "auth",
        request: GetTokenRequestSchema,
        logger,
        handler: ({ tenantId, userId }) => Promise.resolve(context(tenantId, userId)),
      }),
      serveRpc({
        nc: this.nc,
        subject: rpc.tokenGet,
        queue: "auth",
        request: GetTokenRequestSchema,
        logger,
        handler: async ({ tenantId, userId }) => {
          context(tenantId, userId);
          return {
            accessToken: await this.agent(userId).token(),
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
        handler: () => Promise.resolve({ items: [...this.contexts.values()] }),
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
      RUN_LEASE_MS: "5000",
      GRAPH_LEASE_MS: "5000",
      DEFAULT_TIME_ZONE: "Europe/Berlin",
      ...this.options.env,
    };
  }

  get service(): RunningService {
    if (!this.#service) throw new Error("calendar-sync is not running in this process");
    return this.#service;
  }

  async startService(): Promise<void> {
    this.#service = await startCalendarSync(loadCalendarSyncConfig(this.#env));
  }

  async stopService(): Promise<void> {
    const s = this.#service;
    this.#service = undefined;
    await s?.stop();
  }

  /** Runs calendar-sync as its own process (crash tests kill it with SIGKILL). */
  spawnService(env: Record<string, string> = {}): Deno.ChildProcess {
    return new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--max-old-space-size=192", new URL("../main.ts", import.meta.url).pathname],
      env: { ...this.#env, LOG_LEVEL: "error", ...env },
      stdout: "null",
      stderr: "null",
    }).spawn();
  }

  /** Calls calendar-sync's HTTP API as the tenant. */
  async api(method: string, path: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  /** A Graph client acting as the agent in Outlook. */
  outlookClient(userId: string) {
    return graphFor(this.m365.emu, this.agent(userId).token);
  }

  /** Waits until every trigger so far has been served: no message pending, no run pending for anyone. */
  async settle(timeoutMs = 90_000): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const c = this.catalog.consumers;
    await waitFor("calendar-sync to settle", async () => {
      for (const spec of [c.calendarCrmEvents, c.calendarAuthEvents]) {
        const info = await jsm.consumers.info(spec.stream.name, spec.durable).catch(() => undefined);
        if (!info || info.num_pending > 0 || info.num_ack_pending > 0) return false;
      }
      for (const userId of this.agents.keys()) {
        const status = await this.api("GET", `/v1/users/${userId}/calendar/status`);
        if (status.status !== 200 || status.body.pending) return false;
      }
      return true;
    }, { timeoutMs, intervalMs: 100 });
  }

  /** The agent's status (runs, counts, paused). */
  async status(userId: string): Promise<any> {
    return (await this.api("GET", `/v1/users/${userId}/calendar/status`)).body;
  }

  /** "Sync now" for one agent, then waits for the run; returns it as status shows it. */
  async syncNow(userId: string, timeoutMs = 90_000): Promise<any> {
    await this.settle();
    const before = (await this.status(userId)).runs.length;
    const r = await this.api("POST", `/v1/users/${userId}/calendar/sync`);
    if (r.status !== 202) throw new Error(`sync now answered ${r.status}`);
    await waitFor(`${userId}'s requested run`, async () => {
      const s = await this.status(userId);
      return !s.pending && (s.runs.length > before || s.runs.length === 10) && s.runs[0].finishedAt;
    }, { timeoutMs });
    await this.settle();
    return (await this.status(userId)).runs[0];
  }

  /** Syncs every agent once, in order. */
  async syncAll(): Promise<Record<string, any>> {
    const out: Record<string, any> = {};
    for (const userId of this.agents.keys()) out[userId] = await this.syncNow(userId);
    return out;
  }

  /** Writes to every mailbox so far (POST/PATCH/DELETE, batch items one by one). */
  async graphWrites(): Promise<number> {
    const counts = await this.m365.emu.admin.counts();
    return Object.values(counts).flatMap((c) => Object.entries(c?.byEndpoint ?? {}))
      .filter(([k]) => /^(POST|PATCH|DELETE) /.test(k) && !k.includes("$batch") && !k.includes("subscriptions"))
      .reduce((n, [, v]) => n + v, 0);
  }

  /** Writes the CRM accepted so far. */
  async crmWrites(): Promise<number> {
    return (await this.crmAdmin.requests({ tenantId: TENANT, writesOnly: true })).filter((r) => r.outcome === "ok")
      .length;
  }

  /** The agent's calendar as stored (single events, series masters, attendee copies). */
  async outlook(userId: string): Promise<Record<string, any>[]> {
    return (await this.calendar.events(this.agent(userId).upn, this.agent(userId).calendarId)).value;
  }

  /** Every mail the emulator sent so far (E10). */
  async mails(): Promise<unknown[]> {
    return (await this.m365.emu.admin.mailLog()).value;
  }

  /** Syncs every agent once more and asserts nothing was written on either side (every scenario ends so). */
  async assertQuiet(): Promise<void> {
    const g = await this.graphWrites(), c = await this.crmWrites();
    const runs = await this.syncAll();
    const g2 = await this.graphWrites(), c2 = await this.crmWrites();
    if (g2 !== g || c2 !== c) {
      const done = Object.fromEntries(Object.entries(runs).map(([u, r]) => [u, r.summary?.done]));
      throw new Error(`second run wrote: graph ${g2 - g}, crm ${c2 - c}; runs ${JSON.stringify(done)}`);
    }
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

async function signInAgent(
  msal: ConfidentialClientApplication,
  upn: string,
): Promise<{ account: AccountInfo; token: () => Promise<string> }> {
  const first = await signIn(msal, upn);
  const account = first.account!;
  const token = async () =>
    (await msal.acquireTokenSilent({ account, scopes: ["Contacts.ReadWrite", "Calendars.ReadWrite"] })).accessToken;
  return { account, token };
}

/** Starts a world; `await using` stops it. */
export async function startCalendarWorld(
  options: CalendarWorldOptions = {},
): Promise<CalendarWorld & AsyncDisposable> {
  const names = options.users ?? ["anna"];
  const m365 = await startSeeded({ users: names, config: options.emulator });
  const msal = msalFor(m365.emu, m365.tenantId);
  const agents = new Map<string, Agent>();
  for (const name of names) {
    const upn = `${name}@${DOMAIN}`;
    const { token } = await signInAgent(msal, upn);
    const calendar = await graphFor(m365.emu, token).api("/me/calendar").get() as { id: string };
    agents.set(name, { userId: name, upn, calendarId: calendar.id, token });
  }
  const prefix = testNatsPrefix("cal");
  const db = await createTestDatabase("cal");
  const crm = await startCrmSimulator({
    natsUrl: testInfra().natsUrl,
    natsPrefix: prefix,
    port: 0,
    logger: new Logger("crm", "error"),
  });
  const nc = await connectTestNats();
  const world = new CalendarWorld(m365, agents, crm, nc, prefix, db, options);
  await world.crmAdmin.createTenant({ id: TENANT, name: "Tenant One" });
  for (const name of names) {
    await world.crmAdmin.createUser(TENANT, { id: name, displayName: name, email: `${name}@${DOMAIN}` });
  }
  world.serveAuth();
  await world.startService();
  return Object.assign(world, { [Symbol.asyncDispose]: () => world.stop() });
}
