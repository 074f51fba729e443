import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import type { SyncSettings } from "@app/shared/contract";

/** auth's own Postgres schema; no other service reads it. */
export const authSchema = pgSchema("auth");

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** CRM tenants and their switches (A8, C9 policy, A10 first-sync confirmation). */
export const tenants = authSchema.table("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** A8, the operator's switch (CLI only; no tenant key changes it). */
  syncEnabled: boolean("sync_enabled").notNull().default(false),
  conflictPolicy: text("conflict_policy").notNull().default("crm-wins"),
  /** A10: a user's first sync of a newly chosen folder or calendar waits for their confirmation. */
  firstSyncNeedsConfirmation: boolean("first_sync_needs_confirmation").notNull().default(false),
  /** E10: new future CRM appointments go to Outlook with real attendees (one invitation each). */
  calendarAttendees: boolean("calendar_attendees").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Tenants' API keys, stored as SHA-256 hashes; a key is looked up by its id part. */
export const apiKeys = authSchema.table("api_keys", {
  keyId: text("key_id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  hash: text("hash").notNull(),
  createdAt: createdAt(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
}, (t) => [index("api_keys_tenant_idx").on(t.tenantId).where(sql`${t.revokedAt} is null`)]);

/** CRM users auth knows of: a user exists here once the CRM set their "Microsoft Outlook sync" right (A2). */
export const users = authSchema.table("users", {
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull(),
  syncRight: boolean("sync_right").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.userId] })]);

const userRef = (t: { tenantId: AnyPgColumn; userId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.userId] })
    .onDelete("cascade");

/**
 * Linked Microsoft 365 accounts (A1). The two unique constraints are A3: one account ⇄ at most one
 * CRM user across all tenants, one CRM user ⇄ at most one account. The MSAL token cache is kept
 * AES-256-GCM encrypted under `key_id` (A6); unlinking deletes the row (A7).
 */
export const accounts = authSchema.table("accounts", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: text("tenant_id").notNull(),
  userId: text("user_id").notNull(),
  homeAccountId: text("home_account_id").notNull(),
  username: text("username").notNull(),
  accountName: text("account_name").notNull(),
  scopes: text("scopes").array().notNull(),
  /** `linked` or `needs_reconnect` (with `reason`). */
  state: text("state").notNull().default("linked"),
  reason: text("reason"),
  tokenCache: text("token_cache").notNull(),
  keyId: text("key_id").notNull(),
  linkedAt: timestamp("linked_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: updatedAt(),
}, (t) => [
  unique("accounts_home_account_unique").on(t.homeAccountId),
  unique("accounts_user_unique").on(t.tenantId, t.userId),
  userRef(t, "accounts_user_fk"),
]);

/** Pending sign-ins: the OAuth `state` (stored hashed), bound to tenant + user, single use, expiring. */
export const linkStates = authSchema.table("link_states", {
  stateHash: text("state_hash").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  userId: text("user_id").notNull(),
  /** The PKCE code verifier, encrypted like the token cache. */
  verifier: text("verifier").notNull(),
  keyId: text("key_id").notNull(),
  nonce: text("nonce").notNull(),
  returnUrl: text("return_url"),
  /** The account the CRM asked for (`loginHint`): signing in as another one is refused. */
  loginHint: text("login_hint"),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: createdAt(),
}, (t) => [userRef(t, "link_states_user_fk"), index("link_states_expires_idx").on(t.expiresAt)]);

/** Each user's sync settings (A4, A5), as the contract's `SyncSettings`. */
export const settings = authSchema.table("settings", {
  tenantId: text("tenant_id").notNull(),
  userId: text("user_id").notNull(),
  settings: jsonb("settings").$type<SyncSettings>().notNull(),
  updatedAt: updatedAt(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), userRef(t, "settings_user_fk")]);

/**
 * Events written in the transaction of the change they report, published to JetStream by the
 * relay afterwards (so none is lost and none reports a rolled-back change), in `seq` order.
 */
export const outbox = authSchema.table("outbox", {
  seq: bigserial("seq", { mode: "number" }).primaryKey(),
  eventId: text("event_id").notNull().unique(),
  type: text("type").notNull(),
  envelope: jsonb("envelope").notNull(),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
  createdAt: createdAt(),
});

export const schema = { tenants, apiKeys, users, accounts, linkStates, settings, outbox };
export type AuthSchema = typeof schema;
