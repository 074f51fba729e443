import { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "../log/mod.ts";
import type { AppEnv } from "./env.ts";
import type { ServiceMetrics } from "./metrics.ts";
import { problemErrorHandler, problemResponse, validationHook } from "./problem.ts";
import { requestId } from "./request_id.ts";
import { DEFAULT_BODY_LIMIT_BYTES, limitBody } from "./body_limit.ts";

/** A named readiness check; it resolves `true` when the dependency really answers. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
}

/** Options for {@link createServiceApp}. */
export interface ServiceAppOptions {
  service: string;
  version: string;
  description: string;
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: ReadinessCheck[];
  /** Largest request body accepted (413 beyond); {@link DEFAULT_BODY_LIMIT_BYTES} unless given. */
  bodyLimitBytes?: number;
}

/**
 * The Hono app every service starts from: request ids, metrics, a body size limit on every route,
 * strict JSON bodies, problem+json errors, `/healthz`, `/readyz`, `/metrics` and `/openapi.json`.
 * The service mounts its own routes on it.
 */
export function createServiceApp(o: ServiceAppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("*", requestId());
  app.use("*", o.metrics.middleware());
  app.use("*", limitBody(o.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES));
  app.onError(problemErrorHandler(o.logger));
  app.notFound((c) =>
    problemResponse(c, {
      type: "urn:crmsync:problem:not_found",
      title: "Not Found",
      status: 404,
      detail: `no route for ${c.req.method} ${c.req.path}`,
      code: "not_found",
      requestId: c.get("requestId"),
    })
  );

  app.get("/healthz", (c) => c.json({ status: "ok", service: o.service }));
  app.get("/readyz", async (c) => {
    const results = await Promise.all(o.readiness.map(async (r) => [r.name, await r.check().catch(() => false)]));
    const checks = Object.fromEntries(results) as Record<string, boolean>;
    const ready = Object.values(checks).every(Boolean);
    return c.json({ status: ready ? "ready" : "not_ready", checks }, ready ? 200 : 503);
  });
  app.get(
    "/metrics",
    async (c) => c.body(await o.metrics.text(), 200, { "content-type": o.metrics.registry.contentType }),
  );
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: o.service, version: o.version, description: o.description },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "tenantApiKey", {
    type: "http",
    scheme: "bearer",
    description: "The tenant's API key, issued by the operator with `deno task tenant`",
  });
  return app;
}
