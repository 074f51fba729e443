import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { TenantSchema } from "@app/shared/contract";
import { NotFoundError } from "@app/shared/errors";
import type { AppEnv } from "@app/shared/http";
import type { AuthUseCases } from "../use_cases/mod.ts";
import { problems, TenantSwitchBodySchema } from "./schemas.ts";

const getTenant = createRoute({
  method: "get",
  path: "/v1/tenant",
  summary: "The tenant the API key belongs to",
  security: [{ tenantApiKey: [] }],
  responses: {
    200: { description: "The calling tenant", content: { "application/json": { schema: TenantSchema } } },
  },
});

const switchTenant = createRoute({
  method: "put",
  path: "/v1/tenant/sync",
  summary: "Switch the tenant's Microsoft 365 sync on or off (A8)",
  description: "Publishes `auth.tenant.switched` when the switch changes; sync stops or resumes for every user.",
  security: [{ tenantApiKey: [] }],
  request: { body: { required: true, content: { "application/json": { schema: TenantSwitchBodySchema } } } },
  responses: {
    200: { description: "The tenant after the change", content: { "application/json": { schema: TenantSchema } } },
    ...problems(400),
  },
});

/** Routes about the calling tenant itself. */
export function mountTenantRoutes(app: OpenAPIHono<AppEnv>, auth: AuthUseCases): void {
  app.openapi(getTenant, async (c) => {
    const tenant = await auth.tenants.get(c.get("tenant").tenantId);
    if (!tenant) throw new NotFoundError("tenant no longer exists");
    return c.json(tenant, 200);
  });
  app.openapi(switchTenant, async (c) => {
    return c.json(await auth.switchTenant(c.get("tenant").tenantId, c.req.valid("json").enabled), 200);
  });
}
