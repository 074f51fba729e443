import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { type DedupeSchema, groups, keptPairs, reports, scans, schedules } from "../db/schema.ts";
import type { KeptPair } from "../scans/assemble.ts";
import type { ProposedGroup } from "../scans/report_types.ts";

type Db = PostgresJsDatabase<DedupeSchema>;
export type ScanRow = typeof scans.$inferSelect;
export type GroupRow = typeof groups.$inferSelect;

/** dedupe's scans, reports and schedules in Postgres; every query is scoped to a tenant. */
export class ReportStorePg {
  constructor(private readonly db: Db) {}

  async startScan(tenantId: string, trigger: "scheduled" | "manual"): Promise<ScanRow> {
    const [row] = await this.db.insert(scans).values({
      id: `scan_${crypto.randomUUID()}`,
      tenantId,
      trigger,
      status: "running",
      startedAt: new Date().toISOString(),
    }).returning();
    return row!;
  }

  /** A scan of this tenant that is still running (started within `staleMs`), if any. */
  async runningScan(tenantId: string, staleMs: number): Promise<ScanRow | undefined> {
    const since = new Date(Date.now() - staleMs).toISOString();
    const [row] = await this.db.select().from(scans).where(and(
      eq(scans.tenantId, tenantId),
      eq(scans.status, "running"),
      sql`${scans.startedAt} > ${since}`,
    )).limit(1);
    return row;
  }

  async failScan(scanId: string, error: string): Promise<void> {
    await this.db.update(scans).set({
      status: "failed",
      error: error.slice(0, 2_000),
      finishedAt: new Date().toISOString(),
    })
      .where(eq(scans.id, scanId));
  }

  /**
   * Stores the groups, completes the scan and makes it the tenant's report, in one transaction:
   * a crash before the commit leaves the previous report in place.
   */
  async completeScan(
    scan: ScanRow,
    proposed: ProposedGroup[],
    groupIds: string[],
    finishedAt: string,
    stats: Record<string, unknown>,
  ): Promise<void> {
    const rows = proposed.map((g, i) => ({
      id: groupIds[i]!,
      tenantId: scan.tenantId,
      scanId: scan.id,
      kind: g.kind,
      source: g.source,
      recordIds: g.recordIds,
      score: g.score,
      pairs: g.pairs,
      fingerprints: g.fingerprints,
    }));
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 500) await tx.insert(groups).values(rows.slice(i, i + 500));
      await tx.update(scans).set({ status: "completed", finishedAt, stats }).where(eq(scans.id, scan.id));
      await tx.insert(reports).values({ tenantId: scan.tenantId, scanId: scan.id, publishedAt: finishedAt })
        .onConflictDoUpdate({ target: reports.tenantId, set: { scanId: scan.id, publishedAt: finishedAt } });
    });
  }

  async scan(tenantId: string, scanId: string): Promise<ScanRow | undefined> {
    const [row] = await this.db.select().from(scans).where(and(eq(scans.tenantId, tenantId), eq(scans.id, scanId)));
    return row;
  }

  async recentScans(tenantId: string, limit = 10): Promise<ScanRow[]> {
    return await this.db.select().from(scans).where(eq(scans.tenantId, tenantId)).orderBy(desc(scans.startedAt))
      .limit(limit);
  }

  /** The tenant's current report: its scan and groups (optionally only those of a status or kind). */
  async report(
    tenantId: string,
    filter: { status?: string; kind?: string } = {},
  ): Promise<{ scan: ScanRow; groups: GroupRow[] } | undefined> {
    const [r] = await this.db.select().from(reports).where(eq(reports.tenantId, tenantId));
    if (!r) return undefined;
    const scan = (await this.scan(tenantId, r.scanId))!;
    const rows = await this.db.select().from(groups).where(and(
      eq(groups.tenantId, tenantId),
      eq(groups.scanId, r.scanId),
      ...(filter.status ? [eq(groups.status, filter.status)] : []),
      ...(filter.kind ? [eq(groups.kind, filter.kind)] : []),
    )).orderBy(desc(groups.score), groups.id);
    return { scan, groups: rows };
  }

  async group(tenantId: string, groupId: string): Promise<GroupRow | undefined> {
    const [row] = await this.db.select().from(groups).where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)));
    return row;
  }

  async keptPairs(tenantId: string): Promise<KeptPair[]> {
    const rows = await this.db.select().from(keptPairs).where(eq(keptPairs.tenantId, tenantId));
    return rows.map((r) => ({ ...r, kind: r.kind as KeptPair["kind"] }));
  }

  /** Tenants whose scheduled scan is due, each claimed for `leaseMs` so that one replica runs it. */
  async claimDue(tenantIds: string[], intervalMs: number, leaseMs: number): Promise<string[]> {
    const now = new Date();
    if (tenantIds.length > 0) {
      // A tenant seen for the first time gets its first scan soon, then one per interval.
      await this.db.insert(schedules).values(tenantIds.map((tenantId) => ({ tenantId, nextScanAt: now.toISOString() })))
        .onConflictDoNothing();
    }
    const claimed = await this.db.update(schedules).set({
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      nextScanAt: new Date(now.getTime() + intervalMs).toISOString(),
    }).where(and(
      lte(schedules.nextScanAt, now.toISOString()),
      or(isNull(schedules.leaseUntil), lte(schedules.leaseUntil, now.toISOString())),
    )).returning({ tenantId: schedules.tenantId });
    return claimed.map((c) => c.tenantId);
  }

  /** After a scan (scheduled or not) the next scheduled one is an interval away. */
  async scanned(tenantId: string, intervalMs: number): Promise<void> {
    const next = new Date(Date.now() + intervalMs).toISOString();
    await this.db.insert(schedules).values({ tenantId, nextScanAt: next, leaseUntil: null })
      .onConflictDoUpdate({ target: schedules.tenantId, set: { nextScanAt: next, leaseUntil: null } });
  }

  /** Groups by id, for decisions. */
  async groupsByIds(tenantId: string, ids: string[]): Promise<GroupRow[]> {
    if (ids.length === 0) return [];
    return await this.db.select().from(groups).where(and(eq(groups.tenantId, tenantId), inArray(groups.id, ids)));
  }
}
