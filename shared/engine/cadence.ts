// The background triggers kept in Postgres (P3, P9): the adaptive poll where no change notification
// can be had, and the periodic reconciliation. Each due user is taken by one replica (the row's due
// time moves in the same statement) and gets a run request.
import { and, isNull, lte, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { RequestOptions } from "./scheduler.ts";
import type { syncUsersTable } from "./tables.ts";

// deno-lint-ignore no-explicit-any -- works on any service's schema object
type AnyDb = PostgresJsDatabase<any>;

/**
 * How often users are polled and reconciled. Everyone is polled every few minutes by the discovery
 * poll (the safety net behind notifications); these are the extra, faster polls.
 */
export interface Cadence {
  /** Poll of a user who changed something lately and has no live subscription (seconds to a minute). */
  pollActiveMs: number;
  /** A user counts as active this long after a run saw a change. */
  activeWindowMs: number;
  /** Reconciliation per user (P9; default daily). */
  reconcileMs: number;
}

/** The next fast poll after a run: soon for active users without notifications, none otherwise. */
export function nextPollSql(
  users: ReturnType<typeof syncUsersTable>,
  c: Cadence,
  subscribed: boolean,
  changed: boolean,
) {
  if (subscribed) return sql`null`;
  if (changed) return sql`now() + ${c.pollActiveMs} * interval '1 millisecond'`;
  return sql`case when ${users.activeAt} > now() - ${c.activeWindowMs} * interval '1 millisecond'
    then now() + ${c.pollActiveMs} * interval '1 millisecond' end`;
}

/**
 * Requests runs for users whose poll or reconciliation is due. Reconciliation is background work:
 * it goes behind every change.
 */
export async function requestDueWork(
  db: AnyDb,
  users: ReturnType<typeof syncUsersTable>,
  c: Cadence,
  request: (tenantId: string, userId: string, reason: string, o?: RequestOptions) => Promise<void>,
): Promise<void> {
  const polls = await db.update(users)
    .set({ nextPollAt: null })
    .where(and(lte(users.nextPollAt, sql`now()`), sql`${users.requestedSeq} <= ${users.completedSeq}`))
    .returning({ tenantId: users.tenantId, userId: users.userId });
  for (const u of polls) await request(u.tenantId, u.userId, "poll", { delayMs: 0 });
  // A user's first reconciliation falls at a random point of the period, so users spread out.
  await db.update(users)
    .set({ nextReconcileAt: sql`now() + random() * ${c.reconcileMs} * interval '1 millisecond'` })
    .where(isNull(users.nextReconcileAt));
  const reconciles = await db.update(users)
    .set({ nextReconcileAt: sql`now() + ${c.reconcileMs} * interval '1 millisecond'` })
    .where(lte(users.nextReconcileAt, sql`now()`))
    .returning({ tenantId: users.tenantId, userId: users.userId });
  for (const u of reconciles) {
    await request(u.tenantId, u.userId, "reconcile", { reconcile: true, priority: 1, delayMs: 0 });
  }
}
