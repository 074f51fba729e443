import type { OpenAPIHono } from "@hono/zod-openapi";
import type { BaseServiceConfig } from "../config/mod.ts";
import { type AppEnv, createServiceApp } from "../http/mod.ts";
import { type ConsumerSpec, ensureTopology, readConsumerBacklog, type StreamSpec } from "../nats/mod.ts";
import { serveHttp } from "./serve.ts";
import { stopAll } from "./lifecycle.ts";
import { openServiceDeps, type ServiceDeps } from "./service.ts";

/** A started service. */
export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/** What a service's wiring adds once its dependencies are open and its app exists. */
export interface ServiceParts {
  /** Stopped first, in order (consumers, subscriptions, timers), before NATS drains and the pool closes. */
  stops?: Array<() => Promise<unknown> | unknown>;
}

/** Options for {@link launchService}. */
export interface LaunchOptions<S extends Record<string, unknown>> {
  service: string;
  version: string;
  description: string;
  config: BaseServiceConfig & { PORT: number };
  schema: S;
  migrationsFolder: string;
  /** Streams and consumers this service publishes to or reads from (created idempotently). */
  streams: (catalog: ServiceDeps<S>["catalog"]) => StreamSpec[];
  consumers?: (catalog: ServiceDeps<S>["catalog"]) => ConsumerSpec[];
  /** Largest request body the service accepts (413 beyond); the shared default unless given. */
  bodyLimitBytes?: number;
  /** Mounts routes and starts handlers; returns what to stop. */
  wire: (deps: ServiceDeps<S>, app: OpenAPIHono<AppEnv>) => Promise<ServiceParts> | ServiceParts;
}

/**
 * Starts a service the same way for all four: open Postgres (migrations) and NATS, ensure the
 * JetStream topology (its consumers' backlog and dead letters go to `/metrics`), wire routes and
 * handlers, serve HTTP. `stop()` stops HTTP, then the
 * service's own parts, then drains NATS and closes the pool.
 */
export async function launchService<S extends Record<string, unknown>>(o: LaunchOptions<S>): Promise<RunningService> {
  const deps = await openServiceDeps({
    service: o.service,
    config: o.config,
    schema: o.schema,
    migrationsFolder: o.migrationsFolder,
  });
  try {
    const consumers = o.consumers?.(deps.catalog) ?? [];
    await ensureTopology(deps.nc, o.streams(deps.catalog), consumers);
    if (consumers.length > 0) deps.metrics.watchConsumers(() => readConsumerBacklog(deps.nc, deps.catalog, consumers));
    const app = createServiceApp({
      service: o.service,
      version: o.version,
      description: o.description,
      logger: deps.logger,
      metrics: deps.metrics,
      readiness: deps.readiness,
      bodyLimitBytes: o.bodyLimitBytes,
    });
    const parts = await o.wire(deps, app);
    const http = serveHttp(app.fetch, { host: o.config.HOST, port: o.config.PORT, logger: deps.logger });
    return {
      url: http.url,
      stop: () =>
        stopAll([
          () => http.shutdown(),
          ...(parts.stops ?? []),
          () => deps.nc.drain(),
          () => deps.database.close(),
        ]),
    };
  } catch (err) {
    await stopAll([() => deps.nc.close(), () => deps.database.close()]).catch(() => {});
    throw err;
  }
}
