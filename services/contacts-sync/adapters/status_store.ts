import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { contactLinks, type ContactsSyncSchema, syncRuns, syncUsers } from "../db/schema.ts";

/** A user's contact sync status as the CRM sees it. */
export interface UserSyncStatus {
  userId: string;
  pending: boolean;
  paused: { reason: string; since: string | null } | null;
  lastRunAt: string | null;
  links: { total: number; synced: number; failing: number; held: number };
  runs: {
    id: string;
    reasons: string[];
    startedAt: string;
    finishedAt: string | null;
    status: string;
    error: string | null;
    graphRequests: number | null;
    summary: unknown;
  }[];
}

/** One contact's sync status with its last attempts (E7-style, for contacts). */
export interface ItemSyncStatus {
  crmId: string | null;
  graphId: string | null;
  status: "synced" | "pending" | "error";
  state: string;
  lastError: string | null;
  attempts: (typeof contactLinks.$inferSelect)["attempts"];
  warnings: (typeof contactLinks.$inferSelect)["warnings"];
  updatedAt: string;
}

/** Read-side queries over contacts-sync's tables, every one scoped to a tenant. */
export class StatusStore {
  constructor(private readonly db: PostgresJsDatabase<ContactsSyncSchema>) {}

  /** Users with a link to this CRM contact (their Outlook may hold it). */
  async usersLinkedTo(tenantId: string, crmId: string): Promise<string[]> {
    const rows = await this.db.selectDistinct({ userId: contactLinks.userId }).from(contactLinks)
      .where(and(eq(contactLinks.tenantId, tenantId), eq(contactLinks.crmId, crmId)));
    return rows.map((r) => r.userId);
  }

  async userStatus(tenantId: string, userId: string, recentRuns = 10): Promise<UserSyncStatus> {
    const [user] = await this.db.select().from(syncUsers)
      .where(and(eq(syncUsers.tenantId, tenantId), eq(syncUsers.userId, userId)));
    const recent = await this.db.select().from(syncRuns)
      .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.userId, userId)))
      .orderBy(desc(syncRuns.startedAt)).limit(recentRuns);
    const [links] = await this.db.select({
      total: sql<number>`count(*)::int`,
      synced: sql<number>`count(*) filter (where ${contactLinks.state} = 'synced')::int`,
      failing: sql<number>`count(*) filter (where ${contactLinks.lastError} is not null)::int`,
      held: sql<number>`count(*) filter (where ${contactLinks.state} = 'held')::int`,
    }).from(contactLinks).where(and(eq(contactLinks.tenantId, tenantId), eq(contactLinks.userId, userId)));
    return {
      userId,
      pending: user ? user.requestedSeq > user.completedSeq : false,
      paused: user?.pausedReason ? { reason: user.pausedReason, since: user.pausedAt?.toISOString() ?? null } : null,
      lastRunAt: user?.lastRunAt?.toISOString() ?? null,
      links: links ?? { total: 0, synced: 0, failing: 0, held: 0 },
      runs: recent.map((r) => ({
        id: r.id,
        reasons: r.reasons.split(","),
        startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null,
        status: r.status,
        error: r.error,
        graphRequests: r.graphRequests,
        summary: r.summary,
      })),
    };
  }

  async item(tenantId: string, userId: string, crmId: string): Promise<ItemSyncStatus | undefined> {
    const [link] = await this.db.select().from(contactLinks).where(and(
      eq(contactLinks.tenantId, tenantId),
      eq(contactLinks.userId, userId),
      eq(contactLinks.crmId, crmId),
      isNotNull(contactLinks.crmId),
    ));
    if (!link) return undefined;
    return {
      crmId: link.crmId,
      graphId: link.graphId,
      status: link.lastError ? "error" : link.state === "synced" ? "synced" : "pending",
      state: link.state,
      lastError: link.lastError,
      attempts: link.attempts,
      warnings: link.warnings,
      updatedAt: new Date(link.updatedAt).toISOString(),
    };
  }
}
