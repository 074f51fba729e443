import { and, eq, type SQL } from "drizzle-orm";
import {
  type LinkState,
  type SyncSettings,
  SyncSettingsSchema,
  type SyncUserContext,
  SyncUserContextSchema,
} from "@app/shared/contract";
import { accounts, settings, tenants, users } from "../db/schema.ts";
import type { Db } from "./db.ts";
import { enqueueEvent } from "./outbox.ts";

/** A CRM user as auth knows them. */
export interface UserRow {
  tenantId: string;
  userId: string;
  syncRight: boolean;
}

/** Users, their "Microsoft Outlook sync" right (A2) and their sync settings (A4, A5). */
export class UserStore {
  constructor(private readonly db: Db) {}

  /** The user in this tenant, or `undefined` (another tenant's users do not exist here). */
  async get(tenantId: string, userId: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select({ tenantId: users.tenantId, userId: users.userId, syncRight: users.syncRight })
      .from(users).where(and(eq(users.tenantId, tenantId), eq(users.userId, userId)));
    return row;
  }

  /** Grants or revokes the right; records `auth.right.changed` when it really changed. */
  async setRight(tenantId: string, userId: string, granted: boolean): Promise<{ changed: boolean }> {
    return await this.db.transaction(async (tx) => {
      const [before] = await tx.select({ syncRight: users.syncRight }).from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.userId, userId))).for("update");
      if (before?.syncRight === granted) return { changed: false };
      await tx.insert(users).values({ tenantId, userId, syncRight: granted })
        .onConflictDoUpdate({
          target: [users.tenantId, users.userId],
          set: { syncRight: granted, updatedAt: new Date() },
        });
      // A user first met with the right withheld is news to nobody: no sync ever ran for them.
      if (before || granted) await enqueueEvent(tx, "auth.right.changed", tenantId, { userId, granted });
      return { changed: true };
    });
  }

  /** The user's settings; the defaults until first saved. */
  async settingsOf(tenantId: string, userId: string): Promise<SyncSettings> {
    const [row] = await this.db.select({ settings: settings.settings }).from(settings)
      .where(and(eq(settings.tenantId, tenantId), eq(settings.userId, userId)));
    return SyncSettingsSchema.parse(row?.settings ?? {});
  }

  /** Saves settings; records `auth.settings.changed` when they differ from before. */
  async saveSettings(tenantId: string, userId: string, next: SyncSettings): Promise<{ changed: boolean }> {
    return await this.db.transaction(async (tx) => {
      const [row] = await tx.select({ settings: settings.settings }).from(settings)
        .where(and(eq(settings.tenantId, tenantId), eq(settings.userId, userId))).for("update");
      const before = SyncSettingsSchema.parse(row?.settings ?? {});
      const changed = JSON.stringify(before) !== JSON.stringify(next);
      if (row && !changed) return { changed };
      await tx.insert(settings).values({ tenantId, userId, settings: next })
        .onConflictDoUpdate({
          target: [settings.tenantId, settings.userId],
          set: { settings: next, updatedAt: new Date() },
        });
      if (changed) await enqueueEvent(tx, "auth.settings.changed", tenantId, { userId, settings: next });
      return { changed };
    });
  }

  /** Everything a sync service needs about one user, or `undefined` when the tenant is unknown. */
  async context(tenantId: string, userId: string): Promise<SyncUserContext | undefined> {
    const [tenant] = await this.db.select({
      enabled: tenants.syncEnabled,
      conflictPolicy: tenants.conflictPolicy,
      firstSyncNeedsConfirmation: tenants.firstSyncNeedsConfirmation,
      calendarAttendees: tenants.calendarAttendees,
    }).from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) return undefined;
    const [row] = await this.contexts(and(eq(users.tenantId, tenantId), eq(users.userId, userId))!);
    return row ??
      toContext({
        tenantId,
        userId,
        tenantEnabled: tenant.enabled,
        syncRight: false,
        conflictPolicy: tenant.conflictPolicy,
        firstSyncNeedsConfirmation: tenant.firstSyncNeedsConfirmation,
        calendarAttendees: tenant.calendarAttendees,
      });
  }

  /** Every user who may sync now: tenant switched on, right granted, account linked and usable. */
  async syncable(tenantId?: string): Promise<SyncUserContext[]> {
    const where = and(
      eq(tenants.syncEnabled, true),
      eq(users.syncRight, true),
      eq(accounts.state, "linked"),
      tenantId ? eq(users.tenantId, tenantId) : undefined,
    )!;
    return await this.contexts(where);
  }

  /** Users of the tenant with their right and link state, for the CRM admin. */
  async list(tenantId: string): Promise<SyncUserContext[]> {
    return await this.contexts(eq(users.tenantId, tenantId));
  }

  private async contexts(where: SQL): Promise<SyncUserContext[]> {
    const rows = await this.db.select({
      tenantId: users.tenantId,
      userId: users.userId,
      syncRight: users.syncRight,
      tenantEnabled: tenants.syncEnabled,
      conflictPolicy: tenants.conflictPolicy,
      firstSyncNeedsConfirmation: tenants.firstSyncNeedsConfirmation,
      calendarAttendees: tenants.calendarAttendees,
      state: accounts.state,
      reason: accounts.reason,
      settings: settings.settings,
    }).from(users)
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .leftJoin(accounts, and(eq(accounts.tenantId, users.tenantId), eq(accounts.userId, users.userId)))
      .leftJoin(settings, and(eq(settings.tenantId, users.tenantId), eq(settings.userId, users.userId)))
      .where(where)
      .orderBy(users.tenantId, users.userId);
    return rows.map(toContext);
  }
}

function toContext(r: {
  tenantId: string;
  userId: string;
  tenantEnabled: boolean;
  syncRight: boolean;
  conflictPolicy: string;
  firstSyncNeedsConfirmation: boolean;
  calendarAttendees: boolean;
  state?: string | null;
  reason?: string | null;
  settings?: unknown;
}): SyncUserContext {
  return SyncUserContextSchema.parse({
    tenantId: r.tenantId,
    userId: r.userId,
    tenantEnabled: r.tenantEnabled,
    hasSyncRight: r.syncRight,
    linkState: (r.state ?? "not_linked") as LinkState,
    linkReason: r.state === "needs_reconnect" ? r.reason ?? null : null,
    settings: r.settings ?? {},
    conflictPolicy: r.conflictPolicy,
    firstSyncNeedsConfirmation: r.firstSyncNeedsConfirmation,
    calendarAttendees: r.calendarAttendees,
  });
}
