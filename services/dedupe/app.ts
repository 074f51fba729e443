import type { OpenAPIHono } from "@hono/zod-openapi";
import type { NatsConnection } from "@nats-io/nats-core";
import { type AppEnv, natsTenantResolver, tenantAuth } from "@app/shared/http";
import type { NatsCatalog } from "@app/shared/nats";
import type { DecisionStorePg } from "./adapters/decision_store_pg.ts";
import type { ReportStorePg } from "./adapters/report_store_pg.ts";
import type { DecisionService } from "./decisions/decide.ts";
import { mountDuplicateRoutes } from "./routes/duplicates.ts";
import type { ScanRunner } from "./scans/run_scan.ts";

/** What dedupe's HTTP routes need. */
export interface DedupeRouteDeps {
  nc: NatsConnection;
  catalog: NatsCatalog;
  reports: ReportStorePg;
  decisions: DecisionStorePg;
  runner: ScanRunner;
  decide: DecisionService;
}

/** Mounts dedupe's HTTP API; everything under /v1 is authenticated by the tenant's API key through auth. */
export function mountDedupeRoutes(app: OpenAPIHono<AppEnv>, d: DedupeRouteDeps): void {
  app.use("/v1/*", tenantAuth(natsTenantResolver(d.nc, d.catalog.subjects.auth.rpc.apiKeyVerify)));
  mountDuplicateRoutes(app, d);
}
