import type { OpenAPIHono } from "@hono/zod-openapi";
import { type AppEnv, createServiceApp, type ReadinessCheck, ServiceMetrics } from "@app/shared/http";
import type { Logger } from "@app/shared/log";
import type { CrmSimulatorState } from "../core.ts";
import { mountAppointmentRoutes } from "./routes_appointments.ts";
import { mountContactRoutes } from "./routes_contacts.ts";
import { mountControlRoutes } from "./routes_control.ts";
import { mountDirectoryRoutes } from "./routes_directory.ts";

/**
 * The simulator's admin HTTP surface (JSON, problem+json errors) for tests and the demo. It is
 * the CRM's user interface, not part of the contract: changes made here publish events exactly
 * as changes made over NATS do. Unauthenticated: it listens on localhost for tests only.
 */
export function buildAdminApp(o: {
  state: CrmSimulatorState;
  logger: Logger;
  readiness: ReadinessCheck[];
}): OpenAPIHono<AppEnv> {
  const app = createServiceApp({
    service: "crm-simulator",
    version: "1.0.0",
    description: "CRM simulator: admin surface for tests and the demo.",
    logger: o.logger,
    metrics: new ServiceMetrics("crm-simulator"),
    readiness: o.readiness,
  });
  mountDirectoryRoutes(app, o.state);
  mountContactRoutes(app, o.state);
  mountAppointmentRoutes(app, o.state);
  mountControlRoutes(app, o.state);
  return app;
}
