/** A pair of a stored group with its probability and reasons (contacts: per field; appointments: per aspect). */
export interface StoredGroupPair {
  a: string;
  b: string;
  probability: number;
  reasons: Array<{ field: string; level: string; weight: number; text: string }>;
}

/** A group as a scan proposes it, before it is stored. */
export interface ProposedGroup {
  kind: "contact" | "appointment";
  source: "model" | "links";
  recordIds: string[];
  score: number;
  pairs: StoredGroupPair[];
  fingerprints: Record<string, string>;
}

/** An ISO instant (Postgres hands timestamps back as `2026-11-29 14:52:37.594+00`). */
export function iso(t: string): string;
export function iso(t: string | null): string | null;
export function iso(t: string | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}
