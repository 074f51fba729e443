import { ValidationError } from "@app/shared/errors";

/** One page of a listing and the cursor of the next (`null` on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// Cursors are opaque to callers: base64url of `{"after": <creation sequence>}`. Positions, not
// offsets, so records created or deleted between pages neither repeat nor hide others.
function encodeCursor(after: number): string {
  return btoa(JSON.stringify({ after })).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeCursor(cursor: string): number {
  try {
    const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const after = (JSON.parse(json) as { after?: unknown }).after;
    if (typeof after === "number" && Number.isInteger(after) && after >= 0) return after;
  } catch {
    // fall through
  }
  throw new ValidationError("cursor: not a cursor this CRM returned", [
    { path: "cursor", message: "not a cursor this CRM returned" },
  ]);
}

/**
 * Pages `records` (in creation order) that pass `keep`, starting after `cursor`. `seqOf` gives each
 * record's creation sequence.
 */
export function pageOf<T extends { id: string }>(
  records: Iterable<T>,
  seqOf: (id: string) => number,
  o: { cursor: string | null; limit: number; keep: (r: T) => boolean },
): Page<T> {
  const after = o.cursor === null ? 0 : decodeCursor(o.cursor);
  const items: T[] = [];
  let more = false;
  for (const r of records) {
    if (seqOf(r.id) <= after || !o.keep(r)) continue;
    if (items.length === o.limit) {
      more = true;
      break;
    }
    items.push(r);
  }
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor(seqOf(last.id)) : null };
}
