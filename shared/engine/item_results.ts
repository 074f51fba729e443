// Every kind's remote writes end in the engine's one error vocabulary (ItemError): these helpers
// are the one place a typed error — a CRM reply, a whole `$batch`, one `$batch` item — becomes one.
import { AppError, ConflictError, NotFoundError, RetryableError } from "../errors/mod.ts";
import { GraphThrottledError, ItemChangedError } from "../graph/errors.ts";
import type { BatchOutcome } from "../graph/batch.ts";
import type { ActionExecutor, EngineAction, ExecItem, ItemError, ItemResult } from "./kind.ts";

/** One CRM write as an item result: a typed error is the item's failure; anything else is thrown. */
async function crmResult(call: () => Promise<unknown>): Promise<ItemResult> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { ok: false, error: itemErrorOf(err) };
  }
}

/** A `$batch` that failed as a whole fails every item in it. */
async function graphResults(n: number, call: () => Promise<ItemResult[]>): Promise<ItemResult[]> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const error = itemErrorOf(err);
    return Array.from({ length: n }, () => ({ ok: false, error }));
  }
}

/** A typed error as an item error: the one place CRM and whole-batch failures are classified. */
function itemErrorOf(err: AppError): ItemError {
  if (err instanceof RetryableError) return { kind: "throttled", retryAfterMs: err.retryAfterMs, message: err.message };
  if (err instanceof NotFoundError) return { kind: "gone", message: err.message };
  if (err instanceof ConflictError) return { kind: "conflict", message: err.message };
  return { kind: "failed", status: err.status, message: err.message };
}

/** One failed item of a Graph `$batch` as an item result. */
export function batchItemFailed(o: Extract<BatchOutcome, { ok: false }>): { ok: false; error: ItemError } {
  return { ok: false, error: graphItemError(o.error, o.status) };
}

/** Maps a Graph failure (with its HTTP status) to the engine's vocabulary, once, at the boundary. */
function graphItemError(err: AppError, status: number): ItemError {
  if (err instanceof GraphThrottledError) {
    return { kind: "throttled", retryAfterMs: err.retryAfterMs, message: err.message };
  }
  if (err instanceof ItemChangedError) return { kind: "conflict", message: err.message };
  if (err instanceof NotFoundError) return { kind: "gone", message: err.message };
  return { kind: "failed", status, message: err.message };
}

/** An executor of CRM writes: one item per call, each item's typed error its own result. */
export function crmExecutor<A extends EngineAction>(
  call: (action: A) => Promise<unknown>,
  goneIsDone = false,
): ActionExecutor<A> {
  return {
    side: "crm",
    batchSize: 1,
    goneIsDone,
    run: async (items) => {
      const out: ItemResult[] = [];
      for (const { action } of items) out.push(await crmResult(() => call(action)));
      return out;
    },
  };
}

/** An executor of Outlook writes: up to `batchSize` items in one `$batch`, whose failure fails them all. */
export function graphExecutor<A extends EngineAction>(
  batchSize: number,
  call: (items: readonly ExecItem<A>[]) => Promise<ItemResult[]>,
  extra: Partial<ActionExecutor<A>> = {},
): ActionExecutor<A> {
  return {
    side: "outlook",
    batchSize,
    ...extra,
    run: (items) => graphResults(items.length, () => call(items)),
  };
}
