import { GraphError } from "@microsoft/microsoft-graph-client";
import { DeltaExpiredError } from "../sync/errors.ts";
import { AppError, NotFoundError, RetryableError, UnauthorizedError, UpstreamError } from "../errors/mod.ts";

export { DeltaExpiredError };

/** Graph refused a write because the item changed since we read it (412 ErrorIrresolvableConflict). */
export class ItemChangedError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("item_changed", 412, message, options);
  }
}

/** Graph throttled the request (429) or was unavailable (503/504); try again after `retryAfterMs`. */
export class GraphThrottledError extends RetryableError {}

/**
 * Retry-After in milliseconds from response headers (lower-case keys), as HTTP defines it: whole
 * seconds (`Retry-After: 3`) or an HTTP-date. Graph sends nothing finer, so neither does anything
 * else we talk to; `undefined` when absent or unreadable (callers fall back to their own backoff).
 */
export function retryAfterMsFrom(get: (name: string) => string | null | undefined): number | undefined {
  const header = get("retry-after")?.trim();
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const date = /^[a-z]{3}, /i.test(header) ? Date.parse(header) : NaN; // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** What a Graph error status and body mean to the engines, as a typed error. */
export function graphErrorFrom(
  status: number,
  code: string | undefined,
  message: string,
  retryAfterMs?: number,
  cause?: unknown,
): AppError {
  const text = `Graph ${status}${code ? ` ${code}` : ""}: ${message}`;
  if (status === 410 || /syncstatenotfound|resyncrequired/i.test(code ?? "")) {
    return new DeltaExpiredError(text, { cause });
  }
  if (status === 412) return new ItemChangedError(text, { cause });
  if (status === 404) return new NotFoundError(text, { cause });
  if (status === 401) return new UnauthorizedError(text, { cause });
  if (status === 429 || status === 503 || status === 504) {
    return new GraphThrottledError(text, retryAfterMs ?? 5_000, { cause });
  }
  return new UpstreamError(`graph_${status}`, text, { cause });
}

/** Converts whatever the graph-client threw into a typed error (non-Graph errors become retryable). */
export function toGraphError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof GraphError) {
    const retryAfter = retryAfterMsFrom((n) => err.headers?.get(n));
    return graphErrorFrom(err.statusCode, err.code ?? undefined, err.message, retryAfter, err);
  }
  // Network failures (reset connections, DNS) are worth another try.
  return new RetryableError(`Graph request failed: ${err instanceof Error ? err.message : String(err)}`, 2_000, {
    cause: err,
  });
}
