import { and, eq, gt, sql as dsql } from "drizzle-orm";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Database } from "../db/mod.ts";
import { makeEnvelope, type RunRequestedV1 } from "../contract/mod.ts";
import { RetryableError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import { withLogContext } from "../log/mod.ts";
import { type MessageMeta, publishEvent } from "../nats/mod.ts";
import type { syncRunsTable, syncUsersTable } from "./tables.ts";

type UsersTable = ReturnType<typeof syncUsersTable>;
type RunsTable = ReturnType<typeof syncRunsTable>;
// deno-lint-ignore no-explicit-any -- the coordinator works with any service's schema object
type AnyDatabase = Database<any>;

/** What one run reports back to the coordinator. */
export interface RunOutcome {
  /** `paused` holds the user until a person confirms (P6); any other status completes the request. */
  status: string;
  reason?: string;
  summary?: unknown;
  graphRequests?: number;
}

/** The run itself, provided by the service: sync one user once. */
export type RunUser = (
  ctx: { tenantId: string; userId: string; runId: string; reasons: string[]; confirmed: boolean },
) => Promise<RunOutcome>;

/** Options for {@link RunCoordinator}. */
export interface RunCoordinatorOptions {
  service: string;
  database: AnyDatabase;
  users: UsersTable;
  runs: RunsTable;
  nc: NatsConnection;
  /** The service's run-request subject from the catalogue. */
  subject: string;
  logger: Logger;
  run: RunUser;
  heartbeatMs?: number;
  /** Wait before each run so a burst of triggers (a bulk edit in the CRM) makes one run. */
  coalesceMs?: number;
}

/**
 * Triggers, coalescing and locking of sync runs (P3, P7). `request()` raises the user's
 * requested sequence in Postgres, then asks for a run on NATS; `handle()` (the run consumer)
 * holds a Postgres advisory lock for the user, so no two replicas run one user at once, and runs
 * until the completed sequence catches up. Requests made during a run cause one more run; a
 * request met by a held lock is retried later, so none is lost.
 */
export class RunCoordinator {
  constructor(private readonly o: RunCoordinatorOptions) {}

  /**
   * Asks for a run of this user; cheap to call for every trigger. Only the request that finds
   * nothing pending publishes a message: later ones ride on it, because the run loop reads the
   * requested sequence again before it lets the message go.
   */
  async request(tenantId: string, userId: string, reason: string, options: { force?: boolean } = {}): Promise<void> {
    const { users } = this.o;
    const [row] = await this.o.database.db.insert(users)
      .values({ tenantId, userId, requestedSeq: 1, lastReason: reason })
      .onConflictDoUpdate({
        target: [users.tenantId, users.userId],
        set: { requestedSeq: dsql`${users.requestedSeq} + 1`, lastReason: reason, updatedAt: new Date() },
      })
      .returning({ seq: users.requestedSeq, completed: users.completedSeq });
    if (!options.force && row!.seq - 1 > row!.completed) return;
    const id = `${this.o.service}:${tenantId}:${userId}:${row!.seq}`;
    await publishEvent(
      this.o.nc,
      this.o.subject,
      makeEnvelope("sync.run.requested", 1, tenantId, { userId, reason }, { id }),
    );
  }

  /** A person confirmed a paused user's change (P6): the next run may apply it once. */
  async confirm(tenantId: string, userId: string): Promise<boolean> {
    const { users } = this.o;
    const rows = await this.o.database.db.update(users).set({ confirmedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(users.tenantId, tenantId), eq(users.userId, userId), dsql`${users.pausedReason} is not null`))
      .returning({ userId: users.userId });
    if (rows.length === 0) return false;
    await this.request(tenantId, userId, "confirmed", { force: true });
    return true;
  }

  /** Republishes requests a crash left unserved (requested ahead of completed). Call at start-up. */
  async resumePending(): Promise<number> {
    const { users } = this.o;
    const rows = await this.o.database.db.select().from(users).where(gt(users.requestedSeq, users.completedSeq));
    for (const r of rows) {
      const id = `${this.o.service}:${r.tenantId}:${r.userId}:${r.requestedSeq}:resume:${Date.now()}`;
      const env = makeEnvelope("sync.run.requested", 1, r.tenantId, { userId: r.userId, reason: "resume" }, { id });
      await publishEvent(this.o.nc, this.o.subject, env);
    }
    return rows.length;
  }

  /** The run consumer's handler. */
  async handle(message: typeof RunRequestedV1._zod.output, meta: MessageMeta): Promise<void> {
    const { tenantId } = message;
    const { userId } = message.data;
    const lock = await this.o.database.sql.reserve();
    const key = `${this.o.service}:${tenantId}:${userId}`;
    try {
      const [got] = await lock`select pg_try_advisory_lock(hashtext(${key})) as locked`;
      if (!got?.locked) throw new RetryableError(`a run for ${userId} is under way`, 1_000);
      const beat = setInterval(() => meta.working(), this.o.heartbeatMs ?? 5_000);
      try {
        await this.#drain(tenantId, userId, message.data.reason);
      } finally {
        clearInterval(beat);
        await lock`select pg_advisory_unlock(hashtext(${key}))`;
      }
    } finally {
      lock.release();
    }
  }

  async #drain(tenantId: string, userId: string, firstReason: string): Promise<void> {
    const { users, runs, database } = this.o;
    const where = and(eq(users.tenantId, tenantId), eq(users.userId, userId));
    for (let i = 0; i < 10; i++) {
      const [pending] = await database.db.select().from(users).where(where);
      if (!pending || pending.requestedSeq <= pending.completedSeq) return;
      await new Promise((r) => setTimeout(r, this.o.coalesceMs ?? 200));
      const [state] = await database.db.select().from(users).where(where);
      if (!state) return;
      const target = state.requestedSeq;
      const runId = crypto.randomUUID();
      const reasons = [...new Set([firstReason, state.lastReason ?? "request"])];
      const startedAt = new Date();
      await database.db.insert(runs).values({
        id: runId,
        tenantId,
        userId,
        reasons: reasons.join(","),
        startedAt,
        status: "running",
      });
      let outcome: RunOutcome;
      try {
        outcome = await withLogContext(
          { runId, tenantId, userId },
          () => this.o.run({ tenantId, userId, runId, reasons, confirmed: state.confirmedAt !== null }),
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await database.db.update(runs).set({ finishedAt: new Date(), status: "failed", error: message })
          .where(eq(runs.id, runId));
        throw err; // the request stays pending; the consumer retries it after a delay
      }
      await database.db.update(runs).set({
        finishedAt: new Date(),
        status: outcome.status,
        // Why a run failed, was blocked or paused: shown with the run in status.
        error: outcome.reason ?? null,
        summary: outcome.summary ?? null,
        graphRequests: outcome.graphRequests ?? null,
      }).where(eq(runs.id, runId));
      const paused = outcome.status === "paused";
      await database.db.update(users).set({
        completedSeq: dsql`greatest(${users.completedSeq}, ${target})`,
        lastRunAt: startedAt,
        confirmedAt: null,
        pausedReason: paused ? (outcome.reason ?? "paused") : null,
        pausedAt: paused ? (state.pausedAt ?? new Date()) : null,
        updatedAt: new Date(),
      }).where(where);
      firstReason = "request";
    }
    // Triggers keep coming faster than runs finish: yield, and come back through the queue.
    await this.request(tenantId, userId, "continue", { force: true });
  }
}
