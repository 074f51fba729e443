import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { AuthSchema } from "../db/schema.ts";

/** auth's drizzle handle. */
export type Db = PostgresJsDatabase<AuthSchema>;
/** A transaction on it. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Postgres' unique-violation error, with the constraint it hit. */
export function uniqueViolation(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint_name?: string };
    if (pg.code === "23505") return pg.constraint_name ?? "";
  }
  return undefined;
}
