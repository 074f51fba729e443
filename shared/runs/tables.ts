import { bigint, index, integer, jsonb, type PgSchema, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Per-user run bookkeeping of one sync service: a run is wanted while `requestedSeq` is ahead of
 * `completedSeq`. Requests only ever raise `requestedSeq`, so many triggers make one run and none
 * is lost; `pausedReason` holds a user paused for confirmation (P6).
 */
export function syncUsersTable(schema: PgSchema) {
  return schema.table("sync_users", {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    requestedSeq: bigint("requested_seq", { mode: "number" }).notNull().default(0),
    completedSeq: bigint("completed_seq", { mode: "number" }).notNull().default(0),
    lastReason: text("last_reason"),
    pausedReason: text("paused_reason"),
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    /** A person confirmed the paused change; the next run may apply it once. */
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  }, (t) => [primaryKey({ columns: [t.tenantId, t.userId] })]);
}

/** One row per run: what triggered it, how it ended, counts per action. */
export function syncRunsTable(schema: PgSchema) {
  return schema.table("sync_runs", {
    id: uuid("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    reasons: text("reasons").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    status: text("status").notNull(),
    /** Counts per action kind, conflicts, warnings, failures: the service's run summary. */
    summary: jsonb("summary"),
    error: text("error"),
    graphRequests: integer("graph_requests"),
  }, (t) => [index(`${schema.schemaName}_sync_runs_user_idx`).on(t.tenantId, t.userId, t.startedAt)]);
}
