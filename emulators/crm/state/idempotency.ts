import { ConflictError } from "@app/shared/errors";
import { type Changed, stableStringify, type TenantData } from "./model.ts";

/** Keys kept per tenant; the oldest are forgotten first (a real CRM keeps them for a day or more). */
export const MAX_IDEMPOTENCY_KEYS = 200_000;

/** A change, or the replay of an earlier one. */
export type Idempotent<T> = Changed<T> & { replayed: boolean };

/**
 * Runs `apply` once per idempotency key and tenant. A retry with the same key and the same request
 * gets the first reply and changes nothing; the same key with another request (or on another
 * subject) is an `idempotency_conflict`. A request that failed consumed nothing: it changed
 * nothing, so it may be retried with its key.
 */
export function runIdempotent<T>(
  t: TenantData,
  rpc: string,
  request: { idempotencyKey: string },
  apply: () => Changed<T>,
  now: Date,
): Idempotent<T> {
  const { idempotencyKey: key, ...body } = request;
  const fingerprint = stableStringify({ rpc, body });
  const seen = t.idempotency.get(key);
  if (seen) {
    if (seen.fingerprint !== fingerprint) {
      throw new ConflictError(
        "idempotency_conflict",
        `idempotency key "${key}" was used on ${seen.at} for ${
          seen.rpc === rpc ? "a different request body" : `another request (${seen.rpc})`
        }; use a new key for a new request`,
      );
    }
    return { value: seen.reply as T, events: [], replayed: true };
  }
  const changed = apply();
  t.idempotency.set(key, { rpc, fingerprint, reply: changed.value, at: now.toISOString() });
  if (t.idempotency.size > MAX_IDEMPOTENCY_KEYS) {
    const oldest = t.idempotency.keys().next().value;
    if (oldest !== undefined) t.idempotency.delete(oldest);
  }
  return { ...changed, replayed: false };
}
