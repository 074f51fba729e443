import { and, asc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { ItemStatus, LinkCounts } from "@app/shared/engine";
import { type CalendarSyncSchema, eventLinks, syncUsers } from "../db/schema.ts";

type Row = typeof eventLinks.$inferSelect;

/** One member's copy of an appointment, for the per-appointment status (E7). */
export interface MemberStatus extends ItemStatus {
  userId: string;
  role: string | null;
}

/** Read-side queries over calendar-sync's link rows (triggers, status, E12), every one scoped to a tenant. */
export class EventLinkQueries {
  constructor(private readonly db: PostgresJsDatabase<CalendarSyncSchema>) {}

  /** Users with a copy of this CRM appointment (their Outlook may hold it). */
  async usersLinkedTo(tenantId: string, crmId: string): Promise<string[]> {
    const rows = await this.db.selectDistinct({ userId: eventLinks.userId }).from(eventLinks)
      .where(and(eq(eventLinks.tenantId, tenantId), eq(eventLinks.crmId, crmId)));
    return rows.map((r) => r.userId);
  }

  /** The CRM version a user's clean link holds (our own writes' echoes carry it). */
  async linkedVersion(tenantId: string, userId: string, crmId: string): Promise<number | undefined> {
    const [row] = await this.db.select({ v: eventLinks.crmVersion }).from(eventLinks).where(and(
      eq(eventLinks.tenantId, tenantId),
      eq(eventLinks.userId, userId),
      eq(eventLinks.crmId, crmId),
      eq(eventLinks.state, "synced"),
      sql`${eventLinks.lastError} is null and ${eventLinks.intent} is null`,
    ));
    return row?.v ?? undefined;
  }

  /**
   * The change key a user's clean link holds for an event (by its immutable id), so the notification
   * of our own write starts no run (P8); `undefined` when none or the link has unfinished business.
   */
  async linkedChangeKey(tenantId: string, userId: string, graphId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ k: eventLinks.graphChangeKey }).from(eventLinks).where(and(
      eq(eventLinks.tenantId, tenantId),
      eq(eventLinks.userId, userId),
      eq(eventLinks.graphId, graphId),
      eq(eventLinks.state, "synced"),
      sql`${eventLinks.lastError} is null and ${eventLinks.intent} is null and not ${eventLinks.outlookRemoved}`,
    ));
    return row?.k ?? undefined;
  }

  /** Users of the tenant whose calendars this service syncs (the engine knows them once triggered or polled). */
  async syncingUsers(tenantId: string): Promise<Set<string>> {
    const rows = await this.db.select({ userId: syncUsers.userId }).from(syncUsers)
      .where(eq(syncUsers.tenantId, tenantId));
    return new Set(rows.map((r) => r.userId));
  }

  /** E12: iCalUId → CRM id for meetings other users of the tenant already linked. */
  async sharedMeetings(tenantId: string, userId: string, iCalUIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (iCalUIds.length === 0) return out;
    const rows = await this.db.selectDistinct({ iCalUId: eventLinks.iCalUId, crmId: eventLinks.crmId })
      .from(eventLinks).where(and(
        eq(eventLinks.tenantId, tenantId),
        ne(eventLinks.userId, userId),
        isNotNull(eventLinks.crmId),
        inArray(eventLinks.iCalUId, [...iCalUIds]),
      ));
    for (const r of rows) if (r.iCalUId && r.crmId) out.set(r.iCalUId, r.crmId);
    return out;
  }

  async linkCounts(tenantId: string, userId: string): Promise<LinkCounts> {
    const l = eventLinks;
    const [links] = await this.db.select({
      total: sql<number>`count(*)::int`,
      synced: sql<number>`count(*) filter (where ${l.state} = 'synced')::int`,
      failing: sql<number>`count(*) filter (where ${l.lastError} is not null)::int`,
      held: sql<number>`count(*) filter (where ${l.state} = 'suspended')::int`,
    }).from(l).where(and(eq(l.tenantId, tenantId), eq(l.userId, userId)));
    return links ?? { total: 0, synced: 0, failing: 0, held: 0 };
  }

  /** One member's copy of an appointment, with its last 3 attempts (E7). */
  async item(tenantId: string, userId: string, crmId: string): Promise<ItemStatus | undefined> {
    const [row] = await this.db.select().from(eventLinks).where(and(
      eq(eventLinks.tenantId, tenantId),
      eq(eventLinks.userId, userId),
      eq(eventLinks.crmId, crmId),
    ));
    return row ? itemStatus(row) : undefined;
  }

  /** Every member's copy of an appointment (E4, E7), by user. */
  async members(tenantId: string, crmId: string): Promise<MemberStatus[]> {
    const rows = await this.db.select().from(eventLinks)
      .where(and(eq(eventLinks.tenantId, tenantId), eq(eventLinks.crmId, crmId)))
      .orderBy(asc(eventLinks.userId));
    return rows.map((r) => ({ ...itemStatus(r), userId: r.userId, role: r.role }));
  }
}

/** E7 status of a row: synced, pending, error or suspended, with the last 3 attempts. */
function itemStatus(r: Row): ItemStatus {
  const status = r.state === "suspended"
    ? "suspended"
    : r.lastError
    ? "error"
    : r.state === "synced" && r.intent === null
    ? "synced"
    : "pending";
  return {
    crmId: r.crmId,
    graphId: r.graphId,
    status,
    state: r.state,
    lastError: r.lastError,
    attempts: r.attempts.slice(-3),
    warnings: r.warnings,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}
