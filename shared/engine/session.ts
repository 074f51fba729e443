// Prepares and runs one user (P3): the user's context from auth, why they are not synced (if so),
// a token, a Graph client spending the mailbox's shared budget, the kind's pipeline, the outcome
// and its metrics. Preview (A9, A10) goes the same way, writing nothing.
import type { Client } from "@microsoft/microsoft-graph-client";
import type { AuthClient } from "../auth/mod.ts";
import { canSync, type SyncUserContext } from "../contract/mod.ts";
import { AppError, RetryableError } from "../errors/mod.ts";
import { createGraphClient } from "../graph/client.ts";
import type { Logger } from "../log/mod.ts";
import type { SafetyThresholds } from "../sync/safety.ts";
import type { CrmChangeLog, PendingCrmChanges } from "./crm_changes.ts";
import type { GraphBudget } from "./graph_budget.ts";
import type { KindRead, RunSession, SyncKind } from "./kind.ts";
import type { EngineMetrics } from "./metrics.ts";
import { type RunContinuation, runSync, type SyncSummary } from "./pipeline.ts";
import type { RunJob, RunOutcome } from "./scheduler.ts";
import type { GraphSubscriptions } from "./subscriptions.ts";

/** What {@link RunSessions} needs. */
export interface RunSessionsOptions {
  kind: SyncKind;
  auth: AuthClient;
  budget: GraphBudget;
  changes: CrmChangeLog;
  metrics: EngineMetrics;
  logger: Logger;
  safety: SafetyThresholds;
  /** A run starts no new write batch after this long; the rest is the next chunk's (P8). */
  chunkMs: number;
  /**
   * The next chunk goes on with the plan of a chunk younger than this instead of reading both sides
   * again, when nothing but the chunking (or a poll) asked for it (P8); 0: every chunk reads again.
   */
  continueMs: number;
  /** Present when change notifications can be had (a reachable URL). */
  subscriptions?: GraphSubscriptions;
}

/** Why a user is not synced right now (`undefined`: they are). A preview needs only a chosen target. */
export function blockedReason(ctx: SyncUserContext, kind: SyncKind, purpose: "run" | "preview"): string | undefined {
  if (!ctx.tenantEnabled) return "the tenant's Outlook sync is switched off (A8)";
  if (!ctx.hasSyncRight) return "the user lacks the Microsoft Outlook sync right (A2)";
  if (ctx.linkState === "not_linked") return "no Microsoft 365 account is linked (A1)";
  if (ctx.linkState === "needs_reconnect") {
    return `the account needs reconnecting: ${ctx.linkReason ?? "sign in again"} (A6)`;
  }
  const target = kind.target(ctx);
  if (!target.enabled && purpose === "run") return `${kind.title} is off in the user's settings`;
  if (!target.targetId) return `no Outlook ${kind.targetTitle} chosen yet (A4)`;
  return canSync(ctx) ? undefined : "not syncable";
}

/** Reasons for a run that a resumed chunk serves as well as a fresh read would. */
const RESUMABLE_REASONS = new Set(["continue", "poll"]);

/** A chunk's continuation as this replica keeps it until the user's next run. */
interface KeptContinuation {
  runId: string;
  plannedAt: number;
  continuation: RunContinuation;
  /** The CRM changes the plan was read from: consumed when the last chunk completes. */
  crmChanges: PendingCrmChanges;
}

/** Runs and previews one user at a time for the scheduler and the routes. */
export class RunSessions {
  #continuations = new Map<string, KeptContinuation>();

  constructor(private readonly o: RunSessionsOptions) {}

  /**
   * The continuation to resume for this job, if any: only this replica's, only of the user's run just
   * before this one (no other replica ran the user since), only when nothing but the chunking or a
   * poll asked for the run (a CRM event, a notification, "sync now", a confirmation or reconciliation
   * reads both sides again), and only while the plan is fresh.
   */
  #resumable(job: RunJob): KeptContinuation | undefined {
    const key = `${job.tenantId}\u0000${job.userId}`;
    const kept = this.#continuations.get(key);
    this.#continuations.delete(key);
    const now = Date.now();
    for (const [k, c] of this.#continuations) if (now - c.plannedAt > this.o.continueMs) this.#continuations.delete(k);
    if (!kept || kept.runId !== job.previousRunId || job.reconcile) return undefined;
    if (!job.reasons.every((r) => RESUMABLE_REASONS.has(r))) return undefined;
    return now - kept.plannedAt <= this.o.continueMs ? kept : undefined;
  }

  /** One run (the scheduler calls it holding the user's lease). */
  async run(job: RunJob): Promise<RunOutcome> {
    const started = performance.now();
    const startedAt = Date.now();
    const counter = { requests: 0 };
    const finish = (outcome: RunOutcome, done?: Record<string, number>): RunOutcome => {
      this.o.metrics.recordRun(outcome.status, (performance.now() - started) / 1000, done);
      return { ...outcome, graphRequests: counter.requests };
    };
    try {
      const prepared = await this.#prepare(job.tenantId, job.userId, job.runId, "run", counter);
      if ("blocked" in prepared) {
        // A user who cannot sync starts from a complete read when they can again (P8: the CRM's
        // changes meanwhile are not kept one by one): one "list in full" mark replaces them.
        await this.o.changes.consume(job.tenantId, job.userId, Number.MAX_SAFE_INTEGER);
        await this.o.changes.record(job.tenantId, job.userId, undefined, undefined);
        return finish({ status: "blocked", reason: prepared.blocked });
      }
      const { session, client } = prepared;
      const kept = this.#resumable(job);
      const crmChanges = kept ? kept.crmChanges : await this.o.changes.pending(job.tenantId, job.userId);
      const run = this.o.kind.open(session);
      const s = await runSync(run, {
        scope: { mode: job.reconcile ? "reconcile" : "incremental", crmChanges },
        now: session.now,
        sleep: session.sleep,
        confirmed: job.confirmed,
        firstSyncNeedsConfirmation: session.user.firstSyncNeedsConfirmation,
        safety: this.o.safety,
        deadline: Date.now() + this.o.chunkMs,
        minApplyMs: this.o.chunkMs / 2,
        signal: job.signal,
        onProgress: job.progress,
        resume: kept?.continuation,
      });
      if (s.status === "completed") await this.o.changes.consume(job.tenantId, job.userId, crmChanges.rowIds);
      if (s.continuation && this.o.continueMs > 0) {
        this.#continuations.set(`${job.tenantId}\u0000${job.userId}`, {
          runId: job.runId,
          plannedAt: kept?.plannedAt ?? startedAt,
          continuation: s.continuation,
          crmChanges,
        });
      }
      const subscribed = await this.#ensureSubscription(client, session);
      const held = s.status === "paused" || s.status === "refused" || s.status === "awaiting_confirmation";
      return finish({
        status: s.status,
        reason: s.reason,
        summary: { ...this.#summary(s), ...run.report(s.plan) },
        mode: job.reconcile ? "reconcile" : kept ? "resumed" : s.complete ? "complete" : "incremental",
        held,
        partial: s.status === "partial",
        again: s.goneOnWrite ? "gone_on_write" : undefined,
        changed: s.read.changed,
        subscribed,
      }, s.done);
    } catch (err) {
      if (err instanceof RetryableError) {
        this.o.metrics.recordRun("retrying", (performance.now() - started) / 1000);
        throw err; // the scheduler keeps the request pending and retries after the delay
      }
      if (err instanceof AppError && err.status < 500) {
        return finish({ status: "blocked", reason: err.message });
      }
      this.o.logger.error(`${this.o.kind.title} run failed`, { error: err });
      return finish({ status: "failed", reason: err instanceof Error ? err.message : String(err) });
    }
  }

  /** A9: what the next run would do, writing nothing; available as soon as a target is chosen (A10). */
  async preview(tenantId: string, userId: string): Promise<{ blocked?: string; summary?: Record<string, unknown> }> {
    const prepared = await this.#prepare(tenantId, userId, crypto.randomUUID(), "preview", { requests: 0 });
    if ("blocked" in prepared) return { blocked: prepared.blocked };
    const crmChanges = await this.o.changes.pending(tenantId, userId);
    const run = this.o.kind.open(prepared.session);
    const s = await runSync(run, {
      scope: { mode: "incremental", crmChanges },
      now: prepared.session.now,
      sleep: prepared.session.sleep,
      dryRun: true,
    });
    return { summary: { ...this.#summary(s), ...run.report(s.plan) } };
  }

  #summary(s: SyncSummary<KindRead, unknown>) {
    return {
      status: s.status,
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      complete: s.complete,
      planned: s.planned,
      done: s.done,
      failures: s.failures.slice(0, 200),
    };
  }

  async #ensureSubscription(client: Client, session: RunSession): Promise<boolean> {
    if (!this.o.subscriptions) return false;
    try {
      return await this.o.subscriptions.ensure(client, session.tenantId, session.userId, session.targetId);
    } catch (err) {
      this.o.logger.warn("keeping the change-notification subscription failed; polling instead", { error: err });
      return false;
    }
  }

  async #prepare(
    tenantId: string,
    userId: string,
    runId: string,
    purpose: "run" | "preview",
    counter: { requests: number },
  ): Promise<{ blocked: string } | { session: RunSession; client: Client }> {
    const user = await this.o.auth.userContext(tenantId, userId);
    const blocked = blockedReason(user, this.o.kind, purpose);
    if (blocked) return { blocked };
    const token = this.o.auth.userToken(tenantId, userId);
    const client = createGraphClient({
      baseUrl: await token.graphBaseUrl(),
      getAccessToken: () => token.getAccessToken(),
      allowance: this.o.budget.forMailbox(tenantId, userId),
      onResponse: (r) => {
        counter.requests++;
        this.o.metrics.recordGraph(r);
      },
    });
    const session: RunSession = {
      tenantId,
      userId,
      runId,
      user,
      targetId: this.o.kind.target(user).targetId!,
      graph: client,
      now: () => new Date().toISOString(),
      sleep: (ms) => new Promise<void>((r) => setTimeout(r, ms)),
    };
    return { session, client };
  }
}
