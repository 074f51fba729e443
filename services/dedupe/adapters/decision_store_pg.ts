import { and, eq, inArray } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { decisions, type DedupeSchema, groups, keptPairs } from "../db/schema.ts";
import type { KeptPair } from "../scans/assemble.ts";

type Db = PostgresJsDatabase<DedupeSchema>;
export type DecisionRow = typeof decisions.$inferSelect;

/**
 * Decisions and "keep both" memory in Postgres (D2, D3). A decision is written as `applying` before
 * the CRM is asked, so a retry after a crash re-sends the same request with the same idempotency
 * key instead of deciding twice.
 */
export class DecisionStorePg {
  constructor(private readonly db: Db) {}

  async decision(tenantId: string, id: string): Promise<DecisionRow | undefined> {
    const [row] = await this.db.select().from(decisions).where(
      and(eq(decisions.tenantId, tenantId), eq(decisions.id, id)),
    );
    return row;
  }

  /** The decision in flight or applied for a group, if any (failed ones are history). */
  async activeForGroup(tenantId: string, groupId: string): Promise<DecisionRow | undefined> {
    const [row] = await this.db.select().from(decisions).where(and(
      eq(decisions.tenantId, tenantId),
      eq(decisions.groupId, groupId),
      inArray(decisions.status, ["applying", "applied"]),
    ));
    return row;
  }

  async begin(row: Pick<DecisionRow, "id" | "tenantId" | "groupId" | "kind" | "request">): Promise<DecisionRow> {
    const [created] = await this.db.insert(decisions).values({ ...row, status: "applying" }).returning();
    return created!;
  }

  /** Marks the decision applied and its group decided, in one transaction. */
  async applied(
    d: DecisionRow,
    groupStatus: "merged" | "kept" | "deleted",
    result: Record<string, unknown>,
    undoUntil: string | null,
    kept: KeptPair[] = [],
  ): Promise<DecisionRow> {
    const now = new Date().toISOString();
    return await this.db.transaction(async (tx) => {
      const [row] = await tx.update(decisions).set({
        status: "applied",
        result,
        appliedAt: now,
        undoUntil,
        error: null,
      })
        .where(eq(decisions.id, d.id)).returning();
      await tx.update(groups).set({ status: groupStatus, decidedAt: now })
        .where(and(eq(groups.tenantId, d.tenantId), eq(groups.id, d.groupId)));
      for (const k of kept) {
        const [a, b, fa, fb] = k.a < k.b
          ? [k.a, k.b, k.fingerprintA, k.fingerprintB]
          : [k.b, k.a, k.fingerprintB, k.fingerprintA];
        await tx.insert(keptPairs).values({
          tenantId: d.tenantId,
          kind: k.kind,
          a,
          b,
          fingerprintA: fa,
          fingerprintB: fb,
        })
          .onConflictDoUpdate({
            target: [keptPairs.tenantId, keptPairs.kind, keptPairs.a, keptPairs.b],
            set: { fingerprintA: fa, fingerprintB: fb, decidedAt: now },
          });
      }
      return row!;
    });
  }

  /** The CRM refused or failed: nothing changed there, the group stays open. */
  async failed(d: DecisionRow, error: string): Promise<void> {
    await this.db.update(decisions).set({ status: "failed", error: error.slice(0, 2_000) }).where(
      eq(decisions.id, d.id),
    );
  }

  /** An undone merge: the decision is history and its group is open again. */
  async undone(d: DecisionRow, result: Record<string, unknown>): Promise<DecisionRow> {
    const now = new Date().toISOString();
    return await this.db.transaction(async (tx) => {
      const [row] = await tx.update(decisions).set({
        status: "undone",
        undoneAt: now,
        result: { ...d.result, undo: result },
      })
        .where(eq(decisions.id, d.id)).returning();
      await tx.update(groups).set({ status: "open", decidedAt: null })
        .where(and(eq(groups.tenantId, d.tenantId), eq(groups.id, d.groupId)));
      return row!;
    });
  }
}
