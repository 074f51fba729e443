import { sql } from "drizzle-orm";
import { bigint, boolean, index, json, jsonb, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { processedMessagesTable } from "@app/shared/db";
import { engineTables, linkKeyColumns, linkOutcomeColumns, linkTableKeys } from "@app/shared/engine";
import type { CanonicalAppointment } from "../sync/mod.ts";

/** calendar-sync's own Postgres schema; no other service reads it. */
export const calendarSyncSchema = pgSchema("calendar_sync");

/** Ids of NATS messages already acted on (idempotent consumers). */
export const processedMessages = processedMessagesTable(calendarSyncSchema);

/**
 * One row per CRM appointment × member calendar (E4), or per Outlook event not yet in the CRM, with
 * the last synced canonical appointment. Unique by (tenant, user, CRM id) and (tenant, user, event
 * id): one copy per (appointment, member), never two.
 */
export const eventLinks = calendarSyncSchema.table("event_links", {
  ...linkKeyColumns(),
  crmId: text("crm_id"),
  crmVersion: bigint("crm_version", { mode: "number" }),
  /** The member's event id; a series master's id for a series (E8). */
  graphId: text("graph_id"),
  graphChangeKey: text("graph_change_key"),
  iCalUId: text("ical_uid"),
  /** Exception and occurrence event ids by original local start (E8). */
  exceptionIds: jsonb("exception_ids").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  /**
   * `json`, not `jsonb`: the snapshot is read back with its keys in the order it was written
   * (jsonb reorders them, and the core compares canonical values as written).
   */
  base: json("base").$type<CanonicalAppointment>(),
  /** synced, pending, error, suspended (E7). */
  state: text("state").notNull(),
  /** creating_in_graph, creating_in_crm: written before the remote create (crash safety). */
  intent: text("intent"),
  transactionId: text("transaction_id"),
  invited: boolean("invited").notNull().default(false),
  /** organizer, participant, group (E3, E4). */
  role: text("role"),
  /** E12: the member's copy is an attendee copy of a colleague's meeting (never written to). */
  attendeeCopy: boolean("attendee_copy").notNull().default(false),
  outlookRemoved: boolean("outlook_removed").notNull().default(false),
  ...linkOutcomeColumns(),
}, (t) => [...linkTableKeys("event_links", t), index("event_links_ical_idx").on(t.tenantId, t.iCalUId)]);

/**
 * Each user's calendarView delta cursor, for the calendar and window it was taken in: a cursor
 * encodes its window, so a new day (or a new calendar) starts a complete round (E3).
 */
export const deltaCursors = calendarSyncSchema.table("delta_cursors", {
  tenantId: text("tenant_id").notNull(),
  userId: text("user_id").notNull(),
  calendarId: text("calendar_id").notNull(),
  windowStart: text("window_start").notNull(),
  windowEnd: text("window_end").notNull(),
  cursor: text("cursor").notNull(),
  /** Outlook ids we created after the cursor was taken: the next delta must report each (P9). */
  created: jsonb("created").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.userId] })]);

/** The engine's tables: run scheduling, runs, recorded CRM changes, Graph subscriptions. */
export const engine = engineTables(calendarSyncSchema);
export const { syncUsers, syncRuns, crmChanges, subscriptions } = engine;

export const schema = { processedMessages, eventLinks, deltaCursors, subscriptions, syncUsers, syncRuns, crmChanges };
export type CalendarSyncSchema = typeof schema;
