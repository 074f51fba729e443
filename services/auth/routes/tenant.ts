import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { TenantSchema } from "@app/shared/contract";
import { NotFoundError } from "@app/shared/errors";
import type { AppEnv } from "@app/shared/http";
import type { AuthUseCases } from "../use_cases/mod.ts";
import { problems, TenantSettingsBodySchema } from "./schemas.ts";

const tenantJson = (description: string) => ({
  description,
  content: { "application/json": { schema: TenantSchema } },
});

const getTenant = createRoute({
  method: "get",
  path: "/v1/tenant",
  summary: "The tenant the API key belongs to, with its sync feature (A8, read only) and its choices",
  security: [{ tenantApiKey: [] }],
  responses: { 200: tenantJson("The calling tenant") },
});

const configureTenant = createRoute({
  method: "patch",
  path: "/v1/tenant",
  summary:
    "Choose the conflict policy (C9), whether first syncs wait for the user's confirmation (A10) and real attendees (E10)",
  description: "Only the fields sent change. The sync feature itself (A8) is switched by the operator " +
    "(`deno task tenant enable|disable`), never with a tenant's key: `syncEnabled` here is refused as unknown. " +
    "The sync services apply the change at each user's next run.",
  security: [{ tenantApiKey: [] }],
  request: { body: { required: true, content: { "application/json": { schema: TenantSettingsBodySchema } } } },
  responses: { 200: tenantJson("The tenant after the change"), ...problems(400) },
});

/** Routes about the calling tenant itself. */
export function mountTenantRoutes(app: OpenAPIHono<AppEnv>, auth: AuthUseCases): void {
  app.openapi(getTenant, async (c) => {
    const tenant = await auth.tenants.get(c.get("tenant").tenantId);
    if (!tenant) throw new NotFoundError("tenant no longer exists");
    return c.json(tenant, 200);
  });
  app.openapi(configureTenant, async (c) => {
    return c.json(await auth.configureTenant(c.get("tenant").tenantId, c.req.valid("json")), 200);
  });
}
