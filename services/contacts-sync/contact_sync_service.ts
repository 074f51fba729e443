// The contacts-sync use cases: run one user, preview one user (A9). Builds the real ports for the
// user (Graph through auth's token, the CRM over NATS, links in Postgres) around the engine.
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { NatsConnection } from "@nats-io/nats-core";
import type { AuthClient } from "@app/shared/auth";
import { canSync, type SyncUserContext } from "@app/shared/contract";
import { AppError, RetryableError } from "@app/shared/errors";
import { createGraphClient, Semaphore } from "@app/shared/graph";
import type { Logger } from "@app/shared/log";
import type { NatsCatalog } from "@app/shared/nats";
import type { RunOutcome } from "@app/shared/runs";
import { CrmContactsNats } from "./adapters/crm_contacts_nats.ts";
import { GraphContactsAdapter } from "./adapters/graph_contacts.ts";
import { LinkStorePg } from "./adapters/link_store_pg.ts";
import type { ContactsSyncConfig } from "./config.ts";
import type { ContactsSyncSchema } from "./db/schema.ts";
import type { ContactsSyncMetrics } from "./metrics.ts";
import { type ContactSyncSummary, runContactSync } from "./sync/run.ts";

/** What the service needs around the engine. */
export interface ContactSyncServiceDeps {
  db: PostgresJsDatabase<ContactsSyncSchema>;
  nc: NatsConnection;
  catalog: NatsCatalog;
  auth: AuthClient;
  config: ContactsSyncConfig;
  logger: Logger;
  metrics: ContactsSyncMetrics;
  /** Called after a real run with the user's Graph client, e.g. to keep a subscription alive. */
  afterRun?: (
    ctx: { tenantId: string; userId: string; folderId: string; client: ReturnType<typeof createGraphClient> },
  ) => Promise<void>;
}

/** Why a user is not synced right now, or `undefined` when they are. */
export function blockedReason(ctx: SyncUserContext): string | undefined {
  if (!ctx.tenantEnabled) return "the tenant's Outlook sync is switched off (A8)";
  if (!ctx.hasSyncRight) return "the user lacks the Microsoft Outlook sync right (A2)";
  if (ctx.linkState === "not_linked") return "no Microsoft 365 account is linked (A1)";
  if (ctx.linkState === "needs_reconnect") {
    return `the account needs reconnecting: ${ctx.linkReason ?? "sign in again"} (A6)`;
  }
  if (!ctx.settings.contacts.enabled) return "contact sync is off in the user's settings";
  if (!ctx.settings.contacts.folderId) return "no Outlook contact folder chosen yet (A4)";
  return canSync(ctx) ? undefined : "not syncable";
}

/** Runs and previews contact sync for one user at a time. */
export class ContactSyncService {
  // One concurrency budget per mailbox in this process; runs are one per user across replicas.
  #slots = new Map<string, Semaphore>();

  constructor(private readonly d: ContactSyncServiceDeps) {}

  /** One run (the run coordinator calls it holding the user's lock). */
  async run(o: { tenantId: string; userId: string; confirmed: boolean }): Promise<RunOutcome> {
    const started = performance.now();
    let requests = 0;
    try {
      const prepared = await this.#prepare(o.tenantId, o.userId, () => requests++);
      if ("blocked" in prepared) return { status: "blocked", reason: prepared.blocked };
      const summary = await runContactSync(prepared.deps, { ...prepared.request, confirmed: o.confirmed });
      await this.d.afterRun?.({
        tenantId: o.tenantId,
        userId: o.userId,
        folderId: prepared.folderId,
        client: prepared.client,
      })
        .catch((err) => this.d.logger.warn("after-run step failed", { error: err }));
      this.d.metrics.recordRun(summary, (performance.now() - started) / 1000);
      const held = summary.status === "paused" || summary.status === "refused";
      return {
        status: held ? "paused" : summary.status,
        reason: summary.reason,
        summary: compact(summary),
        graphRequests: requests,
      };
    } catch (err) {
      if (err instanceof RetryableError) throw err; // the run consumer retries it after the delay
      if (err instanceof AppError && err.status < 500) {
        return { status: "blocked", reason: err.message, graphRequests: requests };
      }
      this.d.logger.error("contact sync run failed", { error: err });
      return { status: "failed", reason: err instanceof Error ? err.message : String(err), graphRequests: requests };
    }
  }

  /** A9: what the next run would do, writing nothing. */
  async preview(tenantId: string, userId: string): Promise<{ blocked?: string; summary?: ReturnType<typeof compact> }> {
    const prepared = await this.#prepare(tenantId, userId, () => {});
    if ("blocked" in prepared) return { blocked: prepared.blocked };
    return { summary: compact(await runContactSync(prepared.deps, { ...prepared.request, dryRun: true })) };
  }

  async #prepare(tenantId: string, userId: string, onRequest: () => void) {
    const ctx = await this.d.auth.userContext(tenantId, userId);
    const blocked = blockedReason(ctx);
    if (blocked) return { blocked };
    const folderId = ctx.settings.contacts.folderId!;
    const token = this.d.auth.userToken(tenantId, userId);
    const key = `${tenantId}\u0000${userId}`;
    if (!this.#slots.has(key)) this.#slots.set(key, new Semaphore(this.d.config.GRAPH_CONCURRENCY));
    const client = createGraphClient({
      baseUrl: await token.graphBaseUrl(),
      getAccessToken: () => token.getAccessToken(),
      concurrency: this.#slots.get(key)!,
      onResponse: (r) => {
        onRequest();
        this.d.metrics.graphResponses.inc({ status: String(r.status) });
      },
    });
    return {
      folderId,
      client,
      deps: {
        graph: new GraphContactsAdapter(client, folderId),
        crm: new CrmContactsNats(this.d.nc, this.d.catalog, tenantId),
        links: new LinkStorePg(this.d.db, tenantId, userId, folderId),
        now: () => new Date().toISOString(),
        sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
      },
      request: {
        tenantId,
        userId,
        direction: ctx.settings.contacts.direction,
        conflictPolicy: ctx.conflictPolicy,
        defaultCountry: this.d.config.DEFAULT_COUNTRY,
        safety: {
          maxDestructiveShare: this.d.config.SAFETY_MAX_SHARE,
          minDestructiveCount: this.d.config.SAFETY_MIN_COUNT,
        },
      },
    };
  }
}

/** The summary as stored with the run and shown in status: counts and bounded lists, no plan. */
export function compact(s: ContactSyncSummary) {
  const cap = <T>(xs: readonly T[]) => xs.slice(0, 200);
  return {
    status: s.status,
    reason: s.reason,
    complete: s.complete,
    planned: s.planned,
    done: s.done,
    failures: cap(s.failures),
    conflicts: cap(s.conflicts),
    warnings: cap(s.warnings),
    preview: {
      linked: cap(s.preview.linked),
      createInOutlook: cap(s.preview.createInOutlook),
      createInCrm: cap(s.preview.createInCrm),
      probableDuplicates: cap(s.preview.probableDuplicates),
      invalid: cap(s.preview.invalid),
      notImported: cap(s.preview.notImported),
      counts: {
        linked: s.preview.linked.length,
        createInOutlook: s.preview.createInOutlook.length,
        createInCrm: s.preview.createInCrm.length,
        probableDuplicates: s.preview.probableDuplicates.length,
        invalid: s.preview.invalid.length,
        notImported: s.preview.notImported.length,
      },
    },
  };
}
