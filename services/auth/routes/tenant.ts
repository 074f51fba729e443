import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { TenantSchema } from "@app/shared/contract";
import { NotFoundError } from "@app/shared/errors";
import type { AppEnv } from "@app/shared/http";
import type { TenantStore } from "../adapters/tenant_store.ts";

const getTenant = createRoute({
  method: "get",
  path: "/v1/tenant",
  summary: "The tenant the API key belongs to",
  security: [{ tenantApiKey: [] }],
  responses: {
    200: { description: "The calling tenant", content: { "application/json": { schema: TenantSchema } } },
  },
});

/** Routes about the calling tenant itself. */
export function mountTenantRoutes(app: OpenAPIHono<AppEnv>, tenants: TenantStore): void {
  app.openapi(getTenant, async (c) => {
    const tenant = await tenants.get(c.get("tenant").tenantId);
    if (!tenant) throw new NotFoundError("tenant no longer exists");
    return c.json(tenant, 200);
  });
}
