import { chunk } from "@app/shared/sync";
import { and, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { ConflictError } from "@app/shared/errors";
import type { LinkWriter } from "@app/shared/engine";
import { type CalendarSyncSchema, deltaCursors, eventLinks } from "../db/schema.ts";
import type { CalendarLink, CalendarLinkState, MemberRole } from "../sync/mod.ts";

type Db = PostgresJsDatabase<CalendarSyncSchema>;
type Row = typeof eventLinks.$inferSelect;

/** Rows per INSERT: 21 columns each, well under Postgres's 65,534 parameters per statement. */
const ROWS_PER_STATEMENT = 1_000;

/** A user's delta cursor as a run finds it. */
export interface CalendarCursor {
  /** The cursor for this calendar and window; `undefined` when none, or taken for another calendar or window. */
  cursor: string | undefined;
  /** A cursor exists but for another calendar (the user chose a new one). */
  otherCalendar: boolean;
  /** Outlook ids we created after the cursor was taken: the next delta must report each (P9). */
  created: string[];
}

/**
 * One user's event links and delta cursor in Postgres, every query scoped to (tenant, user). Unique
 * indexes on (tenant, user, CRM id) and (tenant, user, event id) make a second copy of one
 * appointment in one calendar impossible; `upsertMany` is one transaction.
 */
export class EventLinkStorePg implements LinkWriter<CalendarLink> {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly userId: string,
    private readonly calendarId: string,
  ) {}

  #mine() {
    return and(eq(eventLinks.tenantId, this.tenantId), eq(eventLinks.userId, this.userId));
  }

  /** Every row of the user. */
  async list(): Promise<CalendarLink[]> {
    return (await this.db.select().from(eventLinks).where(this.#mine())).map(toLink);
  }

  /**
   * The rows an incremental run involves: those of these CRM and event ids, and every row with
   * unfinished business (intents, failed writes, suspended, removed in Outlook).
   */
  async involved(q: { crmIds: readonly string[]; graphIds: readonly string[] }): Promise<CalendarLink[]> {
    const l = eventLinks;
    const rows = await this.db.select().from(l).where(and(
      this.#mine(),
      or(
        q.crmIds.length > 0 ? inArray(l.crmId, [...q.crmIds]) : undefined,
        q.graphIds.length > 0 ? inArray(l.graphId, [...q.graphIds]) : undefined,
        ne(l.state, "synced"),
        isNotNull(l.intent),
        isNotNull(l.lastError),
        eq(l.outlookRemoved, true),
      ),
    ));
    return rows.map(toLink);
  }

  /** Rows in state `synced` (the P6 share is taken of these). */
  async countSynced(): Promise<number> {
    const [r] = await this.db.select({ n: sql<number>`count(*)::int` }).from(eventLinks)
      .where(and(this.#mine(), eq(eventLinks.state, "synced")));
    return r?.n ?? 0;
  }

  async upsertMany(links: readonly CalendarLink[]): Promise<void> {
    if (links.length === 0) return;
    const rows = links.map((l) => this.#toRow(l));
    try {
      await this.db.transaction(async (tx) => {
        // Delete, then insert: rows handing an id from one link to another must not collide midway.
        // In slices: a statement takes at most 65,534 parameters (a first sync upserts thousands).
        const slices = chunk(rows, ROWS_PER_STATEMENT);
        for (const slice of slices) {
          await tx.delete(eventLinks).where(and(this.#mine(), inArray(eventLinks.id, slice.map((r) => r.id))));
        }
        for (const slice of slices) await tx.insert(eventLinks).values(slice);
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
    await this.db.delete(eventLinks).where(and(this.#mine(), eq(eventLinks.id, id)));
  }

  /** The cursor of this calendar for `window`; another window's cursor is not returned (a new complete round). */
  async getCursor(window: { start: string; end: string }): Promise<CalendarCursor> {
    const [row] = await this.db.select().from(deltaCursors).where(this.#cursorRow());
    const sameCalendar = row !== undefined && row.calendarId === this.calendarId;
    const mine = sameCalendar && row.windowStart === window.start && row.windowEnd === window.end;
    return {
      cursor: mine ? row.cursor : undefined,
      otherCalendar: row !== undefined && !sameCalendar,
      created: mine ? row.created : [],
    };
  }

  async setCursor(window: { start: string; end: string }, cursor: string, created: readonly string[]): Promise<void> {
    const values = {
      calendarId: this.calendarId,
      windowStart: window.start,
      windowEnd: window.end,
      cursor,
      created: [...created],
    };
    await this.db.insert(deltaCursors)
      .values({ tenantId: this.tenantId, userId: this.userId, ...values })
      .onConflictDoUpdate({
        target: [deltaCursors.tenantId, deltaCursors.userId],
        set: { ...values, updatedAt: new Date() },
      });
  }

  /** After a partial run: remember our creates until the cursor moves (P9). */
  async addCreated(created: readonly string[]): Promise<void> {
    if (created.length === 0) return;
    await this.db.update(deltaCursors)
      .set({ created: sql`${deltaCursors.created} || ${JSON.stringify(created)}::jsonb` })
      .where(and(this.#cursorRow(), eq(deltaCursors.calendarId, this.calendarId)));
  }

  #cursorRow() {
    return and(eq(deltaCursors.tenantId, this.tenantId), eq(deltaCursors.userId, this.userId));
  }

  #toRow(l: CalendarLink): typeof eventLinks.$inferInsert {
    return {
      tenantId: this.tenantId,
      userId: this.userId,
      id: l.id,
      crmId: l.crmId,
      crmVersion: l.crmVersion,
      graphId: l.graphId,
      graphChangeKey: l.graphChangeKey,
      iCalUId: l.iCalUId,
      exceptionIds: l.exceptionIds,
      base: l.base,
      state: l.state,
      intent: l.intent,
      transactionId: l.transactionId,
      invited: l.invited,
      role: l.role,
      attendeeCopy: l.attendeeCopy,
      outlookRemoved: l.outlookRemoved,
      lastError: l.lastError,
      attempts: l.attempts,
      warnings: l.warnings,
      updatedAt: l.updatedAt,
    };
  }
}

/** A stored row as the core's link type. */
export function toLink(r: Row): CalendarLink {
  return {
    id: r.id,
    tenantId: r.tenantId,
    userId: r.userId,
    crmId: r.crmId,
    crmVersion: r.crmVersion,
    graphId: r.graphId,
    graphChangeKey: r.graphChangeKey,
    iCalUId: r.iCalUId,
    exceptionIds: r.exceptionIds,
    base: r.base,
    state: r.state as CalendarLinkState,
    intent: r.intent as CalendarLink["intent"],
    transactionId: r.transactionId,
    invited: r.invited,
    role: r.role as MemberRole | null,
    attendeeCopy: r.attendeeCopy,
    outlookRemoved: r.outlookRemoved,
    lastError: r.lastError,
    attempts: r.attempts,
    warnings: r.warnings,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}
