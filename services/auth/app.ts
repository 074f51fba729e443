import type { OpenAPIHono } from "@hono/zod-openapi";
import { type AppEnv, createServiceApp, type ReadinessCheck, type ServiceMetrics, tenantAuth } from "@app/shared/http";
import type { Logger } from "@app/shared/log";
import type { TenantStore } from "./adapters/tenant_store.ts";
import { mountTenantRoutes } from "./routes/tenant.ts";

/** What auth's HTTP routes need. */
export interface AuthAppDeps {
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: ReadinessCheck[];
  tenants: TenantStore;
}

/** auth's HTTP API: everything under /v1 is authenticated by the tenant's API key. */
export function buildAuthApp(deps: AuthAppDeps): OpenAPIHono<AppEnv> {
  const app = createServiceApp({
    service: "auth",
    version: "1.0.0",
    description: "Links CRM users to Microsoft 365 accounts, keeps their tokens and sync settings.",
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
  });
  app.use("/v1/*", tenantAuth((key) => deps.tenants.resolveApiKey(key)));
  mountTenantRoutes(app, deps.tenants);
  return app;
}
