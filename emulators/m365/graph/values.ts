// Primitive values as Graph's OData JSON reader accepts them in request bodies.

/**
 * An Int32 property as Graph's OData reader takes it: a JSON integer or a string of digits
 * (`"reminderMinutesBeforeStart": "0"`); `undefined` for anything else, so callers give their own error.
 */
export function int32From(v: unknown): number | undefined {
  const n = typeof v === "string" && /^\s*-?\d{1,10}\s*$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 ? n : undefined;
}
