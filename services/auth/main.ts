import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { tenantAuth } from "@app/shared/http";
import { TenantStore } from "./adapters/tenant_store.ts";
import { mountAuthRoutes } from "./app.ts";
import { type AuthConfig, loadAuthConfig } from "./config.ts";
import { schema } from "./db/schema.ts";
import { serveApiKeyVerification } from "./handlers/api_key_rpc.ts";

/** Starts auth: migrations, NATS topology, request/reply endpoints, HTTP. */
export function startAuth(config: AuthConfig): Promise<RunningService> {
  return launchService({
    service: "auth",
    version: "1.0.0",
    description: "Links CRM users to Microsoft 365 accounts, keeps their tokens and sync settings.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.authEvents],
    wire: ({ nc, catalog, logger, database }, app) => {
      const tenants = new TenantStore(database.db);
      const rpc = [serveApiKeyVerification(nc, catalog, tenants, logger)];
      app.use("/v1/*", tenantAuth((key) => tenants.resolveApiKey(key)));
      mountAuthRoutes(app, { tenants });
      return { stops: [() => rpc.forEach((s) => s.unsubscribe())] };
    },
  });
}

if (import.meta.main) await runMain("auth", loadAuthConfig, startAuth);
