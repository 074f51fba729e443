import { and, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { ConflictError } from "@app/shared/errors";
import { contactLinks, type ContactsSyncSchema, deltaCursors } from "../db/schema.ts";
import type { ContactLink, CursorState, LinkStorePort } from "../sync/ports.ts";

type Db = PostgresJsDatabase<ContactsSyncSchema>;
type Row = typeof contactLinks.$inferSelect;

/**
 * One user's link rows and delta cursor in Postgres. Unique indexes on (tenant, user, CRM id) and
 * (tenant, user, Graph id) make a duplicate pair impossible; `upsertMany` is one transaction.
 */
export class LinkStorePg implements LinkStorePort {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly userId: string,
    /** The folder the cursor belongs to; a cursor taken in another folder is not returned. */
    private readonly folderId: string,
  ) {}

  #mine() {
    return and(eq(contactLinks.tenantId, this.tenantId), eq(contactLinks.userId, this.userId));
  }

  async list(): Promise<ContactLink[]> {
    return (await this.db.select().from(contactLinks).where(this.#mine())).map(toLink);
  }

  async involved(q: { crmIds: readonly string[]; graphIds: readonly string[] }): Promise<ContactLink[]> {
    const l = contactLinks;
    const rows = await this.db.select().from(l).where(and(
      this.#mine(),
      or(
        q.crmIds.length > 0 ? inArray(l.crmId, [...q.crmIds]) : undefined,
        q.graphIds.length > 0 ? inArray(l.graphId, [...q.graphIds]) : undefined,
        // Rows with unfinished business: intents, failed writes, Outlook changes kept after a failure.
        and(ne(l.state, "synced"), ne(l.state, "held")),
        isNotNull(l.lastError),
        isNotNull(l.pendingOutlook),
      ),
    ));
    return rows.map(toLink);
  }

  async unsynced(): Promise<ContactLink[]> {
    return (await this.db.select().from(contactLinks).where(and(this.#mine(), ne(contactLinks.state, "synced"))))
      .map(toLink);
  }

  async linkedCrmIds(): Promise<Set<string>> {
    const rows = await this.db.select({ crmId: contactLinks.crmId }).from(contactLinks)
      .where(and(this.#mine(), isNotNull(contactLinks.crmId)));
    return new Set(rows.map((r) => r.crmId!));
  }

  async countSynced(): Promise<number> {
    const [r] = await this.db.select({ n: sql<number>`count(*)::int` }).from(contactLinks)
      .where(and(this.#mine(), eq(contactLinks.state, "synced")));
    return r?.n ?? 0;
  }

  async getByCrmId(crmId: string): Promise<ContactLink | undefined> {
    const rows = await this.db.select().from(contactLinks).where(and(this.#mine(), eq(contactLinks.crmId, crmId)));
    return rows[0] ? toLink(rows[0]) : undefined;
  }

  async getByGraphId(graphId: string): Promise<ContactLink | undefined> {
    const rows = await this.db.select().from(contactLinks).where(and(this.#mine(), eq(contactLinks.graphId, graphId)));
    return rows[0] ? toLink(rows[0]) : undefined;
  }

  async upsertMany(links: readonly ContactLink[]): Promise<void> {
    if (links.length === 0) return;
    const rows = links.map((l) => this.#toRow(l));
    try {
      await this.db.transaction(async (tx) => {
        // Delete, then insert: rows that hand an id from one link to another must not collide on
        // the unique indexes midway; only a final state with a duplicate fails.
        await tx.delete(contactLinks).where(and(this.#mine(), inArray(contactLinks.id, rows.map((r) => r.id))));
        await tx.insert(contactLinks).values(rows);
      });
    } catch (err) {
      if ((err as { code?: string }).code === "23505") {
        throw new ConflictError("link_not_unique", `a link already holds one of these ids: ${(err as Error).message}`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(contactLinks).where(and(this.#mine(), eq(contactLinks.id, id)));
  }

  async getCursor(): Promise<CursorState> {
    const [row] = await this.db.select().from(deltaCursors).where(this.#cursorRow());
    const mine = row !== undefined && row.folderId === this.folderId;
    return {
      cursor: mine ? row.cursor : undefined,
      otherFolder: row !== undefined && !mine,
      created: mine ? row.created : [],
    };
  }

  async setCursor(cursor: string, created: readonly string[]): Promise<void> {
    await this.db.insert(deltaCursors)
      .values({ tenantId: this.tenantId, userId: this.userId, folderId: this.folderId, cursor, created: [...created] })
      .onConflictDoUpdate({
        target: [deltaCursors.tenantId, deltaCursors.userId],
        set: { folderId: this.folderId, cursor, created: [...created], updatedAt: new Date() },
      });
  }

  async addCreated(created: readonly string[]): Promise<void> {
    if (created.length === 0) return;
    await this.db.update(deltaCursors)
      .set({ created: sql`${deltaCursors.created} || ${JSON.stringify(created)}::jsonb` })
      .where(and(this.#cursorRow(), eq(deltaCursors.folderId, this.folderId)));
  }

  #cursorRow() {
    return and(eq(deltaCursors.tenantId, this.tenantId), eq(deltaCursors.userId, this.userId));
  }

  #toRow(l: ContactLink): typeof contactLinks.$inferInsert {
    return {
      tenantId: this.tenantId,
      userId: this.userId,
      id: l.id,
      crmId: l.crmId,
      graphId: l.graphId,
      crmVersion: l.crmVersion,
      graphChangeKey: l.graphChangeKey,
      base: l.base,
      state: l.state,
      pendingOutlook: l.pendingOutlook,
      graphStamped: l.graphStamped,
      lastError: l.lastError,
      attempts: l.attempts,
      warnings: l.warnings,
      updatedAt: l.updatedAt,
    };
  }
}

function toLink(r: Row): ContactLink {
  return {
    id: r.id,
    tenantId: r.tenantId,
    userId: r.userId,
    crmId: r.crmId,
    graphId: r.graphId,
    crmVersion: r.crmVersion,
    graphChangeKey: r.graphChangeKey,
    base: r.base,
    state: r.state as ContactLink["state"],
    pendingOutlook: r.pendingOutlook,
    graphStamped: r.graphStamped,
    lastError: r.lastError,
    attempts: r.attempts,
    warnings: r.warnings,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}
