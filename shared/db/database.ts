import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { UpstreamError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";

/** An open pool plus its drizzle handle. */
export interface Database<S extends Record<string, unknown>> {
  sql: postgres.Sql;
  db: PostgresJsDatabase<S>;
  close(): Promise<void>;
}

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions<S extends Record<string, unknown>> {
  url: string;
  /** The service's name; names its migrations table (`drizzle.<service>_migrations`). */
  service: string;
  schema: S;
  /** Folder of the service's committed drizzle migrations. */
  migrationsFolder: string;
  logger: Logger;
  maxConnections?: number;
}

/**
 * Opens the service's pool after creating the database if it is missing and applying the
 * service's migrations under an advisory lock (replicas starting together migrate once).
 */
export async function openDatabase<S extends Record<string, unknown>>(o: OpenDatabaseOptions<S>): Promise<Database<S>> {
  await ensureDatabaseExists(o.url);
  await applyMigrations(o.url, o.service, o.migrationsFolder);
  const sql = postgres(o.url, {
    max: o.maxConnections ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
    // Back within a second of Postgres returning (the driver's default waits up to 20 s).
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    connection: { application_name: o.service },
  });
  const db = drizzle(sql, { schema: o.schema });
  o.logger.info("database ready", { database: new URL(o.url).pathname.slice(1) });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
}

/** Applies a service's migrations once, holding an advisory lock named after the service. */
export async function applyMigrations(url: string, service: string, migrationsFolder: string): Promise<void> {
  const one = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await one`select pg_advisory_lock(hashtext(${"migrate:" + service}))`;
    await migrate(drizzle(one), {
      migrationsFolder,
      migrationsSchema: "drizzle",
      migrationsTable: `${service.replaceAll("-", "_")}_migrations`,
    });
  } catch (err) {
    throw new UpstreamError("migration_failed", `applying ${service} migrations failed: ${messageOf(err)}`, {
      cause: err,
    });
  } finally {
    await one.end({ timeout: 5 });
  }
}

/** Creates the database named in `url` when it does not exist (fresh machines, tests). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new UpstreamError("database_url_invalid", "DATABASE_URL names no database");
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) {
      try {
        await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
      } catch (err) {
        // Another service created it between our check and create.
        const code = (err as { code?: string }).code;
        if (code !== "42P04" && code !== "23505") throw err;
      }
    }
  } catch (err) {
    throw new UpstreamError(
      "postgres_unreachable",
      `cannot reach Postgres at ${target.host}: ${messageOf(err)}; start it or set DATABASE_URL`,
      { cause: err },
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** True when a trivial query answers within `timeoutMs`. */
export async function pingDatabase(sql: postgres.Sql, timeoutMs = 1_000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    await Promise.race([sql`select 1`, timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
