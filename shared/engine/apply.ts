// Intent-first apply of a plan, for every sync kind: link-only pairs and intent rows first, then
// each action kind through its executor in batches, each pair's row written as its last action
// commits. A failed item is recorded on its row and never fails the run.
import { chunk } from "../sync/batch.ts";
import { appendAttempt, type SyncAttempt } from "../sync/link.ts";
import type {
  ActionExecutor,
  EngineAction,
  EngineLink,
  ItemError,
  KindPlan,
  KindRun,
  PairOutcome,
  PairPlan,
} from "./kind.ts";

/** One failed item of a run: retried next run. */
export interface ItemFailure {
  key: string;
  action: string;
  message: string;
}

/** Planned, done and failed remote actions so far (written to the run row while it runs). */
export interface ApplyProgress {
  planned: number;
  done: number;
  failed: number;
}

/** What {@link applyPlan} did. */
export interface ApplyResult {
  /** Actions done per kind (link-only ones included). */
  done: Record<string, number>;
  failures: ItemFailure[];
  /** The run stopped early (chunk deadline or shutdown); the rest is for the next run. */
  partial: boolean;
  /** An item was gone on a write (P9): the user must run again so the planner sees the delete. */
  goneOnWrite: boolean;
  /** Values returned by the creates in Outlook (their ids, for echo checks). */
  createdInOutlook: string[];
}

/** Options of {@link applyPlan}. */
export interface ApplyOptions<L extends EngineLink, A extends EngineAction> {
  run: Pick<KindRun<L, A, never, never>, "executors" | "links" | "settle">;
  now: () => string;
  /** Waits before retrying a throttled write; tests pass a fake. */
  sleep: (ms: number) => Promise<void>;
  /** Tries per item for throttled writes within one run (default 3); later ones wait for the next run. */
  maxTries?: number;
  /** No new batch starts after this (epoch ms): a long first sync runs in chunks. */
  deadline?: number;
  /** Aborted when the run must stop (lease lost, shutdown): no new batch starts. */
  signal?: AbortSignal;
  onProgress?: (p: ApplyProgress) => void;
}

interface PairState<L extends EngineLink, A extends EngineAction> {
  plan: PairPlan<L, A>;
  remote: number[];
  remaining: number;
  values: unknown[];
  failure: { action: A; error: ItemError } | undefined;
  attempts: SyncAttempt[];
  committed: boolean;
}

/**
 * Executes a plan through the kind's executors, persisting each link row as its pair's actions
 * commit. Intent rows go first, so a crash between a remote create and its row converges on the
 * next run. Throttled items are retried after Retry-After within the run; anything an executor
 * throws (a bug, the process dying) propagates.
 */
export async function applyPlan<L extends EngineLink, A extends EngineAction>(
  plan: KindPlan<L, A>,
  o: ApplyOptions<L, A>,
): Promise<ApplyResult> {
  const { executors, links } = o.run;
  const result: ApplyResult = { done: {}, failures: [], partial: false, goneOnWrite: false, createdInOutlook: [] };
  const states = plan.pairs.map((p): PairState<L, A> => {
    const remote = p.actions.flatMap((a, i) => executors.byKind[a.kind as A["kind"]] ? [i] : []);
    return {
      plan: p,
      remote,
      remaining: remote.length,
      values: [],
      failure: undefined,
      attempts: [],
      committed: false,
    };
  });
  const progress: ApplyProgress = { planned: states.reduce((n, s) => n + s.remote.length, 0), done: 0, failed: 0 };
  let batches = 0;
  // A chunk always writes at least one batch, however long reading took: a long run always advances.
  const stopped = () =>
    o.signal?.aborted === true || (o.deadline !== undefined && batches > 0 && Date.now() >= o.deadline);

  const commit = async (batch: PairState<L, A>[], status: PairOutcome<A>["status"] | undefined = undefined) => {
    const rows: L[] = [];
    for (const s of batch) {
      if (s.committed) continue;
      s.committed = true;
      const outcome: PairOutcome<A> = {
        status: status ?? (s.failure ? "failed" : "done"),
        values: s.values,
        ...(s.failure ? { failure: s.failure } : {}),
      };
      const row = o.run.settle(s.plan, outcome, o.now());
      if (row) rows.push(finish(row, s, outcome, o.now()));
      else if (s.plan.before || s.plan.pre) await links.delete(s.plan.key);
      if (outcome.status === "done") {
        for (const a of s.plan.actions) result.done[a.kind] = (result.done[a.kind] ?? 0) + 1;
      }
      if (s.failure?.error.kind === "gone") result.goneOnWrite = true;
    }
    if (rows.length > 0) await links.upsertMany(rows);
  };

  // Link-only pairs and intent rows first: nothing remote is created without its row.
  await commit(states.filter((s) => s.remaining === 0));
  const pres = states.filter((s) => s.remaining > 0 && s.plan.pre).map((s) => s.plan.pre!);
  for (const rows of chunk(pres, 500)) await links.upsertMany(rows);
  o.onProgress?.(progress);

  for (const kind of executors.order) {
    const executor = executors.byKind[kind];
    if (!executor) continue;
    const items = states.flatMap((s) =>
      s.failure === undefined
        ? s.remote.filter((i) => s.plan.actions[i]!.kind === kind).map((index) => ({ s, index }))
        : []
    );
    for (const batch of chunk(items, executor.batchSize)) {
      if (stopped()) {
        result.partial = true;
        break;
      }
      const live = batch.filter(({ s }) => s.failure === undefined);
      await runBatch(live, executor, o, result);
      batches++;
      const finished: PairState<L, A>[] = [];
      for (const { s } of live) {
        s.remaining--;
        if (s.failure !== undefined) {
          progress.failed++;
          s.remaining = 0;
        } else progress.done++;
        if (s.remaining === 0) finished.push(s);
      }
      await commit(finished);
      o.onProgress?.(progress);
    }
    if (result.partial) break;
  }
  if (result.partial) {
    // Pairs that did part of their work keep what it returned; untouched ones keep their rows.
    await commit(states.filter((s) => !s.committed && s.values.length > 0), "deferred");
  }

  for (const s of states) {
    if (s.failure !== undefined) {
      result.failures.push({ key: s.plan.key, action: s.failure.action.kind, message: s.failure.error.message });
    }
  }
  return result;
}

async function runBatch<L extends EngineLink, A extends EngineAction>(
  batch: { s: PairState<L, A>; index: number }[],
  executor: ActionExecutor<A>,
  o: ApplyOptions<L, A>,
  result: ApplyResult,
): Promise<void> {
  const maxTries = o.maxTries ?? 3;
  const direction = executor.side === "crm" ? "to_crm" : "to_outlook";
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const results = await executor.run(
      pending.map(({ s, index }) => ({ action: s.plan.actions[index]!, earlier: s.values })),
    );
    const throttled: typeof batch = [];
    let waitMs = 0;
    pending.forEach(({ s, index }, i) => {
      const action = s.plan.actions[index]!;
      const r = results[i] ?? { ok: false, error: { kind: "failed", message: "no result for this item" } };
      const at = o.now();
      if (r.ok || (r.error.kind === "gone" && executor.goneIsDone)) {
        const value = r.ok ? r.value : undefined;
        s.values[index] = value;
        s.attempts.push({
          at,
          direction,
          action: action.kind,
          outcome: "ok",
          ...(r.ok ? {} : { message: r.error.message }),
        });
        const id = r.ok ? executor.createdId?.(value) : undefined;
        if (id !== undefined) result.createdInOutlook.push(id);
        return;
      }
      const error = r.error;
      const again = error.kind === "throttled" && attempt < maxTries;
      s.attempts.push({
        at,
        direction,
        action: action.kind,
        outcome: error.kind === "throttled" ? "throttled" : error.kind === "gone" ? "gone" : "failed",
        message: error.message,
      });
      if (again) {
        throttled.push({ s, index });
        waitMs = Math.max(waitMs, error.retryAfterMs);
      } else s.failure = { action, error };
    });
    if (throttled.length > 0) await o.sleep(waitMs);
    pending = throttled;
  }
}

/** The row as persisted: the kind's settled row with this run's attempts and the error, if any. */
function finish<L extends EngineLink, A extends EngineAction>(
  row: L,
  s: PairState<L, A>,
  outcome: PairOutcome<A>,
  now: string,
): L {
  const lastError = outcome.status === "failed" ? outcome.failure!.error.message : row.lastError;
  return { ...row, attempts: s.attempts.reduce(appendAttempt, row.attempts), lastError, updatedAt: now };
}
