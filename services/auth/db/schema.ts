import { sql } from "drizzle-orm";
import { boolean, index, pgSchema, text, timestamp } from "drizzle-orm/pg-core";
import { processedMessagesTable } from "@app/shared/db";

/** auth's own Postgres schema; no other service reads it. */
export const authSchema = pgSchema("auth");

/** CRM tenants and their switches (A8, C9 policy). */
export const tenants = authSchema.table("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  syncEnabled: boolean("sync_enabled").notNull().default(false),
  conflictPolicy: text("conflict_policy").notNull().default("crm-wins"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Tenants' API keys, stored as SHA-256 hashes; a key is looked up by its id part. */
export const apiKeys = authSchema.table("api_keys", {
  keyId: text("key_id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  hash: text("hash").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
}, (t) => [index("api_keys_tenant_idx").on(t.tenantId).where(sql`${t.revokedAt} is null`)]);

export const processedMessages = processedMessagesTable(authSchema);

export const schema = { tenants, apiKeys, processedMessages };
export type AuthSchema = typeof schema;
