import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { ItemStatus, LinkCounts } from "@app/shared/engine";
import { contactLinks, type ContactsSyncSchema } from "../db/schema.ts";

/** Read-side queries over contacts-sync's link rows for triggers and status, every one scoped to a tenant. */
export class ContactLinkQueries {
  constructor(private readonly db: PostgresJsDatabase<ContactsSyncSchema>) {}

  /** Users with a link to this CRM contact (their Outlook may hold it). */
  async usersLinkedTo(tenantId: string, crmId: string): Promise<string[]> {
    const rows = await this.db.selectDistinct({ userId: contactLinks.userId }).from(contactLinks)
      .where(and(eq(contactLinks.tenantId, tenantId), eq(contactLinks.crmId, crmId)));
    return rows.map((r) => r.userId);
  }

  /** The CRM version a user's synced link holds for a contact, when clean (our own echoes carry it). */
  async linkedVersion(tenantId: string, userId: string, crmId: string): Promise<number | undefined> {
    const [row] = await this.db.select({ v: contactLinks.crmVersion }).from(contactLinks).where(and(
      eq(contactLinks.tenantId, tenantId),
      eq(contactLinks.userId, userId),
      eq(contactLinks.crmId, crmId),
      eq(contactLinks.state, "synced"),
      sql`${contactLinks.lastError} is null and ${contactLinks.pendingOutlook} is null`,
    ));
    return row?.v ?? undefined;
  }

  /** The change key a user's clean synced link holds for an Outlook contact (our own writes carry it). */
  async linkedChangeKey(tenantId: string, userId: string, graphId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ k: contactLinks.graphChangeKey }).from(contactLinks).where(and(
      eq(contactLinks.tenantId, tenantId),
      eq(contactLinks.userId, userId),
      eq(contactLinks.graphId, graphId),
      eq(contactLinks.state, "synced"),
      sql`${contactLinks.lastError} is null and ${contactLinks.pendingOutlook} is null`,
    ));
    return row?.k ?? undefined;
  }

  async linkCounts(tenantId: string, userId: string): Promise<LinkCounts> {
    const [links] = await this.db.select({
      total: sql<number>`count(*)::int`,
      synced: sql<number>`count(*) filter (where ${contactLinks.state} = 'synced')::int`,
      failing: sql<number>`count(*) filter (where ${contactLinks.lastError} is not null)::int`,
      held: sql<number>`count(*) filter (where ${contactLinks.state} = 'held')::int`,
    }).from(contactLinks).where(and(eq(contactLinks.tenantId, tenantId), eq(contactLinks.userId, userId)));
    return links ?? { total: 0, synced: 0, failing: 0, held: 0 };
  }

  async item(tenantId: string, userId: string, crmId: string): Promise<ItemStatus | undefined> {
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
      status: link.lastError ? "error" : link.state === "synced" && !link.pendingOutlook ? "synced" : "pending",
      state: link.state,
      lastError: link.lastError,
      attempts: link.attempts,
      warnings: link.warnings,
      updatedAt: new Date(link.updatedAt).toISOString(),
    };
  }
}
