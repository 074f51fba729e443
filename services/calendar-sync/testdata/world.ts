// deno-lint-ignore-file no-explicit-any -- JSON answers of the HTTP API under test, asserted field by field
// A world for calendar-sync tests: the Microsoft 365 emulator with one mailbox per agent (each
// signed in through MSAL, syncing their default calendar), the CRM simulator with the same agents,
// auth's NATS endpoints answered by this world (auth has tests of its own), and the real
// calendar-sync service on real Postgres and NATS.
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { graphFor, type Seeded } from "@app/m365-emulator/harness";
import type { ConfigOverrides } from "@app/m365-emulator";
import { CalendarAdminClient } from "@app/m365-emulator/calendar-admin";
import type { CrmAdminClient, RunningCrmSimulator } from "@app/crm-simulator";
import type { SyncUserContext } from "@app/shared/contract";
import { natsCatalog } from "@app/shared/nats";
import type { RunningService } from "@app/shared/runtime";
import { freePort, type TestDatabase, waitFor } from "@app/shared/testing";
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
  /**
   * Graph change notifications reach the service (P3), as in production: it listens on a port of
   * its own with `PUBLIC_URL` pointing there, so an Outlook edit starts a run without a poll or
   * "sync now". Off by default: scenarios trigger runs themselves.
   */
  notifications?: boolean;
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
  readonly m365: Seeded;
  readonly crm: RunningCrmSimulator;
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly db: TestDatabase;
  readonly #service = new ServiceUnderTest(
    "calendar-sync",
    new URL("../main.ts", import.meta.url),
    (env) => startCalendarSync(loadCalendarSyncConfig(env)),
    () => this.#env,
  );
  #subs: Subscription[] = [];
  /** The service's fixed port when notifications are delivered to it. */
  readonly #notificationPort: number | undefined;

  constructor(
    readonly infra: SyncInfra,
    readonly agents: Map<string, Agent>,
    readonly options: CalendarWorldOptions,
  ) {
    ({ m365: this.m365, crm: this.crm, nc: this.nc, crmAdmin: this.crmAdmin } = infra);
    ({ prefix: this.prefix, db: this.db } = infra.infra);
    this.calendar = new CalendarAdminClient(this.m365.emu.admin);
    this.#notificationPort = options.notifications ? freePort() : undefined;
    for (const a of agents.values()) {
      this.contexts.set(
        a.userId,
        linkedUserContext(TENANT, a.userId, {
          firstSyncNeedsConfirmation: options.firstSyncNeedsConfirmation ?? false,
          calendarAttendees: options.calendarAttendees ?? false,
          calendar: { enabled: true, calendarId: a.calendarId, includePastDays: options.includePastDays ?? 0 },
        }),
      );
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
    this.#subs.push(...serveAuthStandIn(this.nc, this.prefix, {
      tenantId: TENANT,
      apiKey: API_KEY,
      graphBaseUrl: this.m365.emu.url,
      context: (userId) => this.contexts.get(userId),
      contexts: () => [...this.contexts.values()],
      token: (userId) => this.contexts.has(userId) ? this.agent(userId).token() : undefined,
    }));
  }

  get #env(): Record<string, string> {
    return {
      ...this.infra.infra.env,
      ...QUIET_SYNC_ENV,
      RUN_LEASE_MS: "5000",
      GRAPH_LEASE_MS: "5000",
      DEFAULT_TIME_ZONE: "Europe/Berlin",
      ...(this.#notificationPort
        ? { PORT: String(this.#notificationPort), PUBLIC_URL: `http://127.0.0.1:${this.#notificationPort}` }
        : {}),
      ...this.options.env,
    };
  }

  get service(): RunningService {
    return this.#service.running;
  }

  startService(): Promise<void> {
    return this.#service.startHere();
  }

  stopService(): Promise<void> {
    return this.#service.stop();
  }

  /** Runs calendar-sync as its own process (crash tests kill it with SIGKILL). */
  spawnService(env: Record<string, string> = {}): Deno.ChildProcess {
    return this.#service.spawn("--max-old-space-size=192", env);
  }

  /** Calls calendar-sync's HTTP API as the tenant. */
  async api(method: string, path: string): Promise<{ status: number; body: any }> {
    return await callApi(this.serviceUrl, API_KEY, method, path);
  }

  /**
   * Where calendar-sync answers: the service in this process, or, with notifications, a spawned
   * one on the world's fixed port.
   */
  get serviceUrl(): string {
    try {
      return this.service.url;
    } catch (err) {
      if (this.#notificationPort) return `http://127.0.0.1:${this.#notificationPort}`;
      throw err;
    }
  }

  /** A Graph client acting as the agent in Outlook. */
  outlookClient(userId: string) {
    return graphFor(this.m365.emu, this.agent(userId).token);
  }

  /** Waits until every trigger so far has been served: no message pending, no run pending for anyone. */
  async settle(timeoutMs = 90_000): Promise<void> {
    const c = this.catalog.consumers;
    await settleSync("calendar-sync to settle", this.nc, [c.calendarCrmEvents, c.calendarAuthEvents], async () => {
      for (const userId of this.agents.keys()) {
        const status = await this.api("GET", `/v1/users/${userId}/calendar/status`);
        if (status.status !== 200 || status.body.pending) return false;
      }
      return true;
    }, timeoutMs);
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
    return Object.values(counts).reduce((n, c) => n + graphWriteCount(c?.byEndpoint ?? {}), 0);
  }

  /** Writes the CRM accepted so far. */
  async crmWrites(): Promise<number> {
    return await crmWriteCount(this.crmAdmin, TENANT);
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
    // Counted once every trigger so far is served: a run still writing is not the second run.
    await this.settle();
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
    await stopSyncInfra(this.infra, this.#subs);
  }
}

/** Starts a world; `await using` stops it. */
export async function startCalendarWorld(
  options: CalendarWorldOptions = {},
): Promise<CalendarWorld & AsyncDisposable> {
  const names = options.users ?? ["anna"];
  const infra = await startSyncInfra({
    label: "cal",
    users: names,
    emulator: options.emulator,
    tenant: { id: TENANT, name: "Tenant One" },
  });
  const { m365, msal } = infra;
  const agents = new Map<string, Agent>();
  for (const name of names) {
    const upn = `${name}@${DOMAIN}`;
    const token = await signInMailbox(msal, upn);
    const calendar = await graphFor(m365.emu, token).api("/me/calendar").get() as { id: string };
    agents.set(name, { userId: name, upn, calendarId: calendar.id, token });
  }
  const world = new CalendarWorld(infra, agents, options);
  for (const name of names) {
    await world.crmAdmin.createUser(TENANT, { id: name, displayName: name, email: `${name}@${DOMAIN}` });
  }
  world.serveAuth();
  await world.startService();
  return Object.assign(world, { [Symbol.asyncDispose]: () => world.stop() });
}
