/**
 * The generic part of every sync service's test world: an isolated database and NATS prefix, the
 * Microsoft 365 emulator (mailboxes signed in through MSAL), the CRM simulator, auth's NATS
 * endpoints answered by a stand-in, the service under test started and stopped in this process or
 * spawned as its own, and waits on observed progress. Each world keeps only its kind's parts
 * (contexts, folders or calendars, status paths).
 * @module
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { ConfidentialClientApplication } from "@azure/msal-node";
import { msalFor, type Seeded, signIn, startSeeded } from "@app/m365-emulator/harness";
import type { ConfigOverrides } from "@app/m365-emulator";
import { CrmAdminClient, type RunningCrmSimulator, startCrmSimulator } from "@app/crm-simulator";
import {
  GetTokenRequestSchema,
  type GetUserContextRequestSchema,
  ListSyncableUsersRequestSchema,
  type SyncUserContext,
  VerifyApiKeyRequestSchema,
} from "../contract/mod.ts";
import { NotFoundError, UnauthorizedError } from "../errors/mod.ts";
import { Logger } from "../log/mod.ts";
import { type ConsumerSpec, natsCatalog, serveRpc } from "../nats/mod.ts";
import type { RunningService } from "../runtime/mod.ts";
import { connectTestNats } from "./infra.ts";
import { type IsolatedInfra, isolatedInfra } from "./isolated.ts";
import { waitFor } from "./wait.ts";

/** The scopes a test mailbox signs in with (both kinds). */
const TEST_SCOPES = ["Contacts.ReadWrite", "Calendars.ReadWrite"];

/** Env that leaves a sync service to the scenario's own triggers: no poll or reconciliation unless asked. */
export const QUIET_SYNC_ENV: Readonly<Record<string, string>> = {
  POLL_INTERVAL_MS: "3600000",
  POLL_ACTIVE_MS: "3600000",
  RECONCILE_INTERVAL_MS: String(365 * 24 * 3600_000),
};

/** What every sync world runs on; {@link SyncInfra.stop} tears it down in order. */
export interface SyncInfra {
  infra: IsolatedInfra;
  m365: Seeded;
  msal: ConfidentialClientApplication;
  crm: RunningCrmSimulator;
  crmAdmin: CrmAdminClient;
  nc: NatsConnection;
}

/** Starts the emulator with `users` mailboxes, the CRM simulator with tenant `tenant`, on isolated infra. */
export async function startSyncInfra(o: {
  label: string;
  users: string[];
  emulator?: ConfigOverrides;
  tenant: { id: string; name: string };
}): Promise<SyncInfra> {
  const m365 = await startSeeded({ users: o.users, config: o.emulator });
  const msal = msalFor(m365.emu, m365.tenantId);
  const infra = await isolatedInfra(o.label);
  const crm = await startCrmSimulator({
    natsUrl: infra.env.NATS_URL!,
    natsPrefix: infra.prefix,
    port: 0,
    logger: new Logger("crm", "error"),
  });
  const nc = await connectTestNats();
  const crmAdmin = new CrmAdminClient(crm.url);
  await crmAdmin.createTenant(o.tenant);
  return { infra, m365, msal, crm, crmAdmin, nc };
}

/** Stops what {@link startSyncInfra} started (after the services and subscriptions on it). */
export async function stopSyncInfra(s: SyncInfra, subs: Subscription[] = []): Promise<void> {
  subs.forEach((sub) => sub.unsubscribe());
  await s.crm.stop();
  await s.nc.drain();
  await s.m365.emu.stop();
  await s.infra[Symbol.asyncDispose]();
}

/** Signs `upn` in through MSAL; the token function refreshes silently. */
export async function signInMailbox(
  msal: ConfidentialClientApplication,
  upn: string,
): Promise<() => Promise<string>> {
  const first = await signIn(msal, upn);
  const account = first.account!;
  return async () => (await msal.acquireTokenSilent({ account, scopes: TEST_SCOPES })).accessToken;
}

/** What auth's stand-in answers: the scenario's users, their tokens, one tenant with one API key. */
export interface AuthStandIn {
  tenantId: string;
  apiKey: string;
  graphBaseUrl: string;
  /** The user's context, or undefined for a user auth does not know. */
  context(userId: string): SyncUserContext | undefined;
  /** Every syncable user's context. */
  contexts(): SyncUserContext[];
  /** The user's Graph token, or undefined for a user auth does not know. */
  token(userId: string): Promise<string> | undefined;
  /** The schema of `auth.rpc.user.context` requests (default: the token request's). */
  contextRequest?: typeof GetTokenRequestSchema | typeof GetUserContextRequestSchema;
}

/** Answers auth's request/reply endpoints (user context, token, syncable users, API key) on `prefix`. */
export function serveAuthStandIn(nc: NatsConnection, prefix: string, a: AuthStandIn): Subscription[] {
  const logger = new Logger("auth-double", "error");
  const rpc = natsCatalog(prefix).subjects.auth.rpc;
  const context = (tenantId: string, userId: string) => {
    const c = tenantId === a.tenantId ? a.context(userId) : undefined;
    if (!c) throw new NotFoundError(`user ${userId} unknown`);
    return c;
  };
  return [
    serveRpc({
      nc,
      subject: rpc.userContext,
      queue: "auth",
      request: a.contextRequest ?? GetTokenRequestSchema,
      logger,
      handler: ({ tenantId, userId }) => Promise.resolve(context(tenantId, userId)),
    }),
    serveRpc({
      nc,
      subject: rpc.tokenGet,
      queue: "auth",
      request: GetTokenRequestSchema,
      logger,
      handler: async ({ tenantId, userId }) => {
        const token = tenantId === a.tenantId ? a.token(userId) : undefined;
        if (!token) throw new NotFoundError(`user ${userId} unknown`);
        return {
          accessToken: await token,
          expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
          graphBaseUrl: a.graphBaseUrl,
        };
      },
    }),
    serveRpc({
      nc,
      subject: rpc.syncableUsers,
      queue: "auth",
      request: ListSyncableUsersRequestSchema,
      logger,
      handler: () => Promise.resolve({ items: a.contexts() }),
    }),
    serveRpc({
      nc,
      subject: rpc.apiKeyVerify,
      queue: "auth",
      request: VerifyApiKeyRequestSchema,
      logger,
      handler: ({ apiKey }) => {
        if (apiKey !== a.apiKey) throw new UnauthorizedError("unknown key");
        return Promise.resolve({ tenantId: a.tenantId, syncEnabled: true });
      },
    }),
  ];
}

/** Calls a service's HTTP API with the tenant's API key. */
export async function callApi(
  baseUrl: string,
  apiKey: string,
  method: string,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${apiKey}` } });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/**
 * Whether every consumer has delivered and had acknowledged every message (a consumer not made yet
 * counts as not drained). Lighter than `readConsumerBacklog`: no dead-letter count, polled often.
 */
async function consumersDrained(nc: NatsConnection, consumers: readonly ConsumerSpec[]): Promise<boolean> {
  const jsm = await jetstreamManager(nc);
  for (const spec of consumers) {
    const info = await jsm.consumers.info(spec.stream.name, spec.durable).catch(() => undefined);
    if (!info || info.num_pending > 0 || info.num_ack_pending > 0) return false;
  }
  return true;
}

/** Writes a mailbox's Graph endpoints took so far (POST/PATCH/DELETE, batch items one by one). */
export function graphWriteCount(byEndpoint: Record<string, number>): number {
  return Object.entries(byEndpoint)
    .filter(([k]) => /^(POST|PATCH|DELETE) /.test(k) && !k.includes("$batch") && !k.includes("subscriptions"))
    .reduce((n, [, v]) => n + v, 0);
}

/** Writes the CRM accepted so far for `tenantId`. */
export async function crmWriteCount(crmAdmin: CrmAdminClient, tenantId: string): Promise<number> {
  return (await crmAdmin.requests({ tenantId, writesOnly: true })).filter((r) => r.outcome === "ok").length;
}

/**
 * One sync service under test in a world: started in this process from env, stopped, or spawned
 * as its own process (crash tests kill it with SIGKILL).
 */
export class ServiceUnderTest {
  #running: RunningService | undefined;

  constructor(
    readonly name: string,
    readonly mainUrl: URL,
    private readonly start: (env: Record<string, string>) => Promise<RunningService>,
    private readonly env: () => Record<string, string>,
  ) {}

  /** The service running in this process. */
  get running(): RunningService {
    if (!this.#running) throw new Error(`${this.name} is not running in this process`);
    return this.#running;
  }

  async startHere(): Promise<void> {
    this.#running = await this.start(this.env());
  }

  async stop(): Promise<void> {
    const s = this.#running;
    this.#running = undefined;
    await s?.stop();
  }

  /** Runs the service as its own process with the services' V8 flags. */
  spawn(v8Flags: string, env: Record<string, string> = {}): Deno.ChildProcess {
    return new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `--v8-flags=${v8Flags}`, this.mainUrl.pathname],
      env: { ...this.env(), LOG_LEVEL: "error", ...env },
      stdout: "null",
      stderr: "null",
    }).spawn();
  }
}

/** Waits (on observed state, generous timeout) until `drained` consumers and `idle()` both hold. */
export async function settleSync(
  what: string,
  nc: NatsConnection,
  consumers: readonly ConsumerSpec[],
  idle: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  await waitFor(what, async () => (await consumersDrained(nc, consumers)) && await idle(), {
    timeoutMs,
    intervalMs: 100,
  });
}

/**
 * A user auth would sync: tenant on, right granted, account linked, CRM wins, no confirmation;
 * `o` gives the kind's settings and any switch a scenario changes.
 */
export function linkedUserContext(
  tenantId: string,
  userId: string,
  o: {
    contacts?: SyncUserContext["settings"]["contacts"];
    calendar?: SyncUserContext["settings"]["calendar"];
  } & Partial<Omit<SyncUserContext, "tenantId" | "userId" | "settings">>,
): SyncUserContext {
  const { contacts, calendar, ...switches } = o;
  return {
    tenantId,
    userId,
    tenantEnabled: true,
    hasSyncRight: true,
    linkState: "linked",
    linkReason: null,
    conflictPolicy: "crm-wins",
    firstSyncNeedsConfirmation: false,
    ...switches,
    settings: {
      calendar: calendar ?? { enabled: false, calendarId: null, includePastDays: 0 },
      contacts: contacts ?? { enabled: false, folderId: null, direction: "two-way" },
    },
  };
}

/**
 * Makes two writes that the service under test turns into Outlook writes, in both orders Graph's
 * notification of such a write can come in: `first` with the emulator notifying at once (usually
 * while the run that wrote is still storing its link), `second` with notifications held until that
 * run is over (as Graph's seconds-to-minutes latency makes it). Settles after each. Returns how many
 * notifications were delivered (202) meanwhile, so a test can tell they came.
 */
export async function writeWithNotificationsInBothOrders(
  m365: Seeded,
  settle: () => Promise<void>,
  first: () => Promise<void>,
  second: () => Promise<void>,
): Promise<number> {
  const admin = m365.emu.admin;
  const delivered = async () =>
    (await admin.notifications()).value.filter((d) => d.kind === "notification" && d.status === 202).length;
  await admin.settleNotifications();
  await settle();
  const before = await delivered();
  await first();
  await admin.settleNotifications();
  await settle();
  await admin.holdNotifications();
  try {
    await second();
    await settle();
  } finally {
    await admin.releaseNotifications();
  }
  await admin.settleNotifications();
  await settle();
  return (await delivered()) - before;
}
