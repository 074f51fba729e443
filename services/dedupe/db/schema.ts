import { sql } from "drizzle-orm";
import { doublePrecision, index, jsonb, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import type { StoredGroupPair } from "../scans/report_types.ts";

/** dedupe's own Postgres schema; no other service reads it. */
export const dedupeSchema = pgSchema("dedupe");

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

/** One scan of a tenant (D1): running, completed (its groups form a report) or failed (why). */
export const scans = dedupeSchema.table("scans", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  trigger: text("trigger").notNull(),
  status: text("status").notNull(),
  startedAt: at("started_at").notNull(),
  finishedAt: at("finished_at"),
  error: text("error"),
  stats: jsonb("stats").$type<Record<string, unknown>>(),
}, (t) => [index("scans_tenant_idx").on(t.tenantId, t.startedAt)]);

/** A proposed group of a completed scan, and what the user decided about it (D2). */
export const groups = dedupeSchema.table("groups", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  scanId: text("scan_id").notNull(),
  kind: text("kind").notNull(),
  source: text("source").notNull(),
  recordIds: jsonb("record_ids").$type<string[]>().notNull(),
  score: doublePrecision("score").notNull(),
  pairs: jsonb("pairs").$type<StoredGroupPair[]>().notNull(),
  fingerprints: jsonb("fingerprints").$type<Record<string, string>>().notNull(),
  /** open, merged, kept, deleted. */
  status: text("status").notNull().default("open"),
  decidedAt: at("decided_at"),
}, (t) => [index("groups_scan_idx").on(t.tenantId, t.scanId)]);

/** Each tenant's current report: the last completed scan (a failed scan leaves it as it was). */
export const reports = dedupeSchema.table("reports", {
  tenantId: text("tenant_id").primaryKey(),
  scanId: text("scan_id").notNull(),
  publishedAt: at("published_at").notNull(),
});

/** When each tenant's next scheduled scan is due, and which replica holds it until when. */
export const schedules = dedupeSchema.table("schedules", {
  tenantId: text("tenant_id").primaryKey(),
  nextScanAt: at("next_scan_at").notNull(),
  leaseUntil: at("lease_until"),
});

/** A decision on a group (D2) and what it did in the CRM; merges keep what their undo needs (D3). */
export const decisions = dedupeSchema.table("decisions", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  groupId: text("group_id").notNull(),
  kind: text("kind").notNull(),
  /** applying (sent to the CRM, not yet confirmed), applied, failed, undone. */
  status: text("status").notNull(),
  request: jsonb("request").$type<Record<string, unknown>>().notNull(),
  result: jsonb("result").$type<Record<string, unknown>>(),
  error: text("error"),
  createdAt: at("created_at").notNull().default(sql`now()`),
  appliedAt: at("applied_at"),
  undoUntil: at("undo_until"),
  undoneAt: at("undone_at"),
}, (t) => [index("decisions_group_idx").on(t.tenantId, t.groupId)]);

/** "Keep both" (D2, D3): never proposed again while both records' compared fields stay as they were. */
export const keptPairs = dedupeSchema.table("kept_pairs", {
  tenantId: text("tenant_id").notNull(),
  kind: text("kind").notNull(),
  a: text("a").notNull(),
  b: text("b").notNull(),
  fingerprintA: text("fingerprint_a").notNull(),
  fingerprintB: text("fingerprint_b").notNull(),
  decidedAt: at("decided_at").notNull().default(sql`now()`),
}, (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.a, t.b] })]);

export const schema = { scans, groups, reports, schedules, decisions, keptPairs };
export type DedupeSchema = typeof schema;
