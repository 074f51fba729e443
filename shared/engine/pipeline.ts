// One run of one user, for every kind: read both sides → plan (pure) → A10 gate → P6 safety →
// apply → commit. Dry-run (the A9 preview) returns the plan without writing.
import { checkSyncSafety, DEFAULT_SAFETY, type SafetyThresholds } from "../sync/safety.ts";
import { applyPlan, type ApplyProgress, type ItemFailure, type PlanApplication } from "./apply.ts";
import type { EngineAction, EngineLink, KindPlan, KindRead, KindRun, ReadScope } from "./kind.ts";

/** Options of {@link runSync}. */
export interface RunSyncOptions {
  scope: ReadScope;
  now: () => string;
  sleep: (ms: number) => Promise<void>;
  /** Plan only: read both sides, write nothing (A9 preview). */
  dryRun?: boolean;
  /** A person confirmed a paused mass change (P6) or the first sync (A10). */
  confirmed?: boolean;
  /** A10: the tenant wants the first sync of a newly chosen folder or calendar confirmed. */
  firstSyncNeedsConfirmation?: boolean;
  safety?: SafetyThresholds;
  /** No new write batch starts after this (epoch ms); the rest is the next run's. */
  deadline?: number;
  /**
   * Writing gets at least this long after planning, whatever `deadline` says: a chunk whose reading
   * took most of its time (a big listing on a busy machine) still advances the run (P8).
   */
  minApplyMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ApplyProgress) => void;
  /** Tries per throttled item within the run. */
  maxTries?: number;
  /**
   * The previous chunk of this run stopped early: go on with its plan instead of reading and
   * planning again (its gates were passed when it was planned).
   */
  resume?: RunContinuation;
}

/**
 * What a chunk that stopped early leaves for the next chunk: the read, the plan and how far
 * applying it got. Kept in memory by the replica that ran the chunk.
 */
export interface RunContinuation<R extends KindRead = KindRead, P = unknown> {
  read: R;
  plan: P;
  // deno-lint-ignore no-explicit-any -- any kind's links and actions
  application: PlanApplication<any, any>;
}

/** How a run ended. `paused`, `refused` and `awaiting_confirmation` hold the user until confirmed. */
export type SyncStatus = "completed" | "partial" | "dry_run" | "paused" | "refused" | "awaiting_confirmation";

/** What a run did, for status, metrics and the scheduler. */
export interface SyncSummary<R extends KindRead, P> {
  status: SyncStatus;
  /** Why the run paused, was refused or waits for confirmation. */
  reason?: string;
  /** The read was complete (first sync, lost cursor, reconciliation). */
  complete: boolean;
  planned: Record<string, number>;
  done: Record<string, number>;
  failures: ItemFailure[];
  /** An item was gone on a write (P9): run the user again so its delete is planned. */
  goneOnWrite: boolean;
  read: R;
  plan: P;
  /** A `partial` run's plan and progress, for the next chunk ({@link RunSyncOptions.resume}). */
  continuation?: RunContinuation<R, P>;
}

/** Counts per action kind. */
export function countActions(actions: readonly EngineAction[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of actions) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  return counts;
}

/**
 * Runs one user once through the kind's ports. Running it again with nothing changed plans nothing
 * and writes nothing. Neither a held nor a partial run commits the kind's cursor, so what it did not
 * apply is read again next time, unless the next chunk resumes the plan (`resume`): then the chunk
 * that finishes it commits the cursor read when it was planned, and the next delta round from that
 * cursor brings whatever changed on either side meanwhile.
 */
export async function runSync<
  L extends EngineLink,
  A extends EngineAction,
  R extends KindRead,
  P extends KindPlan<L, A>,
>(
  run: KindRun<L, A, R, P>,
  o: RunSyncOptions,
): Promise<SyncSummary<R, P>> {
  const resume = o.resume as RunContinuation<R, P> | undefined;
  const read = resume ? resume.read : await run.read(o.scope);
  const plan = resume ? resume.plan : run.plan(read);
  const summary: SyncSummary<R, P> = {
    status: "completed",
    complete: read.complete,
    planned: countActions(plan.pairs.flatMap((p) => p.actions)),
    done: {},
    failures: [],
    goneOnWrite: false,
    read,
    plan,
  };
  if (o.dryRun) return { ...summary, status: "dry_run" };
  const confirmed = o.confirmed ?? false;
  if (!resume) {
    if (o.firstSyncNeedsConfirmation && read.firstSync && !confirmed && plan.pairs.length > 0) {
      return {
        ...summary,
        status: "awaiting_confirmation",
        reason: "the first sync of the newly chosen folder waits for the user's confirmation (A10); see the preview",
      };
    }
    const verdict = checkSyncSafety({
      linkedCount: read.linkedCount,
      removals: plan.removals,
      crmCount: read.crmCount,
      outlookCompleteCount: read.outlookCount,
      confirmed,
    }, o.safety ?? DEFAULT_SAFETY);
    if (!verdict.ok) {
      return { ...summary, status: verdict.kind === "paused" ? "paused" : "refused", reason: verdict.message };
    }
  }

  const applied = await applyPlan(plan, {
    run,
    now: o.now,
    sleep: o.sleep,
    maxTries: o.maxTries,
    deadline: o.deadline === undefined ? undefined : Math.max(o.deadline, Date.now() + (o.minApplyMs ?? 0)),
    signal: o.signal,
    onProgress: o.onProgress,
  }, resume?.application);
  if (applied.partial) await run.remember?.(applied.createdInOutlook);
  else await run.commit(read, { createdInOutlook: applied.application.createdInOutlook });
  return {
    ...summary,
    status: applied.partial ? "partial" : "completed",
    done: applied.done,
    failures: applied.failures,
    goneOnWrite: applied.goneOnWrite,
    ...(applied.partial ? { continuation: { read, plan, application: applied.application } } : {}),
  };
}
