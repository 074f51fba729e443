// calendarView delta (graph-facts §2.3): the window is fixed in the token chain; rounds list
// single instances, occurrences and exceptions (no masters); instances that left the window or
// were deleted, and events changed outside the window, come as `@removed {"reason":"deleted"}`.
// Each round diffs the instances now visible against those the previous round ended with.
import type { ChangeLog } from "../state/change_log.ts";
import { occurrenceId } from "./event_ids.ts";
import { calendarView, type EventItem, type EventView } from "./instances.ts";
import type { Window } from "./recurrence.ts";

/** What a round remembers of one visible instance. */
export interface SeenInstance {
  changeKey: string;
  itemId: string;
  immutableId: string;
  originalStartMs?: number;
}

/** One entry of a round's answer, rendered when its page is served. */
export type DeltaEntry =
  | { kind: "item"; key: string }
  | { kind: "removed"; itemId: string; immutableId: string; originalStartMs?: number };

/** State carried by a skip token (more pages of this round) or a delta token (next round). */
export interface DeltaState {
  windowStart: string;
  windowEnd: string;
  /** Instances visible when the round started, keyed by {@link instanceKey}. */
  seen: Record<string, SeenInstance>;
  /** Change-log position when the round started. */
  seq: number;
  /** Entries still to serve (skip tokens only). */
  pending?: DeltaEntry[];
}

/** Stable key of an instance: immutable id, plus the original start for occurrences. */
export function instanceKey(item: { immutableId: string }, originalStartMs?: number): string {
  return originalStartMs === undefined ? item.immutableId : `${item.immutableId}#${originalStartMs}`;
}

/**
 * Starts a round: the entries to report and the state the round ends with. `previous` is the
 * state of the delta token the client sent (undefined for an initial request).
 */
export function startRound(
  items: EventItem[],
  folderId: string,
  changes: ChangeLog,
  window: Window,
  previous: DeltaState | undefined,
): { entries: DeltaEntry[]; end: DeltaState } {
  const seen: Record<string, SeenInstance> = {};
  for (const v of calendarView(items, window)) {
    seen[instanceKey(v.item, v.originalStartMs)] = {
      changeKey: v.item.changeKey,
      itemId: v.item.id,
      immutableId: v.item.immutableId,
      originalStartMs: v.originalStartMs,
    };
  }
  const end: DeltaState = {
    windowStart: window.start.toString(),
    windowEnd: window.end.toString(),
    seen,
    seq: changes.head,
  };
  const entries: DeltaEntry[] = [];
  const old = previous?.seen ?? {};
  for (const [key, now] of Object.entries(seen)) {
    if (old[key]?.changeKey !== now.changeKey) entries.push({ kind: "item", key });
  }
  if (!previous) return { entries, end };
  const reported = new Set<string>();
  for (const [key, was] of Object.entries(old)) {
    if (seen[key]) continue;
    entries.push({
      kind: "removed",
      itemId: was.itemId,
      immutableId: was.immutableId,
      originalStartMs: was.originalStartMs,
    });
    reported.add(was.immutableId);
  }
  // Events added, changed or deleted outside the window since the last round (event-delta.md).
  const visible = new Set(Object.values(seen).map((s) => s.immutableId));
  for (const change of changes.since(previous.seq)) {
    if (change.kind !== "event" || (change.folderId !== folderId && change.previousFolderId !== folderId)) continue;
    if (visible.has(change.immutableId) || reported.has(change.immutableId)) continue;
    reported.add(change.immutableId);
    entries.push({ kind: "removed", itemId: change.id, immutableId: change.immutableId });
  }
  return { entries, end };
}

/** The view an item entry names now; `undefined` when it has vanished since the round began. */
export function entryView(key: string, find: (immutableId: string) => EventItem | undefined, window: Window) {
  const [immutableId, start] = key.split("#") as [string, string | undefined];
  const item = find(immutableId);
  if (!item) return undefined;
  const views: EventView[] = calendarView([item], window);
  return views.find((v) => v.originalStartMs === (start === undefined ? undefined : Number(start)));
}

/** The `@removed` entry Graph writes, with the id in the form the request asked for. */
export function removedEntry(
  e: { itemId: string; immutableId: string; originalStartMs?: number },
  immutableIds: boolean,
): Record<string, unknown> {
  const base = immutableIds ? e.immutableId : e.itemId;
  const id = e.originalStartMs === undefined
    ? base
    : occurrenceId(base, Temporal.Instant.fromEpochMilliseconds(e.originalStartMs));
  return { "@odata.type": "#microsoft.graph.event", id, "@removed": { reason: "deleted" } };
}
