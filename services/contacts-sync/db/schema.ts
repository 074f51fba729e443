import { sql } from "drizzle-orm";
import { bigint, boolean, jsonb, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { engineTables, linkKeyColumns, linkOutcomeColumns, linkTableKeys } from "@app/shared/engine";
import type { PendingOutlook } from "@app/shared/sync";
import type { CanonicalContact } from "../sync/canonical.ts";

/** contacts-sync's own Postgres schema; no other service reads it. */
export const contactsSyncSchema = pgSchema("contacts_sync");

/** One row per synced pair (CRM contact ⇄ Outlook contact) of one user, with the last synced record. */
export const contactLinks = contactsSyncSchema.table("contact_links", {
  ...linkKeyColumns(),
  crmId: text("crm_id"),
  graphId: text("graph_id"),
  crmVersion: bigint("crm_version", { mode: "number" }),
  graphChangeKey: text("graph_change_key"),
  base: jsonb("base").$type<CanonicalContact>(),
  state: text("state").notNull(),
  pendingOutlook: jsonb("pending_outlook").$type<PendingOutlook<CanonicalContact>>(),
  graphStamped: boolean("graph_stamped").notNull().default(false),
  ...linkOutcomeColumns(),
}, (t) => linkTableKeys("contact_links", t));

/** Each user's delta cursor, for the folder it was taken in (a new folder starts a complete listing). */
export const deltaCursors = contactsSyncSchema.table("delta_cursors", {
  tenantId: text("tenant_id").notNull(),
  userId: text("user_id").notNull(),
  folderId: text("folder_id").notNull(),
  cursor: text("cursor").notNull(),
  /** Outlook ids we created after the cursor was taken: the next delta must report each (P9). */
  created: jsonb("created").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.userId] })]);

/** The engine's tables: run scheduling, runs, recorded CRM changes, Graph subscriptions. */
export const engine = engineTables(contactsSyncSchema);
export const { syncUsers, syncRuns, crmChanges, subscriptions } = engine;

export const schema = { contactLinks, deltaCursors, subscriptions, syncUsers, syncRuns, crmChanges };
export type ContactsSyncSchema = typeof schema;
