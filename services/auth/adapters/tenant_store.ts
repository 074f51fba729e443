import { and, eq, isNull } from "drizzle-orm";
import { ConflictError, NotFoundError } from "@app/shared/errors";
import { apiKeyId, hashApiKey, issueApiKey, type TenantPrincipal, timingSafeEqual } from "@app/shared/http";
import { type ConflictPolicy, type Tenant, TenantSchema } from "@app/shared/contract";
import { apiKeys, tenants } from "../db/schema.ts";
import type { Db } from "./db.ts";
import { enqueueEvent } from "./outbox.ts";

/** What a tenant may choose for itself (C9, A10); the sync feature (A8) is not among it. */
export interface TenantPatch {
  conflictPolicy?: ConflictPolicy;
  firstSyncNeedsConfirmation?: boolean;
  calendarAttendees?: boolean;
}

/** Tenants and their API keys in auth's schema. */
export class TenantStore {
  constructor(private readonly db: Db) {}

  /** Creates a tenant with its first API key; returns the key in plain text (shown once). */
  async create(
    input: { id: string; name: string; syncEnabled?: boolean },
  ): Promise<{ tenant: Tenant; apiKey: string }> {
    const key = await issueApiKey();
    return await this.db.transaction(async (tx) => {
      const inserted = await tx.insert(tenants).values({
        id: input.id,
        name: input.name,
        syncEnabled: input.syncEnabled ?? false,
      }).onConflictDoNothing().returning();
      if (inserted.length === 0) throw new ConflictError("tenant_exists", `tenant ${input.id} already exists`);
      await tx.insert(apiKeys).values({ keyId: key.keyId, tenantId: input.id, hash: key.hash });
      return { tenant: toTenant(inserted[0]!), apiKey: key.plain };
    });
  }

  /** Issues a new key for the tenant; with `revokeOthers` every older key stops working at once. */
  async rotateKey(tenantId: string, revokeOthers: boolean): Promise<string> {
    const key = await issueApiKey();
    await this.db.transaction(async (tx) => {
      const t = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
      if (t.length === 0) throw new NotFoundError(`tenant ${tenantId} does not exist`);
      if (revokeOthers) {
        await tx.update(apiKeys).set({ revokedAt: new Date() })
          .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)));
      }
      await tx.insert(apiKeys).values({ keyId: key.keyId, tenantId, hash: key.hash });
    });
    return key.plain;
  }

  /** The tenant an API key belongs to, or `undefined` for unknown, malformed or revoked keys. */
  async resolveApiKey(plain: string): Promise<TenantPrincipal | undefined> {
    const keyId = apiKeyId(plain);
    if (!keyId) return undefined;
    const rows = await this.db.select({ hash: apiKeys.hash, tenantId: tenants.id, syncEnabled: tenants.syncEnabled })
      .from(apiKeys).innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .where(and(eq(apiKeys.keyId, keyId), isNull(apiKeys.revokedAt)));
    const row = rows[0];
    if (!row || !timingSafeEqual(row.hash, await hashApiKey(plain))) return undefined;
    return { tenantId: row.tenantId, syncEnabled: row.syncEnabled };
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    const rows = await this.db.select().from(tenants).where(eq(tenants.id, tenantId));
    return rows[0] ? toTenant(rows[0]) : undefined;
  }

  async list(): Promise<Tenant[]> {
    return (await this.db.select().from(tenants).orderBy(tenants.id)).map(toTenant);
  }

  /**
   * Changes the tenant; switching its sync feature (A8, only the operator's CLI does) records
   * `auth.tenant.switched` in the same transaction (the running service publishes it).
   */
  async update(tenantId: string, patch: TenantPatch & { syncEnabled?: boolean; name?: string }): Promise<Tenant> {
    return await this.db.transaction(async (tx) => {
      const [before] = await tx.select({ syncEnabled: tenants.syncEnabled }).from(tenants)
        .where(eq(tenants.id, tenantId)).for("update");
      if (!before) throw new NotFoundError(`tenant ${tenantId} does not exist`);
      const [row] = await tx.update(tenants).set({ ...patch, updatedAt: new Date() })
        .where(eq(tenants.id, tenantId)).returning();
      if (row!.syncEnabled !== before.syncEnabled) {
        await enqueueEvent(tx, "auth.tenant.switched", tenantId, { enabled: row!.syncEnabled });
      }
      return toTenant(row!);
    });
  }
}

function toTenant(row: typeof tenants.$inferSelect): Tenant {
  return TenantSchema.parse({
    id: row.id,
    name: row.name,
    syncEnabled: row.syncEnabled,
    conflictPolicy: row.conflictPolicy,
    firstSyncNeedsConfirmation: row.firstSyncNeedsConfirmation,
    calendarAttendees: row.calendarAttendees,
  });
}
