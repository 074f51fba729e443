import { and, eq, lte, sql } from "drizzle-orm";
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
  /** The newest row read; a completed run consumes up to it. */
  upTo: number;
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
    let upTo = 0;
    for (const r of rows) {
      // Only rows read are consumed: one recorded while the run reads is the next run's.
      upTo = Math.max(upTo, r.id);
      if (r.recordId === null) full = true;
      else ids.set(r.recordId, Math.max(ids.get(r.recordId) ?? 0, r.version ?? 0));
    }
    return { ids: full ? new Map() : ids, full, upTo };
  }

  /** A completed run read these: drop them (newer rows stay for the next run). */
  async consume(tenantId: string, userId: string, upTo: number): Promise<void> {
    if (upTo <= 0) return;
    const t = this.table;
    await this.db.delete(t).where(and(eq(t.tenantId, tenantId), eq(t.userId, userId), lte(t.id, upTo)));
  }

  /** Users with anything recorded (for tests and status). */
  async count(tenantId: string, userId: string): Promise<number> {
    const t = this.table;
    const [r] = await this.db.select({ n: sql<number>`count(*)::int` }).from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.userId, userId)));
    return r?.n ?? 0;
  }
}
