import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { crmChangesTable } from "./tables.ts";

// deno-lint-ignore no-explicit-any -- works on any service's schema object
type AnyDb = PostgresJsDatabase<any>;

/** The CRM changes recorded for one user, as a run reads them. */
export interface PendingCrmChanges {
  /** Record id → highest version seen in the CRM's events. */
  ids: Map<string, number>;
  /** An event named no record: the run lists the CRM in full. */
  full: boolean;
  /** The rows read; a completed run consumes exactly these (a row committed late by a concurrent event is kept). */
  rowIds: number[];
}

/**
 * The per-user log of CRM records the triggers saw change (P8): an incremental run fetches exactly
 * these, by id, instead of listing the user's whole scope. Rows are consumed only by a completed
 * run, so a change recorded while a run reads is read by the next one.
 */
export class CrmChangeLog {
  constructor(private readonly db: AnyDb, private readonly table: ReturnType<typeof crmChangesTable>) {}

  /** Records a change of `recordId` (its version from the event) for a user; no id asks for a listing. */
  async record(tenantId: string, userId: string, recordId: string | undefined, version: number | undefined) {
    await this.db.insert(this.table).values({ tenantId, userId, recordId: recordId ?? null, version: version ?? null });
  }

  /** Everything recorded for the user so far (at most `limit` rows; more asks for a listing). */
  async pending(tenantId: string, userId: string, limit = 5_000): Promise<PendingCrmChanges> {
    const t = this.table;
    const rows = await this.db.select({ id: t.id, recordId: t.recordId, version: t.version }).from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.userId, userId))).orderBy(t.id).limit(limit + 1);
    const ids = new Map<string, number>();
    let full = rows.length > limit;
    const rowIds: number[] = [];
    for (const r of rows) {
      rowIds.push(r.id);
      // Only rows read are consumed: one recorded while the run reads is the next run's.
      if (r.recordId === null) full = true;
      else ids.set(r.recordId, Math.max(ids.get(r.recordId) ?? 0, r.version ?? 0));
    }
    return { ids: full ? new Map() : ids, full, rowIds };
  }

  /**
   * A completed run read these rows: drop them (rows it did not read stay for the next run). With a
   * number, every row up to it goes (a blocked user starts from a complete read).
   */
  async consume(tenantId: string, userId: string, read: number | readonly number[]): Promise<void> {
    const t = this.table;
    const mine = and(eq(t.tenantId, tenantId), eq(t.userId, userId));
    if (typeof read === "number") {
      if (read > 0) await this.db.delete(t).where(and(mine, lte(t.id, read)));
      return;
    }
    for (let i = 0; i < read.length; i += 1_000) {
      await this.db.delete(t).where(and(mine, inArray(t.id, read.slice(i, i + 1_000))));
    }
  }

  /** Users with anything recorded (for tests and status). */
  async count(tenantId: string, userId: string): Promise<number> {
    const t = this.table;
    const [r] = await this.db.select({ n: sql<number>`count(*)::int` }).from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.userId, userId)));
    return r?.n ?? 0;
  }
}
