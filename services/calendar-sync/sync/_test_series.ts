// Test-only: a Graph series as Exchange would show it (master + instances in a window), built from
// the Graph request bodies our mapping writes, with occurrence writes applied by original start.
import { type GraphEvent, GraphEventSchema, type GraphEventWrite } from "./graph_event.ts";
import { normalisePattern, normaliseRange, patternStarts } from "./series.ts";
import { epochOf, graphTimeToLocal, ianaZone, localOf, normaliseLocal } from "./time_zone.ts";
import type { CalendarAction } from "./types.ts";

const utc = (local: string, zone: string) => new Date(epochOf(local, zone)).toISOString().slice(0, 19);

/** The master as Graph answers it (times in UTC unless all-day). */
export function graphMaster(body: GraphEventWrite, id = "master-1"): GraphEvent {
  const zone = ianaZone(body.start!.timeZone, "UTC");
  const time = (t: { dateTime: string }) =>
    body.isAllDay
      ? { dateTime: `${t.dateTime}.0000000`, timeZone: "UTC" }
      : { dateTime: `${utc(t.dateTime, zone)}.0000000`, timeZone: "UTC" };
  return GraphEventSchema.parse({
    ...body,
    id,
    type: body.recurrence ? "seriesMaster" : "singleInstance",
    start: time(body.start!),
    end: time(body.end!),
    originalStartTimeZone: body.start!.timeZone,
    originalEndTimeZone: body.end!.timeZone,
  });
}

/** Occurrences of the master in [from, to] (instants) with occurrence actions applied. */
export function graphInstances(
  master: GraphEvent,
  masterBody: GraphEventWrite,
  actions: readonly CalendarAction[],
  window: { start: string; end: string },
): GraphEvent[] {
  const rec = master.recurrence!;
  const zone = ianaZone(rec.range.recurrenceTimeZone ?? master.originalStartTimeZone, "UTC");
  const startLocal = normaliseLocal(masterBody.start!.dateTime);
  const endLocal = normaliseLocal(masterBody.end!.dateTime);
  const duration = Date.parse(`${endLocal}Z`) - Date.parse(`${startLocal}Z`);
  const series = {
    pattern: normalisePattern({
      ...rec.pattern,
      dayOfMonth: rec.pattern.dayOfMonth || null,
      month: rec.pattern.month || null,
    }),
    range: normaliseRange({ ...rec.range, numberOfOccurrences: rec.range.numberOfOccurrences || null }),
  };
  const from = localOf(Date.parse(window.start), zone);
  const to = localOf(Date.parse(window.end), zone);
  const byStart = new Map<string, GraphEvent>();
  for (const k of patternStarts(series, startLocal.slice(11), from, to)) {
    const end = new Date(Date.parse(`${k}Z`) + duration).toISOString().slice(0, 19);
    const t = (l: string) =>
      master.isAllDay ? { dateTime: l, timeZone: "UTC" } : { dateTime: utc(l, zone), timeZone: "UTC" };
    byStart.set(
      k,
      GraphEventSchema.parse({
        ...master,
        id: `occ-${k}`,
        type: "occurrence",
        recurrence: null,
        seriesMasterId: master.id,
        originalStart: new Date(epochOf(k, zone)).toISOString(),
        start: t(k),
        end: t(end),
      }),
    );
  }
  for (const a of actions) {
    if (a.kind === "cancelOccurrenceInGraph") byStart.delete(a.originalStart);
    if (a.kind === "updateOccurrenceInGraph") {
      const cur = byStart.get(a.originalStart);
      if (!cur) continue;
      const b = a.body;
      const t = (x: { dateTime: string; timeZone: string }) => {
        const l = graphTimeToLocal(x, zone);
        return master.isAllDay ? { dateTime: l, timeZone: "UTC" } : { dateTime: utc(l, zone), timeZone: "UTC" };
      };
      byStart.set(
        a.originalStart,
        GraphEventSchema.parse({
          ...cur,
          type: "exception",
          ...(b.subject !== undefined ? { subject: b.subject } : {}),
          ...(b.location ? { location: b.location } : {}),
          ...(b.body ? { body: b.body } : {}),
          ...(b.start ? { start: t(b.start) } : {}),
          ...(b.end ? { end: t(b.end) } : {}),
        }),
      );
    }
  }
  return [...byStart.values()];
}

/** Local wall clock of a Graph time in `zone` (helper for assertions). */
export function wall(t: { dateTime: string; timeZone: string }, zone: string): string {
  return graphTimeToLocal(t, zone);
}
