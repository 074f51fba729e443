// Wires the engine into a sync service: the scheduler, run sessions, the Graph budget, the
// triggers' consumers, subscriptions and notifications, the discovery poll and the status routes.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { AuthClient } from "../auth/mod.ts";
import { AuthEventSchema, CrmEventSchema } from "../contract/mod.ts";
import { type AppEnv, natsTenantResolver, tenantAuth } from "../http/mod.ts";
import { type ConsumerSpec, startConsumer } from "../nats/mod.ts";
import type { ServiceDeps } from "../runtime/service.ts";
import type { EngineConfig } from "./config.ts";
import { CrmChangeLog } from "./crm_changes.ts";
import { GraphBudget } from "./graph_budget.ts";
import type { SyncKind } from "./kind.ts";
import { EngineMetrics } from "./metrics.ts";
import { mountNotificationRoutes, NOTIFICATIONS_PATH } from "./notifications.ts";
import { mountSyncRoutes } from "./routes.ts";
import { Scheduler } from "./scheduler.ts";
import { RunSessions } from "./session.ts";
import { GraphSubscriptions } from "./subscriptions.ts";
import type { EngineTables } from "./tables.ts";
import { onAuthEvent, onCrmEvent, pollSyncableUsers } from "./triggers.ts";

/** What a sync service hands the engine. */
export interface StartSyncEngineOptions {
  kind: SyncKind;
  tables: EngineTables;
  config: EngineConfig;
  // deno-lint-ignore no-explicit-any -- any service's schema object
  deps: ServiceDeps<any>;
  app: OpenAPIHono<AppEnv>;
  /** The service's durable consumers of CRM and auth events (from the catalogue). */
  consumers: { crmEvents: ConsumerSpec; authEvents: ConsumerSpec };
  /** Core NATS subject that wakes the service's replicas (from the catalogue). */
  wakeSubject: string;
}

/** A running engine; `stops` go into the service's `ServiceParts`. */
export interface RunningSyncEngine {
  scheduler: Scheduler;
  sessions: RunSessions;
  stops: Array<() => Promise<unknown> | unknown>;
}

/**
 * Starts the engine for one sync kind inside a service's `wire()`. Routes: the kind's status routes
 * under `/v1` (tenant API key) and, with a `PUBLIC_URL`, Graph's notification endpoint.
 */
export async function startSyncEngine(o: StartSyncEngineOptions): Promise<RunningSyncEngine> {
  const { nc, catalog, logger, database, metrics } = o.deps;
  const { config, kind, tables } = o;
  const db = database.db;
  const auth = new AuthClient(nc, catalog);
  const engineMetrics = new EngineMetrics(metrics);
  const budget = new GraphBudget(nc, catalog.kv.graphBudget, {
    maxConcurrent: config.GRAPH_MAX_CONCURRENT,
    windowRequests: config.GRAPH_WINDOW_REQUESTS,
    windowMs: config.GRAPH_WINDOW_MS,
    leaseMs: config.GRAPH_LEASE_MS,
  }, logger);
  const changes = new CrmChangeLog(db, tables.crmChanges);
  const subscriptions = config.PUBLIC_URL
    ? new GraphSubscriptions(
      db,
      tables.subscriptions,
      new URL(NOTIFICATIONS_PATH, config.PUBLIC_URL).toString(),
      (t) => kind.subscriptionResource(t),
    )
    : undefined;
  const sessions = new RunSessions({
    kind,
    auth,
    budget,
    changes,
    metrics: engineMetrics,
    logger,
    safety: { maxDestructiveShare: config.SAFETY_MAX_SHARE, minDestructiveCount: config.SAFETY_MIN_COUNT },
    chunkMs: config.RUN_CHUNK_MS,
    continueMs: config.RUN_CONTINUE_MS,
    subscriptions,
  });
  const scheduler = new Scheduler({
    service: kind.name,
    db,
    users: tables.syncUsers,
    runs: tables.syncRuns,
    nc,
    wakeSubject: o.wakeSubject,
    logger,
    run: (job) => sessions.run(job),
    slots: config.RUN_SLOTS,
    coalesceMs: config.RUN_COALESCE_MS,
    leaseMs: config.RUN_LEASE_MS,
    sweepMs: config.SCHEDULER_SWEEP_MS,
    cadence: {
      pollActiveMs: config.POLL_ACTIVE_MS,
      activeWindowMs: config.POLL_ACTIVE_WINDOW_MS,
      reconcileMs: config.RECONCILE_INTERVAL_MS,
    },
  });

  const consume = <S extends Parameters<typeof startConsumer>[0]["schema"]>(
    spec: ConsumerSpec,
    schema: S,
    handler: Parameters<typeof startConsumer<S>>[0]["handler"],
    concurrency = 1,
  ) =>
    startConsumer({
      nc,
      consumer: spec,
      deadLetterSubject: catalog.subjects.deadLetter(spec),
      schema,
      handler,
      logger,
      concurrency,
    });
  const consumers = [
    // CRM events commute (record a change, ask for a run), so many are handled at once (P8).
    await consume(
      o.consumers.crmEvents,
      CrmEventSchema,
      onCrmEvent(kind, changes, scheduler),
      config.CRM_EVENT_CONCURRENCY,
    ),
    await consume(o.consumers.authEvents, AuthEventSchema, onAuthEvent(kind, auth, scheduler)),
  ];
  scheduler.start();
  // The safety net: every syncable user gets a run now and then, whatever else happens.
  const discovery = setInterval(() => {
    pollSyncableUsers(kind, auth, scheduler).catch((err) => logger.warn("discovery poll failed", { error: err }));
  }, config.POLL_INTERVAL_MS);

  if (subscriptions) mountNotificationRoutes(o.app, subscriptions, scheduler, logger, kind);
  o.app.use("/v1/*", tenantAuth(natsTenantResolver(nc, catalog.subjects.auth.rpc.apiKeyVerify)));
  mountSyncRoutes(o.app, { kind, db, tables, scheduler, sessions });
  return {
    scheduler,
    sessions,
    stops: [
      () => clearInterval(discovery),
      ...consumers.map((c) => () => c.stop()),
      () => scheduler.stop(),
    ],
  };
}
