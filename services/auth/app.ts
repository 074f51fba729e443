import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "@app/shared/http";
import type { TenantStore } from "./adapters/tenant_store.ts";
import { mountTenantRoutes } from "./routes/tenant.ts";

/** What auth's HTTP routes need. */
export interface AuthRouteDeps {
  tenants: TenantStore;
}

/** Mounts auth's HTTP API (everything under /v1 is authenticated by the tenant's API key). */
export function mountAuthRoutes(app: OpenAPIHono<AppEnv>, deps: AuthRouteDeps): void {
  mountTenantRoutes(app, deps.tenants);
}
