import { ensureTopology } from "@app/shared/nats";
import { openServiceDeps, runMain, serveHttp, stopAll } from "@app/shared/runtime";
import { TenantStore } from "./adapters/tenant_store.ts";
import { buildAuthApp } from "./app.ts";
import { type AuthConfig, loadAuthConfig } from "./config.ts";
import { schema } from "./db/schema.ts";
import { serveApiKeyVerification } from "./handlers/api_key_rpc.ts";

/** A running auth service. */
export interface RunningAuth {
  url: string;
  stop(): Promise<void>;
}

/** Starts auth: migrations, NATS topology, request/reply endpoints, HTTP. */
export async function startAuth(config: AuthConfig): Promise<RunningAuth> {
  const deps = await openServiceDeps({
    service: "auth",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
  });
  const { logger, nc, catalog } = deps;
  await ensureTopology(nc, [catalog.streams.authEvents]);
  const tenants = new TenantStore(deps.database.db);
  const rpc = [serveApiKeyVerification(nc, catalog, tenants, logger)];
  const app = buildAuthApp({ logger, metrics: deps.metrics, readiness: deps.readiness, tenants });
  const http = serveHttp(app.fetch, { host: config.HOST, port: config.PORT, logger });
  return {
    url: http.url,
    stop: () =>
      stopAll([
        () => http.shutdown(),
        () => rpc.forEach((s) => s.unsubscribe()),
        () => nc.drain(),
        () => deps.database.close(),
      ]),
  };
}

if (import.meta.main) await runMain("auth", loadAuthConfig, startAuth);
