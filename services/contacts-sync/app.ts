import type { OpenAPIHono } from "@hono/zod-openapi";
import type { NatsConnection } from "@nats-io/nats-core";
import { type AppEnv, natsTenantResolver, tenantAuth } from "@app/shared/http";
import type { Logger } from "@app/shared/log";
import type { NatsCatalog } from "@app/shared/nats";
import type { RunCoordinator } from "@app/shared/runs";
import type { StatusStore } from "./adapters/status_store.ts";
import type { ContactSubscriptions } from "./adapters/subscriptions.ts";
import type { ContactSyncService } from "./contact_sync_service.ts";
import { mountNotificationRoutes } from "./routes/notifications.ts";
import { mountStatusRoutes } from "./routes/status.ts";

/** What contacts-sync's HTTP routes need. */
export interface ContactsSyncRouteDeps {
  store: StatusStore;
  nc: NatsConnection;
  catalog: NatsCatalog;
  logger: Logger;
  runs: RunCoordinator;
  service: ContactSyncService;
  /** Present when a public URL is configured (Graph change notifications). */
  subscriptions?: ContactSubscriptions;
}

/**
 * Mounts contacts-sync's HTTP API: Graph notifications (public, checked by client state) and,
 * under /v1, the CRM's routes authenticated by the tenant's API key through auth.
 */
export function mountContactsSyncRoutes(app: OpenAPIHono<AppEnv>, d: ContactsSyncRouteDeps): void {
  if (d.subscriptions) mountNotificationRoutes(app, d.subscriptions, d.runs, d.logger);
  app.use("/v1/*", tenantAuth(natsTenantResolver(d.nc, d.catalog.subjects.auth.rpc.apiKeyVerify)));
  mountStatusRoutes(app, { store: d.store, runs: d.runs, service: d.service });
}
