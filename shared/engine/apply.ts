// Intent-first apply of a plan, for every sync kind: link-only pairs first, then each action kind
// through its executor in batches, each pair's intent row written just before its first remote
// write and its row as its last action commits. A failed item is recorded on its row and never
// fails the run. A long plan is applied in chunks that go on where the last one stopped.
import { chunk } from "../sync/batch.ts";
import { appendAttempt, type SyncAttempt } from "../sync/link.ts";
import type {
  ActionExecutor,
  ActionExecutors,
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
  /** Indexes of the pair's remote actions, in plan order. */
  remote: number[];
  /** Remote actions executed so far (whatever their outcome), by index. */
  executed: Set<number>;
  values: unknown[];
  failure: { action: A; error: ItemError } | undefined;
  attempts: SyncAttempt[];
  /** The intent row (`plan.pre`) is stored. */
  preWritten: boolean;
  /** The pair's final row (done or failed) is stored. */
  committed: boolean;
  /** Actions ran since the pair's row was last stored (a chunk that stops keeps them as `deferred`). */
  dirty: boolean;
}

/**
 * Where applying one plan stands. A chunk that stops at its deadline hands it to the next chunk of
 * the same run, which goes on from here instead of reading both sides and planning again (P8).
 */
export class PlanApplication<L extends EngineLink, A extends EngineAction> {
  readonly states: PairState<L, A>[];
  /** Planned, done and failed remote actions over every chunk so far. */
  readonly progress: ApplyProgress;
  /** Ids created in Outlook by every chunk so far (the cursor's `created`, P9). */
  readonly createdInOutlook: string[] = [];
  /** Link-only pairs are settled (the first chunk does it). */
  linkOnlySettled = false;

  constructor(readonly plan: KindPlan<L, A>, executors: ActionExecutors<A>) {
    this.states = plan.pairs.map((p): PairState<L, A> => {
      const remote = p.actions.flatMap((a, i) => executors.byKind[a.kind as A["kind"]] ? [i] : []);
      return {
        plan: p,
        remote,
        executed: new Set(),
        values: [],
        failure: undefined,
        attempts: [],
        preWritten: false,
        committed: false,
        dirty: false,
      };
    });
    this.progress = { planned: this.states.reduce((n, s) => n + s.remote.length, 0), done: 0, failed: 0 };
  }

  /** Every pair is settled. */
  get finished(): boolean {
    return this.states.every((s) => s.committed);
  }
}

/**
 * Executes a plan through the kind's executors, persisting each link row as its pair's actions
 * commit. A pair's intent row is stored just before its first remote write (in the same batch's
 * turn), so a crash between a remote create and its row converges on the next run, and the first
 * write of a big plan does not wait for every intent row. Throttled items are retried after
 * Retry-After within the run; anything an executor throws (a bug, the process dying) propagates.
 * With `application` from a chunk that stopped early, it goes on where that chunk stopped.
 */
export async function applyPlan<L extends EngineLink, A extends EngineAction>(
  plan: KindPlan<L, A>,
  o: ApplyOptions<L, A>,
  application: PlanApplication<L, A> = new PlanApplication(plan, o.run.executors),
): Promise<ApplyResult & { application: PlanApplication<L, A> }> {
  const { executors, links } = o.run;
  const result: ApplyResult = { done: {}, failures: [], partial: false, goneOnWrite: false, createdInOutlook: [] };
  const { states, progress } = application;
  let batches = 0;
  // A chunk always writes at least one batch, however long reading took: a long run always advances.
  const stopped = () =>
    o.signal?.aborted === true || (o.deadline !== undefined && batches > 0 && Date.now() >= o.deadline);

  const commit = async (batch: PairState<L, A>[], status: PairOutcome<A>["status"] | undefined = undefined) => {
    const rows: L[] = [];
    for (const s of batch) {
      if (s.committed) continue;
      s.committed = status !== "deferred";
      s.dirty = false;
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
      if (s.failure !== undefined && outcome.status === "failed") {
        result.failures.push({ key: s.plan.key, action: s.failure.action.kind, message: s.failure.error.message });
        if (s.failure.error.kind === "gone") result.goneOnWrite = true;
      }
    }
    if (rows.length > 0) await links.upsertMany(rows);
  };

  // Link-only pairs first (no remote write waits on them); idle ones are not rewritten (P8: a run
  // with nothing changed writes nothing).
  if (!application.linkOnlySettled) {
    await commit(states.filter((s) => s.remote.length === 0 && !idle(s.plan)));
    application.linkOnlySettled = true;
  }
  o.onProgress?.(progress);

  for (const kind of executors.order) {
    const executor = executors.byKind[kind];
    if (!executor) continue;
    const items = states.flatMap((s) =>
      s.failure === undefined && !s.committed
        ? s.remote.filter((i) => !s.executed.has(i) && s.plan.actions[i]!.kind === kind).map((index) => ({ s, index }))
        : []
    );
    for (const batch of chunk(items, executor.batchSize)) {
      if (stopped()) {
        result.partial = true;
        break;
      }
      const live = batch.filter(({ s }) => s.failure === undefined);
      // Nothing remote is written without its pair's intent row.
      const intents = [...new Set(live.map(({ s }) => s))].filter((s) => !s.preWritten && s.plan.pre);
      if (intents.length > 0) await links.upsertMany(intents.map((s) => s.plan.pre!));
      for (const s of intents) s.preWritten = true;
      await runBatch(live, executor, o, result);
      batches++;
      const finished = new Set<PairState<L, A>>();
      for (const { s, index } of live) {
        s.executed.add(index);
        s.dirty = true;
        if (s.failure !== undefined) progress.failed++;
        else progress.done++;
        // A failed pair is finished: its remaining actions wait for the next run.
        if (s.failure !== undefined || s.executed.size === s.remote.length) finished.add(s);
      }
      await commit([...finished]);
      o.onProgress?.(progress);
    }
    if (result.partial) break;
  }
  if (result.partial) {
    // Pairs that did part of their work keep what it returned (a later chunk finishes them);
    // untouched ones keep their rows.
    await commit(states.filter((s) => !s.committed && s.dirty), "deferred");
  }
  application.createdInOutlook.push(...result.createdInOutlook);
  return { ...result, application };
}

/** A pair with nothing to do: no action, no intent row, its row as it was (or none, as before). */
function idle<L extends EngineLink, A extends EngineAction>(p: PairPlan<L, A>): boolean {
  return p.actions.length === 0 && p.pre === undefined && (p.after ?? undefined) === p.before;
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
