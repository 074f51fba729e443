/**
 * CRM appointment ⇄ canonical appointment (E2, E8, E11). Canonicalised once per run; the planner
 * compares only canonical records.
 * @module
 */
import type { AppointmentFields, AppointmentFieldsPatch, Series } from "@app/shared/contract";
import { normaliseException, normalisePattern, normaliseRange } from "./series.ts";
import { addDays, dateOf, epochOf, localMinutes, localOf, normaliseLocal } from "./time_zone.ts";
import type { CanonicalAppointment, CanonicalException, CanonicalSeries, When } from "./types.ts";

/** The canonical `when` of CRM start/end: timed in the start's zone, or all-day dates (end exclusive). */
export function crmWhen(a: Pick<AppointmentFields, "start" | "end" | "allDay">): When {
  const zone = a.start.timeZone;
  const start = normaliseLocal(a.start.dateTime);
  const endLocal = normaliseLocal(a.end.dateTime);
  const end = a.end.timeZone === zone ? endLocal : localOf(epochOf(endLocal, a.end.timeZone), zone);
  if (a.allDay) {
    const startDate = dateOf(start);
    const endDate = dateOf(end) > startDate ? dateOf(end) : addDays(startDate, 1);
    return { allDay: true, startDate, endDate, timeZone: zone };
  }
  return { allDay: false, start, end, timeZone: zone };
}

/** Start and end of a `when` as local wall clocks. */
export function whenBounds(w: When): { start: string; end: string } {
  return w.allDay ? { start: `${w.startDate}T00:00:00`, end: `${w.endDate}T00:00:00` } : w;
}

/** The canonical series of a CRM series (normalised pattern, range, exceptions by original start). */
export function crmSeriesToCanonical(
  s: Series,
  when: When,
  fields: { subject: string; location: string; description: string },
): CanonicalSeries {
  const b = whenBounds(when);
  const durationMinutes = localMinutes(b.start, b.end);
  const exceptions: Record<string, CanonicalException> = {};
  for (const e of s.exceptions) {
    const key = normaliseLocal(e.originalStart);
    const o = e.override;
    const n = normaliseException(
      {
        cancelled: e.cancelled,
        ...(o.subject !== undefined ? { subject: o.subject } : {}),
        ...(o.location !== undefined ? { location: o.location } : {}),
        ...(o.description !== undefined ? { description: o.description } : {}),
        ...(o.start !== undefined ? { start: normaliseLocal(o.start) } : {}),
        ...(o.end !== undefined ? { end: normaliseLocal(o.end) } : {}),
      },
      key,
      { ...fields, durationMinutes },
    );
    if (n) exceptions[key] = n;
  }
  return { pattern: normalisePattern(s.pattern), range: normaliseRange(s.range), exceptions: sortKeys(exceptions) };
}

/** Object with keys in sorted order, so equal records serialise equally. */
export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

/** A CRM appointment's fields as a canonical appointment. */
export function crmToCanonical(a: AppointmentFields): CanonicalAppointment {
  const when = crmWhen(a);
  const text = { subject: a.subject, location: a.location, description: a.description };
  return {
    ...text,
    when,
    reminderMinutes: a.reminderMinutes,
    private: a.private,
    cancelled: a.cancelled,
    contacts: [...a.contacts].map((c) => ({ contactId: c.contactId, optional: c.optional }))
      .sort((x, y) => x.contactId < y.contactId ? -1 : 1),
    resources: [...a.resources].sort((x, y) => x.id < y.id ? -1 : 1),
    series: a.series ? crmSeriesToCanonical(a.series, when, text) : null,
    organizerId: a.organizerId,
    participantIds: [...new Set(a.participantIds)].sort(),
    groupIds: [...new Set(a.groupIds)].sort(),
  };
}

/** CRM start/end of a `when`. */
function crmTimes(w: When): Pick<AppointmentFields, "start" | "end" | "allDay"> {
  const b = whenBounds(w);
  return {
    start: { dateTime: b.start, timeZone: w.timeZone },
    end: { dateTime: b.end, timeZone: w.timeZone },
    allDay: w.allDay,
  };
}

/** The CRM series of a canonical series. */
export function canonicalSeriesToCrm(s: CanonicalSeries): Series {
  return {
    pattern: s.pattern,
    range: s.range,
    exceptions: Object.entries(s.exceptions).map(([originalStart, e]) => ({
      originalStart,
      cancelled: e.cancelled,
      override: {
        ...(e.subject !== undefined ? { subject: e.subject } : {}),
        ...(e.location !== undefined ? { location: e.location } : {}),
        ...(e.description !== undefined ? { description: e.description } : {}),
        ...(e.start !== undefined ? { start: e.start } : {}),
        ...(e.end !== undefined ? { end: e.end } : {}),
      },
    })),
  };
}

/** CRM fields of a canonical appointment; the reminder is rounded to a CRM choice by the caller. */
export function canonicalToCrmFields(c: CanonicalAppointment, organizerId: string): AppointmentFields {
  return {
    subject: c.subject,
    location: c.location,
    description: c.description,
    ...crmTimes(c.when),
    organizerId,
    participantIds: c.participantIds,
    groupIds: c.groupIds,
    contacts: c.contacts,
    resources: c.resources,
    reminderMinutes: c.reminderMinutes,
    private: c.private,
    cancelled: c.cancelled,
    series: c.series ? canonicalSeriesToCrm(c.series) : null,
  };
}

/** The CRM patch for the given canonical fields (only those named). */
export function crmPatchOf(c: CanonicalAppointment, fields: readonly string[]): AppointmentFieldsPatch {
  const patch: AppointmentFieldsPatch = {};
  for (const f of fields) {
    if (f === "when") Object.assign(patch, crmTimes(c.when));
    else if (f === "series") patch.series = c.series ? canonicalSeriesToCrm(c.series) : null;
    else if (f === "participantIds") patch.participantIds = c.participantIds;
    else (patch as Record<string, unknown>)[f] = c[f as keyof CanonicalAppointment];
  }
  return patch;
}
