import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "@app/shared/http";
import { mountCallbackRoute } from "./routes/callback.ts";
import { mountLinkRoutes } from "./routes/link.ts";
import { mountMailboxRoutes } from "./routes/mailbox.ts";
import { mountTenantRoutes } from "./routes/tenant.ts";
import { mountUserRoutes } from "./routes/users.ts";
import type { AuthUseCases } from "./use_cases/mod.ts";

/**
 * Mounts auth's HTTP API: everything under /v1 is authenticated by the tenant's API key (the
 * caller adds that middleware); the OAuth callback is a browser redirect authenticated by its state.
 */
export function mountAuthRoutes(app: OpenAPIHono<AppEnv>, auth: AuthUseCases): void {
  mountTenantRoutes(app, auth);
  mountUserRoutes(app, auth);
  mountLinkRoutes(app, auth);
  mountMailboxRoutes(app, auth);
  mountCallbackRoute(app, auth);
}
