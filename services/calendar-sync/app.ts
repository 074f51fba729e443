import type { OpenAPIHono } from "@hono/zod-openapi";
import type { NatsConnection } from "@nats-io/nats-core";
import { type AppEnv, natsTenantResolver, tenantAuth } from "@app/shared/http";
import type { NatsCatalog } from "@app/shared/nats";

/**
 * Mounts calendar-sync's HTTP API. Its routes are still to come; everything under /v1 is already
 * authenticated by the tenant's API key through auth, as in every service.
 */
export function mountCalendarSyncRoutes(
  app: OpenAPIHono<AppEnv>,
  d: { nc: NatsConnection; catalog: NatsCatalog },
): void {
  app.use("/v1/*", tenantAuth(natsTenantResolver(d.nc, d.catalog.subjects.auth.rpc.apiKeyVerify)));
}
