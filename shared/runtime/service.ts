import type { NatsConnection } from "@nats-io/nats-core";
import { type Database, openDatabase, pingDatabase } from "../db/mod.ts";
import type { BaseServiceConfig } from "../config/mod.ts";
import { type ReadinessCheck, ServiceMetrics } from "../http/mod.ts";
import { Logger } from "../log/mod.ts";
import { connectNats, type NatsCatalog, natsCatalog } from "../nats/mod.ts";

/** The real clients a service runs on, built once in its `main.ts`. */
export interface ServiceDeps<S extends Record<string, unknown>> {
  logger: Logger;
  metrics: ServiceMetrics;
  nc: NatsConnection;
  database: Database<S>;
  catalog: NatsCatalog;
  /** Postgres and NATS really answering, for `/readyz`. */
  readiness: ReadinessCheck[];
}

/** Connects NATS and opens the service's database (migrations applied) for `main.ts`. */
export async function openServiceDeps<S extends Record<string, unknown>>(o: {
  service: string;
  config: BaseServiceConfig;
  schema: S;
  migrationsFolder: string;
}): Promise<ServiceDeps<S>> {
  const logger = new Logger(o.service, o.config.LOG_LEVEL);
  const database = await openDatabase({
    url: o.config.DATABASE_URL,
    service: o.service,
    schema: o.schema,
    migrationsFolder: o.migrationsFolder,
    logger,
  });
  let nc: NatsConnection;
  try {
    nc = await connectNats({ url: o.config.NATS_URL, name: o.service, logger });
  } catch (err) {
    await database.close();
    throw err;
  }
  return {
    logger,
    metrics: new ServiceMetrics(o.service),
    nc,
    database,
    catalog: natsCatalog(o.config.NATS_PREFIX),
    readiness: [
      { name: "postgres", check: () => pingDatabase(database.sql) },
      { name: "nats", check: () => pingNats(nc) },
    ],
  };
}

/** True when the NATS server answers a ping within `timeoutMs`. */
export async function pingNats(nc: NatsConnection, timeoutMs = 1_000): Promise<boolean> {
  if (nc.isClosed()) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((
      _,
      reject,
    ) => (timer = setTimeout(() => reject(new Error("timeout")), timeoutMs)));
    await Promise.race([nc.flush(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
