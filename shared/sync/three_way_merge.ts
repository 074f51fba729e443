import type { ConflictPolicy } from "../contract/tenant.ts";

/** Which side a field's value was taken from when both sides changed it differently. */
export type SyncSide = "crm" | "outlook";

/** A field changed differently on both sides since the last sync, and how it was resolved (C9). */
export interface FieldConflict {
  field: string;
  base: unknown;
  crm: unknown;
  outlook: unknown;
  winner: SyncSide;
}

/** Result of {@link mergeThreeWay}: the merged record and what happened per field. */
export interface MergeResult<T> {
  merged: T;
  /** Fields whose merged value differs from the CRM's current value (the CRM needs a write). */
  crmNeedsUpdate: boolean;
  /** Fields whose merged value differs from Outlook's current value (Outlook needs a write). */
  outlookNeedsUpdate: boolean;
  conflicts: FieldConflict[];
}

/** Options of {@link mergeThreeWay}. */
export interface MergeOptions<T> {
  /** Resolves a field changed differently on both sides (C9). */
  policy: ConflictPolicy;
  /** Field equality; defaults to structural equality of JSON values. */
  equals?: (field: keyof T & string, a: unknown, b: unknown) => boolean;
}

/**
 * Field-level three-way merge against the last synced record (C9). A field changed on one side
 * takes that side's value; changed identically on both is fine; changed differently on both is a
 * conflict resolved by `policy` and returned, never thrown. Pass an empty record as `base` to
 * merge two records that were never synced: a value present on one side only then wins.
 *
 * @example Usage
 * ```ts
 * const r = mergeThreeWay({ a: 1, b: 1 }, { a: 2, b: 1 }, { a: 1, b: 3 }, { policy: "crm-wins" });
 * // r.merged is { a: 2, b: 3 }, r.conflicts is []
 * ```
 */
export function mergeThreeWay<T extends object>(
  base: T,
  crm: T,
  outlook: T,
  options: MergeOptions<T>,
): MergeResult<T> {
  const equals = options.equals ?? ((_f, a, b) => jsonEquals(a, b));
  const merged: Record<string, unknown> = {};
  const conflicts: FieldConflict[] = [];
  let crmNeedsUpdate = false;
  let outlookNeedsUpdate = false;
  for (const field of Object.keys(base) as (keyof T & string)[]) {
    const b = base[field], c = crm[field], o = outlook[field];
    let value: unknown;
    if (equals(field, c, o)) value = c;
    else if (equals(field, b, c)) value = o;
    else if (equals(field, b, o)) value = c;
    else {
      const winner: SyncSide = options.policy === "outlook-wins" ? "outlook" : "crm";
      value = winner === "crm" ? c : o;
      conflicts.push({ field, base: b, crm: c, outlook: o, winner });
    }
    merged[field] = value;
    if (!equals(field, value, c)) crmNeedsUpdate = true;
    if (!equals(field, value, o)) outlookNeedsUpdate = true;
  }
  return { merged: merged as T, crmNeedsUpdate, outlookNeedsUpdate, conflicts };
}

/** Structural equality of JSON-like values (plain objects, arrays, primitives, null). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEquals(v, bb[i]));
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ob = b as Record<string, unknown>, oa = a as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(ob, k) && jsonEquals(oa[k], ob[k]));
}
