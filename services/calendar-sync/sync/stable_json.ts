/**
 * JSON with object keys sorted at every level, so records compare equal whatever order a store
 * (Postgres jsonb) or a side gave their keys in; `undefined` members are left out as JSON does.
 * @module
 */

/** Key-order-independent JSON text of a value. */
export function stableJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
        : v,
  );
}

/** Whether two values are equal as JSON, whatever their key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}
