// Concurrent, fair runs (P3, P7, P8). Postgres holds what is wanted per user; a replica runs up to
// `slots` users at once, each under a lease claimed with FOR UPDATE SKIP LOCKED, so one user never
// runs twice across replicas. NATS only wakes replicas; a periodic sweep catches a lost wake-up.
import { and, asc, desc, eq, gt, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { RetryableError } from "../errors/mod.ts";
import { type Logger, withLogContext } from "../log/mod.ts";
import { type Cadence, nextPollSql, requestDueWork } from "./cadence.ts";
import type { RunProgress, syncRunsTable, syncUsersTable } from "./tables.ts";

// deno-lint-ignore no-explicit-any -- the scheduler works on any service's schema object
type AnyDb = PostgresJsDatabase<any>;
type Claimed = Omit<RunJob, "signal" | "progress"> & { mode: string; failures: number };

/** One claimed run, handed to the service's run function. */
export interface RunJob {
  tenantId: string;
  userId: string;
  runId: string;
  reasons: string[];
  /** A person confirmed a paused change (P6) or the first sync (A10). */
  confirmed: boolean;
  /** Compare complete listings with every link (P9). */
  reconcile: boolean;
  /** The user's run before this one (any replica's), if any: a chunk resumes only its own run. */
  previousRunId: string | undefined;
  /** Aborted when the lease is lost or the replica stops: stop at the next safe point. */
  signal: AbortSignal;
  /** Reports progress; written to the run row while it runs. */
  progress(p: RunProgress): void;
}

/** How a run ended, as the scheduler needs it. Throwing instead keeps the request pending (back-off). */
export interface RunOutcome {
  /** Shown in status: completed, partial, paused, refused, awaiting_confirmation, blocked, failed… */
  status: string;
  reason?: string;
  summary?: unknown;
  graphRequests?: number;
  mode?: string;
  /** Hold the user until a person confirms (P6, A10); the request is served. */
  held?: boolean;
  /** The run stopped early (a chunk of a long first sync): the user goes behind waiting users. */
  partial?: boolean;
  /** Ask for another run at once, for this reason (an item gone on write, P9). */
  again?: string;
  /** The run saw a change on either side (adaptive poll). */
  changed?: boolean;
  /** The user has a live change-notification subscription: polls are only the safety net. */
  subscribed?: boolean;
}

/** Options of {@link Scheduler}. */
export interface SchedulerOptions {
  service: string;
  db: AnyDb;
  users: ReturnType<typeof syncUsersTable>;
  runs: ReturnType<typeof syncRunsTable>;
  nc: NatsConnection;
  /** Core NATS subject that wakes this service's replicas (in no stream). */
  wakeSubject: string;
  logger: Logger;
  run: (job: RunJob) => Promise<RunOutcome>;
  /** Users run at once by this replica. */
  slots: number;
  /** A request waits this long before it may be claimed, so a burst makes one run. */
  coalesceMs: number;
  /** A claimed user's lease; renewed every third of it while the run lives. */
  leaseMs: number;
  /** Period of the sweep that catches lost wake-ups and marks interrupted runs. */
  sweepMs: number;
  /** Poll and reconciliation periods; without them nobody is polled or reconciled. */
  cadence?: Cadence;
  /** Extra work each sweep does. */
  onSweep?: () => Promise<void>;
}

/** What a request asks for. */
export interface RequestOptions {
  /** Background work (reconciliation) goes behind changes. */
  priority?: 0 | 1;
  /** The run compares complete listings (P9). */
  reconcile?: boolean;
  /** Publish a wake-up even when a run is already pending (confirmations). */
  force?: boolean;
  /** Claim no earlier than this many ms from now (default: the coalescing wait). */
  delayMs?: number;
}

/**
 * Schedules sync runs of one service. `request()` raises the user's requested sequence in Postgres
 * and wakes the replicas; each replica claims due users, longest waiting first, while it has a free
 * slot. Waiting (coalescing, back-off) holds no slot. A run that ends `partial` goes behind users
 * who wait; one that throws stays pending with back-off; requests made during a run cause one more.
 */
export class Scheduler {
  readonly owner = crypto.randomUUID();
  #active = new Map<string, { tenantId: string; userId: string; abort: AbortController; done: Promise<void> }>();
  #sub: Subscription | undefined;
  #sweep: ReturnType<typeof setInterval> | undefined;
  #timer: { at: number; handle: ReturnType<typeof setTimeout> } | undefined;
  #kicking = false;
  #kickAgain = false;
  #stopping = false;

  constructor(private readonly o: SchedulerOptions) {}

  /** Starts listening for wake-ups and sweeping; claims what is due at once. */
  start(): void {
    this.#sub = this.o.nc.subscribe(this.o.wakeSubject, {
      callback: (_err, msg) => {
        const delay = Number((msg.json() as { inMs?: number } | undefined)?.inMs ?? 0);
        this.#wakeIn(Number.isFinite(delay) ? delay : 0);
      },
    });
    this.#sweep = setInterval(() => void this.#sweepOnce(), this.o.sweepMs);
    void this.#sweepOnce();
  }

  /** Runs in this replica right now. */
  get active(): number {
    return this.#active.size;
  }

  /**
   * While this replica runs the user: settles when that run ends, or after `maxMs` at the latest.
   * `undefined` when this replica is not running them.
   */
  runEnded(tenantId: string, userId: string, maxMs: number): Promise<void> | undefined {
    const run = [...this.#active.values()].find((r) => r.tenantId === tenantId && r.userId === userId);
    if (!run) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([run.done.catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, maxMs)))])
      .finally(() => clearTimeout(timer));
  }

  /**
   * Asks for a run of this user; cheap to call for every trigger. Only the request that finds the
   * user idle wakes the replicas: later ones ride on the pending run.
   */
  async request(tenantId: string, userId: string, reason: string, options: RequestOptions = {}): Promise<void> {
    const { users } = this.o;
    const priority = options.priority ?? 0;
    const delay = options.delayMs ?? this.o.coalesceMs;
    const due = sql`now() + ${delay} * interval '1 millisecond'`;
    // Idle: nothing requested beyond what is done or being done by a live run.
    const idle = sql`${users.requestedSeq} <= greatest(${users.completedSeq},
      case when ${users.leaseUntil} > now() then ${users.claimedSeq} else 0 end)`;
    const [row] = await this.o.db.insert(users).values({
      tenantId,
      userId,
      requestedSeq: 1,
      lastReason: reason,
      reasons: [reason],
      dueAt: due,
      waitingSince: sql`now()`,
      priority,
      reconcile: options.reconcile ?? false,
    }).onConflictDoUpdate({
      target: [users.tenantId, users.userId],
      set: {
        requestedSeq: sql`${users.requestedSeq} + 1`,
        lastReason: reason,
        reasons: sql`case when ${users.reasons} ? ${reason} or jsonb_array_length(${users.reasons}) >= 8
          then ${users.reasons} else ${users.reasons} || jsonb_build_array(${reason}::text) end`,
        dueAt: sql`case when ${idle} then ${due} else ${users.dueAt} end`,
        waitingSince: sql`case when ${idle} then now() else ${users.waitingSince} end`,
        priority: sql`case when ${idle} then ${priority} else least(${users.priority}, ${priority}) end`,
        reconcile: sql`${users.reconcile} or ${options.reconcile ?? false}`,
        updatedAt: sql`now()`,
      },
    }).returning({ seq: users.requestedSeq, completed: users.completedSeq, claimed: users.claimedSeq });
    if (!options.force && row!.seq - 1 > Math.max(row!.completed, row!.claimed)) return;
    this.o.nc.publish(this.o.wakeSubject, JSON.stringify({ inMs: delay }));
  }

  /** A person confirmed a paused user's change (P6, A10): the next run may apply it once. */
  async confirm(tenantId: string, userId: string): Promise<boolean> {
    const { users } = this.o;
    const rows = await this.o.db.update(users).set({ confirmedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(users.tenantId, tenantId), eq(users.userId, userId), sql`${users.pausedReason} is not null`))
      .returning({ userId: users.userId });
    if (rows.length === 0) return false;
    await this.request(tenantId, userId, "confirmed", { force: true, delayMs: 0 });
    return true;
  }

  /** Stops claiming, asks running runs to stop at their next safe point, and waits for them. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#sweep);
    if (this.#timer) clearTimeout(this.#timer.handle);
    this.#sub?.unsubscribe();
    for (const r of this.#active.values()) r.abort.abort(new Error("the service is stopping"));
    await Promise.allSettled([...this.#active.values()].map((r) => r.done));
  }

  async #sweepOnce(): Promise<void> {
    if (this.#stopping) return;
    try {
      await this.#markInterrupted();
      if (this.o.cadence) {
        await requestDueWork(this.o.db, this.o.users, this.o.cadence, (t, u, r, o) => this.request(t, u, r, o));
      }
      await this.o.onSweep?.();
      await this.#kick();
    } catch (err) {
      this.o.logger.warn("scheduler sweep failed", { error: err });
    }
  }

  #wakeIn(ms: number): void {
    if (this.#stopping) return;
    const at = Date.now() + Math.max(0, ms) + 5;
    if (this.#timer && this.#timer.at <= at) return;
    if (this.#timer) clearTimeout(this.#timer.handle);
    this.#timer = {
      at,
      handle: setTimeout(() => {
        this.#timer = undefined;
        void this.#kick().catch((err) => this.o.logger.warn("claiming runs failed", { error: err }));
      }, at - Date.now()),
    };
  }

  /** Claims due users while this replica has free slots, then sleeps until the next one is due. */
  async #kick(): Promise<void> {
    if (this.#kicking) {
      this.#kickAgain = true;
      return;
    }
    this.#kicking = true;
    try {
      do {
        this.#kickAgain = false;
        while (!this.#stopping && this.#active.size < this.o.slots) {
          const job = await this.#claim();
          if (!job) break;
          this.#launch(job);
        }
      } while (this.#kickAgain && !this.#stopping);
      if (!this.#stopping && this.#active.size < this.o.slots) await this.#planNextKick();
    } finally {
      this.#kicking = false;
    }
  }

  async #planNextKick(): Promise<void> {
    const { users } = this.o;
    const [row] = await this.o.db.select({
      ms: sql<
        number | null
      >`extract(epoch from min(greatest(${users.dueAt}, coalesce(${users.leaseUntil}, ${users.dueAt})))
        - now()) * 1000`,
    }).from(users).where(gt(users.requestedSeq, users.completedSeq));
    const ms = row?.ms === null || row?.ms === undefined ? undefined : Number(row.ms);
    if (ms !== undefined && ms < this.o.sweepMs) this.#wakeIn(ms);
  }

  async #claim(): Promise<Claimed | undefined> {
    const { users, runs } = this.o;
    const runId = crypto.randomUUID();
    return await this.o.db.transaction(async (tx) => {
      const [u] = await tx.select().from(users).where(and(
        gt(users.requestedSeq, users.completedSeq),
        lte(users.dueAt, sql`now()`),
        or(isNull(users.leaseUntil), lt(users.leaseUntil, sql`now()`)),
      )).orderBy(asc(users.priority), asc(users.waitingSince)).limit(1).for("update", { skipLocked: true });
      if (!u) return undefined;
      const pk = and(eq(users.tenantId, u.tenantId), eq(users.userId, u.userId));
      const [previous] = await tx.select({ id: runs.id }).from(runs)
        .where(and(eq(runs.tenantId, u.tenantId), eq(runs.userId, u.userId)))
        .orderBy(desc(runs.startedAt)).limit(1);
      await tx.update(users).set({
        leaseOwner: this.owner,
        leaseUntil: sql`now() + ${this.o.leaseMs} * interval '1 millisecond'`,
        claimedSeq: u.requestedSeq,
        runId,
        reasons: [],
        reconcile: false,
        updatedAt: sql`now()`,
      }).where(pk);
      const reasons = u.reasons.length > 0 ? u.reasons : [u.lastReason ?? "request"];
      const mode = u.reconcile ? "reconcile" : "incremental";
      await tx.insert(runs).values({
        id: runId,
        tenantId: u.tenantId,
        userId: u.userId,
        reasons: reasons.join(","),
        startedAt: new Date(),
        status: "running",
        mode,
      });
      return {
        tenantId: u.tenantId,
        userId: u.userId,
        runId,
        reasons,
        confirmed: u.confirmedAt !== null,
        reconcile: u.reconcile,
        previousRunId: previous?.id,
        mode,
        failures: u.failures,
      };
    });
  }

  #launch(job: Claimed): void {
    const abort = new AbortController();
    const done = this.#execute(job, abort).catch((err) => {
      this.o.logger.error("finishing a run failed", { error: err, runId: job.runId });
    }).finally(() => {
      this.#active.delete(job.runId);
      if (!this.#stopping) void this.#kick().catch((err) => this.o.logger.warn("claiming runs failed", { error: err }));
    });
    this.#active.set(job.runId, { tenantId: job.tenantId, userId: job.userId, abort, done });
  }

  async #execute(job: Claimed, abort: AbortController) {
    const { users, runs } = this.o;
    const pk = and(eq(users.tenantId, job.tenantId), eq(users.userId, job.userId));
    const mine = and(pk, eq(users.leaseOwner, this.owner), eq(users.runId, job.runId));
    let progress: RunProgress | undefined;
    let written: RunProgress | undefined;
    // The lease is renewed while the run lives; losing it (a stall past its expiry) stops the run.
    const beat = setInterval(async () => {
      try {
        const renewed = await this.o.db.update(users)
          .set({ leaseUntil: sql`now() + ${this.o.leaseMs} * interval '1 millisecond'` })
          .where(mine).returning({ userId: users.userId });
        if (renewed.length === 0) abort.abort(new Error("the run's lease was lost"));
        if (progress && progress !== written) {
          written = progress;
          await this.o.db.update(runs).set({ progress: written }).where(eq(runs.id, job.runId));
        }
      } catch (err) {
        this.o.logger.warn("renewing a run lease failed", { error: err, runId: job.runId });
      }
    }, Math.max(250, Math.floor(this.o.leaseMs / 3)));
    let outcome: RunOutcome | undefined;
    let thrown: unknown;
    try {
      const { mode: _mode, failures: _failures, ...fields } = job;
      outcome = await withLogContext(
        { runId: job.runId, tenantId: job.tenantId, userId: job.userId },
        () => this.o.run({ ...fields, signal: abort.signal, progress: (p) => (progress = { ...p }) }),
      );
    } catch (err) {
      thrown = err;
    } finally {
      clearInterval(beat);
    }
    if (outcome === undefined) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      const retryMs = thrown instanceof RetryableError ? thrown.retryAfterMs : undefined;
      this.o.logger.warn("run failed; the request stays pending", { error: thrown, runId: job.runId });
      await this.o.db.update(runs).set({ finishedAt: new Date(), status: "failed", error: message, progress })
        .where(eq(runs.id, job.runId));
      await this.o.db.update(users).set({
        leaseOwner: null,
        leaseUntil: null,
        runId: null,
        failures: sql`${users.failures} + 1`,
        // Back-off: the Retry-After of a throttled dependency, else 1 s doubling to 5 minutes.
        dueAt: sql`now() + ${retryMs ?? Math.min(300_000, 1000 * 2 ** Math.min(job.failures, 12))}
          * interval '1 millisecond'`,
        reconcile: sql`${users.reconcile} or ${job.reconcile}`,
        updatedAt: sql`now()`,
      }).where(mine);
      return;
    }
    await this.o.db.update(runs).set({
      finishedAt: new Date(),
      status: outcome.status,
      // Why a run failed, was blocked or paused: shown with the run in status.
      error: outcome.reason ?? null,
      summary: outcome.summary ?? null,
      graphRequests: outcome.graphRequests ?? null,
      mode: outcome.mode ?? job.mode,
      progress: progress ?? null,
    }).where(eq(runs.id, job.runId));
    const held = outcome.held === true;
    const partial = outcome.partial === true;
    await this.o.db.update(users).set({
      leaseOwner: null,
      leaseUntil: null,
      runId: null,
      failures: 0,
      completedSeq: sql`greatest(${users.completedSeq}, ${users.claimedSeq})`,
      // A partial run asks again and goes behind everyone waiting now (a long first sync in chunks).
      ...(partial
        ? {
          requestedSeq: sql`greatest(${users.requestedSeq}, ${users.claimedSeq}) + 1`,
          waitingSince: sql`now()`,
          dueAt: sql`now()`,
          reasons: sql`case when ${users.reasons} ? 'continue' then ${users.reasons}
            else ${users.reasons} || '["continue"]'::jsonb end`,
        }
        : {}),
      lastRunAt: sql`now()`,
      ...(outcome.changed ? { activeAt: sql`now()` } : {}),
      ...(this.o.cadence
        ? { nextPollAt: nextPollSql(users, this.o.cadence, outcome.subscribed === true, outcome.changed === true) }
        : {}),
      // A partial run keeps the confirmation for the chunks that follow.
      ...(partial ? {} : { confirmedAt: null }),
      pausedReason: held ? (outcome.reason ?? "paused") : null,
      pausedAt: held ? sql`coalesce(${users.pausedAt}, now())` : null,
      updatedAt: sql`now()`,
    }).where(mine);
    if (partial) this.#wakeIn(0);
    if (outcome.again) await this.request(job.tenantId, job.userId, outcome.again, { delayMs: 0 });
  }

  /** Runs no process holds any more (killed, lease expired) are marked interrupted in status. */
  async #markInterrupted(): Promise<void> {
    const { users, runs } = this.o;
    await this.o.db.update(runs).set({
      status: "interrupted",
      finishedAt: new Date(),
      error: "the process running it stopped before it finished; the user is run again",
    }).where(and(
      eq(runs.status, "running"),
      sql`not exists (select 1 from ${users} u where u.tenant_id = ${runs.tenantId} and u.user_id = ${runs.userId}
        and u.run_id = ${runs.id} and u.lease_until > now())`,
    ));
  }
}
