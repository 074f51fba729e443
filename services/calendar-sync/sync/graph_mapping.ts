/**
 * Graph event ⇄ canonical appointment (E2, E8, E9, E11). Parsing expects events already validated
 * by `GraphEventSchema`; writing builds ready request bodies.
 * @module
 */
import { bodyOf, type ContactDirectory, descriptionOfBody } from "./body.ts";
import { CRM_DETAILS_PROPERTY, CRM_ID_PROPERTY, type GraphEvent, type GraphEventWrite } from "./graph_event.ts";
import { normaliseException, normalisePattern, normaliseRange, patternStarts } from "./series.ts";
import { sortKeys, whenBounds } from "./crm_mapping.ts";
import {
  addLocalMinutes,
  dateOf,
  epochOf,
  graphTimeToLocal,
  ianaZone,
  localMinutes,
  localOf,
  normaliseLocal,
  windowsZone,
} from "./time_zone.ts";
import type { CanonicalAppointment, CanonicalException, CanonicalSeries, OutlookItem, When } from "./types.ts";

/** What Outlook cannot carry and the canonical record takes from the link or the CRM. */
export type CrmOnly = Pick<
  CanonicalAppointment,
  "contacts" | "resources" | "organizerId" | "participantIds" | "groupIds"
>;

/** Defaults for an event never seen in the CRM. */
export const NO_CRM_DETAILS: CrmOnly = {
  contacts: [],
  resources: [],
  organizerId: null,
  participantIds: [],
  groupIds: [],
};

/**
 * The zone an event is kept in: its original start zone (Windows or IANA), else `fallback`. A
 * `prefer`red IANA name (the link's or the CRM's) that Windows names the same wins, so a zone sent
 * as a Windows name comes back as the IANA name it left as (Asia/Kolkata, not Asia/Calcutta).
 */
export function eventZone(e: GraphEvent, fallback: string, prefer?: string): string {
  const zone = ianaZone(e.recurrence?.range.recurrenceTimeZone ?? e.originalStartTimeZone ?? null, "") ||
    ianaZone(e.start.timeZone === "UTC" ? null : e.start.timeZone, fallback);
  return prefer && prefer !== zone && windowsZone(prefer) === windowsZone(zone) ? prefer : zone;
}

/** The canonical `when` of an event. All-day dates are read as dates and never converted (E11). */
export function graphWhen(e: Pick<GraphEvent, "start" | "end" | "isAllDay">, zone: string): When {
  if (e.isAllDay) {
    const startDate = dateOf(normaliseLocal(e.start.dateTime));
    const endDate = dateOf(normaliseLocal(e.end.dateTime));
    return { allDay: true, startDate, endDate: endDate > startDate ? endDate : startDate, timeZone: zone };
  }
  return { allDay: false, start: graphTimeToLocal(e.start, zone), end: graphTimeToLocal(e.end, zone), timeZone: zone };
}

/** Graph's `originalStart` (UTC instant) as the local original start in the series' zone. */
export function originalStartOf(e: GraphEvent, zone: string, allDay: boolean): string | undefined {
  if (!e.originalStart) return undefined;
  const local = localOf(Date.parse(e.originalStart), zone);
  return allDay ? `${local.slice(0, 10)}T00:00:00` : local;
}

/**
 * The canonical series of a master and its in-window instances. Only occurrences inside `window`
 * are compared (E8): exceptions outside it are taken from `outside` (the link's snapshot).
 */
export function graphSeriesToCanonical(
  item: OutlookItem,
  when: When,
  fields: { subject: string; location: string; description: string },
  window: { start: string; end: string },
  outside: CanonicalSeries | null,
): CanonicalSeries | null {
  const rec = item.event.recurrence;
  if (!rec) return null;
  const zone = when.timeZone;
  const pattern = normalisePattern({
    ...rec.pattern,
    dayOfMonth: rec.pattern.dayOfMonth || null,
    month: rec.pattern.month || null,
  });
  const range = normaliseRange({
    ...rec.range,
    endDate: rec.range.endDate,
    numberOfOccurrences: rec.range.numberOfOccurrences || null,
  });
  const b = whenBounds(when);
  const durationMinutes = localMinutes(b.start, b.end);
  const from = localOf(Date.parse(window.start), zone);
  const to = localOf(Date.parse(window.end), zone);
  const inWindow = (k: string) => k >= from && k <= to;
  const exceptions: Record<string, CanonicalException> = {};
  for (const [k, e] of Object.entries(outside?.exceptions ?? {})) if (!inWindow(k)) exceptions[k] = e;
  const seen = new Map<string, GraphEvent>();
  for (const inst of item.instances) {
    const k = originalStartOf(inst, zone, when.allDay);
    if (k) seen.set(k, inst);
  }
  for (const k of patternStarts({ pattern, range }, b.start.slice(11), from, to)) {
    const inst = seen.get(k);
    if (!inst || inst.isCancelled) {
      exceptions[k] = { cancelled: true };
      continue;
    }
    if (inst.type !== "exception") continue;
    const w = graphWhen(inst, zone);
    const wb = whenBounds(w);
    const n = normaliseException(
      {
        cancelled: false,
        subject: inst.subject ?? "",
        location: inst.location?.displayName ?? "",
        description: descriptionOfBody(inst.body),
        start: wb.start,
        end: wb.end,
      },
      k,
      { ...fields, durationMinutes },
    );
    if (n) exceptions[k] = n;
  }
  return { pattern, range, exceptions: sortKeys(exceptions) };
}

/** An Outlook item as a canonical appointment; CRM-only parts come from `crm` (link or CRM). */
export function graphToCanonical(
  item: OutlookItem,
  ctx: {
    fallbackZone: string;
    /** The zone the link (or the CRM) knows this appointment in. */
    preferZone?: string;
    window: { start: string; end: string };
    crm: CrmOnly;
    baseSeries: CanonicalSeries | null;
  },
): CanonicalAppointment {
  const e = item.event;
  const zone = eventZone(e, ctx.fallbackZone, ctx.preferZone);
  const when = graphWhen(e, zone);
  const text = {
    subject: e.subject ?? "",
    location: e.location?.displayName ?? "",
    description: descriptionOfBody(e.body),
  };
  return {
    ...text,
    when,
    reminderMinutes: e.isReminderOn ? e.reminderMinutesBeforeStart ?? 15 : null,
    private: e.sensitivity !== "normal",
    cancelled: e.isCancelled,
    ...ctx.crm,
    series: graphSeriesToCanonical(item, when, text, ctx.window, ctx.baseSeries),
  };
}

function graphTime(local: string, zone: string): { dateTime: string; timeZone: string } {
  return { dateTime: local, timeZone: windowsZone(zone) };
}

/** The Graph recurrence of a canonical series (Graph's vocabulary, zone as a Windows name). */
export function graphRecurrenceOf(s: CanonicalSeries, zone: string): NonNullable<GraphEventWrite["recurrence"]> {
  const p = s.pattern;
  const pattern: Record<string, unknown> = { type: p.type, interval: p.interval };
  if (p.daysOfWeek.length) pattern.daysOfWeek = p.daysOfWeek;
  if (p.dayOfMonth !== undefined) pattern.dayOfMonth = p.dayOfMonth;
  if (p.month !== undefined) pattern.month = p.month;
  if (p.type === "relativeMonthly" || p.type === "relativeYearly") pattern.index = p.index;
  if (p.type === "weekly") pattern.firstDayOfWeek = p.firstDayOfWeek;
  return { pattern, range: { ...s.range, recurrenceTimeZone: windowsZone(zone) } };
}

/** Which parts of a Graph body to write. */
export type GraphPart = "subject" | "body" | "location" | "when" | "reminder" | "sensitivity" | "recurrence";

/** Everything a Graph write needs beyond the canonical record. */
export interface GraphWriteContext {
  crmId: string;
  directory: ContactDirectory;
}

/** A Graph request body with the named parts of `c` (all of them for a create). */
export function graphBodyOf(
  c: CanonicalAppointment,
  parts: readonly GraphPart[],
  ctx: GraphWriteContext,
): GraphEventWrite {
  const out: GraphEventWrite = {};
  const zone = c.when.timeZone;
  for (const part of parts) {
    if (part === "subject") out.subject = c.subject;
    if (part === "location") out.location = { displayName: c.location };
    if (part === "body") {
      out.body = { contentType: "text", content: bodyOf(c.description, c.contacts, c.resources, ctx.directory) };
      out.singleValueExtendedProperties = [
        { id: CRM_ID_PROPERTY, value: ctx.crmId },
        { id: CRM_DETAILS_PROPERTY, value: JSON.stringify({ v: 1, contacts: c.contacts, resources: c.resources }) },
      ];
    }
    if (part === "when") {
      const b = whenBounds(c.when);
      out.start = graphTime(b.start, zone);
      out.end = graphTime(b.end, zone);
      out.isAllDay = c.when.allDay;
    }
    if (part === "reminder") {
      out.isReminderOn = c.reminderMinutes !== null;
      if (c.reminderMinutes !== null) out.reminderMinutesBeforeStart = c.reminderMinutes;
    }
    if (part === "sensitivity") out.sensitivity = c.private ? "private" : "normal";
    if (part === "recurrence") out.recurrence = c.series ? graphRecurrenceOf(c.series, zone) : null;
  }
  return out;
}

/** The body of one modified occurrence: every field of the occurrence as the target wants it. */
export function graphOccurrenceBody(
  c: CanonicalAppointment,
  originalStart: string,
  e: CanonicalException | undefined,
  directory: ContactDirectory,
): GraphEventWrite {
  const b = whenBounds(c.when);
  const duration = localMinutes(b.start, b.end);
  const start = e?.start ?? originalStart;
  const end = e?.end ?? addLocalMinutes(originalStart, duration);
  return {
    subject: e?.subject ?? c.subject,
    location: { displayName: e?.location ?? c.location },
    body: { contentType: "text", content: bodyOf(e?.description ?? c.description, c.contacts, c.resources, directory) },
    start: graphTime(start, c.when.timeZone),
    end: graphTime(end, c.when.timeZone),
  };
}

/** The instant (ms) an appointment starts, for the window and E10 "starts in the future". */
export function startEpoch(c: CanonicalAppointment): number {
  const b = whenBounds(c.when);
  return epochOf(b.start, c.when.timeZone);
}

/** The instant (ms) an appointment (or its series) ends, for the window (E3). */
export function endEpoch(c: CanonicalAppointment): number {
  if (c.series) {
    if (c.series.range.type === "noEnd") return Number.MAX_SAFE_INTEGER;
    if (c.series.range.type === "endDate") return epochOf(`${c.series.range.endDate}T23:59:59`, c.when.timeZone);
    return Number.MAX_SAFE_INTEGER; // numbered: bounded by expansion; treat as open for scope
  }
  const b = whenBounds(c.when);
  return epochOf(b.end, c.when.timeZone);
}
