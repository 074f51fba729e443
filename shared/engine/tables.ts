import { sql } from "drizzle-orm";
import type { SyncAttempt, SyncWarning } from "../sync/link.ts";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  type PgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Per-user scheduling state of one sync service — Postgres is the truth of what is wanted (P3,
 * P7). A run is wanted while `requestedSeq` is ahead of `completedSeq`; requests only raise it, so
 * many triggers make one run and none is lost. A replica claims a due user by taking its lease
 * (`leaseOwner`, `leaseUntil`) with `FOR UPDATE SKIP LOCKED`; a lease that expired means its run
 * was interrupted and the user can be claimed again.
 */
export function syncUsersTable(schema: PgSchema) {
  return schema.table("sync_users", {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    requestedSeq: bigint("requested_seq", { mode: "number" }).notNull().default(0),
    completedSeq: bigint("completed_seq", { mode: "number" }).notNull().default(0),
    /** The requested sequence the running (or last) run took on. */
    claimedSeq: bigint("claimed_seq", { mode: "number" }).notNull().default(0),
    lastReason: text("last_reason"),
    /** Distinct reasons asked since the last claim (shown with the run). */
    reasons: jsonb("reasons").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** Not claimed before this: a burst of triggers settles into one run (coalescing holds no slot). */
    dueAt: at("due_at").notNull().defaultNow(),
    /** When the oldest unserved request arrived: users waiting longest are claimed first. */
    waitingSince: at("waiting_since"),
    /** 0 for changes, 1 for background work (reconciliation): lower goes first. */
    priority: integer("priority").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseUntil: at("lease_until"),
    runId: uuid("run_id"),
    /** Consecutive runs that threw (back-off). */
    failures: integer("failures").notNull().default(0),
    /** The next run compares complete listings with every link (P9). */
    reconcile: boolean("reconcile").notNull().default(false),
    pausedReason: text("paused_reason"),
    pausedAt: at("paused_at"),
    /** A person confirmed the paused change; the next run may apply it once. */
    confirmedAt: at("confirmed_at"),
    lastRunAt: at("last_run_at"),
    /** The last run that saw a change on either side (adaptive poll: recently active users). */
    activeAt: at("active_at"),
    nextPollAt: at("next_poll_at"),
    nextReconcileAt: at("next_reconcile_at"),
    updatedAt: at("updated_at").notNull().defaultNow(),
  }, (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index(`${schema.schemaName}_sync_users_due_idx`).on(t.priority, t.waitingSince)
      .where(sql`${t.requestedSeq} > ${t.completedSeq}`),
  ]);
}

/** Progress of a run while it applies (P8 status). */
export interface RunProgress {
  planned: number;
  done: number;
  failed: number;
}

/** One row per run: what triggered it, how it ended, counts per action, progress while it runs. */
export function syncRunsTable(schema: PgSchema) {
  return schema.table("sync_runs", {
    id: uuid("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    reasons: text("reasons").notNull(),
    startedAt: at("started_at").notNull(),
    finishedAt: at("finished_at"),
    /** running, completed, partial, paused, refused, awaiting_confirmation, blocked, failed, interrupted. */
    status: text("status").notNull(),
    /** Counts per action kind, conflicts, warnings, failures: the kind's run summary. */
    summary: jsonb("summary"),
    error: text("error"),
    graphRequests: integer("graph_requests"),
    progress: jsonb("progress").$type<RunProgress>(),
    /** incremental or reconcile. */
    mode: text("mode"),
  }, (t) => [index(`${schema.schemaName}_sync_runs_user_idx`).on(t.tenantId, t.userId, t.startedAt)]);
}

/**
 * CRM records the triggers saw change, per user, until a run has read them: an incremental run
 * fetches exactly these (P8). `recordId` null asks for a full CRM listing (an event that names no
 * record). Rows are deleted once a completed run read them.
 */
export function crmChangesTable(schema: PgSchema) {
  return schema.table("crm_changes", {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    recordId: text("record_id"),
    version: bigint("version", { mode: "number" }),
    at: at("at").notNull().defaultNow(),
  }, (t) => [index(`${schema.schemaName}_crm_changes_user_idx`).on(t.tenantId, t.userId, t.id)]);
}

/**
 * Graph change-notification subscriptions, one per user (P3). `folderId` is the folder or
 * calendar subscribed to; a new choice replaces the subscription.
 */
export function subscriptionsTable(schema: PgSchema) {
  return schema.table("subscriptions", {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    folderId: text("folder_id").notNull(),
    clientState: text("client_state").notNull(),
    expiresAt: at("expires_at").notNull(),
  }, (t) => [uniqueIndex(`subscriptions_user_uq`).on(t.tenantId, t.userId)]);
}

/** The engine's tables of one service, built on its Postgres schema. */
export function engineTables(schema: PgSchema) {
  return {
    syncUsers: syncUsersTable(schema),
    syncRuns: syncRunsTable(schema),
    crmChanges: crmChangesTable(schema),
    subscriptions: subscriptionsTable(schema),
  };
}

/** The engine's tables of one service. */
export type EngineTables = ReturnType<typeof engineTables>;

/**
 * The columns every link row of a sync kind starts with: its scope (tenant, user) and its own id.
 * Spread first into a kind's link table; {@link linkOutcomeColumns} goes last.
 */
export function linkKeyColumns() {
  return {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    id: text("id").notNull(),
  };
}

/** The columns every link row ends with: its last failure, its write attempts and warnings, when it changed. */
export function linkOutcomeColumns() {
  return {
    lastError: text("last_error"),
    attempts: jsonb("attempts").$type<SyncAttempt[]>().notNull().default(sql`'[]'::jsonb`),
    warnings: jsonb("warnings").$type<SyncWarning[]>().notNull().default(sql`'[]'::jsonb`),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull(),
  };
}

/**
 * The keys every link table has, named after `table`: the row per (tenant, user, id), at most one
 * row per (tenant, user, CRM id) and per (tenant, user, Graph id) — a duplicate pair is impossible —
 * and the look-up of a CRM record's rows across users.
 */
export function linkTableKeys(
  table: string,
  t: { tenantId: AnyPgColumn; userId: AnyPgColumn; id: AnyPgColumn; crmId: AnyPgColumn; graphId: AnyPgColumn },
) {
  return [
    primaryKey({ columns: [t.tenantId, t.userId, t.id] }),
    uniqueIndex(`${table}_crm_uq`).on(t.tenantId, t.userId, t.crmId),
    uniqueIndex(`${table}_graph_uq`).on(t.tenantId, t.userId, t.graphId),
    index(`${table}_crm_idx`).on(t.tenantId, t.crmId),
  ];
}
