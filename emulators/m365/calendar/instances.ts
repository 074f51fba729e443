// Views of stored events as Graph lists them: single instances and series masters as stored;
// occurrences expanded from the master's pattern for a window; exceptions as the master's
// occurrence plus its overrides; cancelled occurrences left out.
import type { OutlookItem } from "../state/items.ts";
import type { EventCore, EventProps } from "./event_model.ts";
import { expandOccurrences, findOccurrence, type Series, type Window } from "./recurrence.ts";
import { instantToDateTimeTimeZone, requireZone } from "./time.ts";

export type EventItem = OutlookItem<EventProps>;
export type EventType = "singleInstance" | "seriesMaster" | "occurrence" | "exception";

/** One event as a client sees it. */
export interface EventView {
  /** The stored item: the event itself, or the series master of an occurrence/exception. */
  item: EventItem;
  type: EventType;
  /** Effective properties (an occurrence's times, an exception's overrides applied). */
  core: EventCore;
  /** For occurrences and exceptions: the original start (epoch ms), their identity in the series. */
  originalStartMs?: number;
}

/** The view of a stored single instance or series master. */
export function itemView(item: EventItem): EventView {
  return { item, type: item.props.type, core: item.props };
}

/** The recurrence engine's view of a master. */
export function seriesOf(props: EventProps): Series {
  return {
    recurrence: props.recurrence!,
    start: Temporal.Instant.fromEpochMilliseconds(props.startMs),
    end: Temporal.Instant.fromEpochMilliseconds(props.endMs),
    startZone: requireZone(props.start.timeZone),
  };
}

/** The occurrence (or exception) at an original start; `undefined` if none or cancelled. */
export function occurrenceView(item: EventItem, originalStartMs: number): EventView | undefined {
  const p = item.props;
  if (p.type !== "seriesMaster" || p.cancelled.includes(originalStartMs)) return undefined;
  const occ = findOccurrence(seriesOf(p), Temporal.Instant.fromEpochMilliseconds(originalStartMs));
  if (!occ) return undefined;
  return makeView(item, originalStartMs, occ.start, occ.end);
}

/**
 * Occurrences and exceptions of a master overlapping the window (start < end bound, end >
 * start bound), without cancelled ones, in start order.
 */
export function instancesIn(item: EventItem, window: Window): EventView[] {
  const p = item.props;
  if (p.type !== "seriesMaster") return [];
  const out: EventView[] = [];
  for (const occ of cachedExpansion(item, window)) {
    const key = occ.originalStart.epochMilliseconds;
    if (p.cancelled.includes(key) || p.exceptions[String(key)]) continue;
    out.push(makeView(item, key, occ.start, occ.end));
  }
  // Exceptions may have moved into or out of the window, so they are checked one by one.
  for (const key of Object.keys(p.exceptions)) {
    const view = occurrenceView(item, Number(key));
    if (view && overlaps(view.core, window)) out.push(view);
  }
  return out.sort(byStart);
}

/** Everything a calendar view shows for these items: singles, occurrences and exceptions. */
export function calendarView(items: Iterable<EventItem>, window: Window): EventView[] {
  const out: EventView[] = [];
  for (const item of items) {
    if (item.props.type === "seriesMaster") out.push(...instancesIn(item, window));
    else if (overlaps(item.props, window)) out.push(itemView(item));
  }
  return out.sort(byStart);
}

// Delta rounds and repeated views expand the same series over the same window; the change key
// in the cache key drops an entry as soon as the series changes.
const expansions = new Map<string, ReturnType<typeof expandOccurrences>>();

function cachedExpansion(item: EventItem, window: Window) {
  const key = `${item.immutableId}|${item.changeKey}|${window.start}|${window.end}`;
  let hit = expansions.get(key);
  if (!hit) {
    if (expansions.size >= 5000) expansions.clear();
    hit = expandOccurrences(seriesOf(item.props), window);
    expansions.set(key, hit);
  }
  return hit;
}

/** Graph's overlap rule for views; a zero-length event counts when it starts inside. */
export function overlaps(core: { startMs: number; endMs: number }, w: Window): boolean {
  const ws = w.start.epochMilliseconds;
  const we = w.end.epochMilliseconds;
  if (core.startMs === core.endMs) return core.startMs >= ws && core.startMs < we;
  return core.startMs < we && core.endMs > ws;
}

function makeView(item: EventItem, key: number, start: Temporal.Instant, end: Temporal.Instant): EventView {
  const p = item.props;
  // Shallow: views are read-only; writers deep-copy (copyCore) before changing anything.
  const core: EventCore = { ...p };
  core.start = instantToDateTimeTimeZone(start, requireZone(p.start.timeZone));
  core.end = instantToDateTimeTimeZone(end, requireZone(p.end.timeZone));
  core.startMs = start.epochMilliseconds;
  core.endMs = end.epochMilliseconds;
  const exception = p.exceptions[String(key)];
  if (exception) Object.assign(core, exception.overrides);
  return { item, type: exception ? "exception" : "occurrence", core, originalStartMs: key };
}

function byStart(a: EventView, b: EventView): number {
  return a.core.startMs - b.core.startMs || a.core.endMs - b.core.endMs;
}
