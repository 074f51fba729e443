/**
 * Turns "Outlook must hold `target`" into Graph actions: one PATCH of the changed parts, occurrence
 * writes by original start (E8), delete + create when a single becomes a series or back, and
 * creates with a transactionId, our stamp and — only where E10 allows — real attendees.
 * @module
 */
import { graphBodyOf, graphOccurrenceBody, type GraphPart } from "./graph_mapping.ts";
import { ruleOf } from "./merge.ts";
import { sameJson } from "./stable_json.ts";
import type { ContactDirectory } from "./body.ts";
import type { GraphEventWrite } from "./graph_event.ts";
import { CRM_ID_PROPERTY } from "./graph_event.ts";
import type { CalendarAction, CanonicalAppointment, SyncedField } from "./types.ts";

/** Every part of an event, for creates. */
export const ALL_PARTS: readonly GraphPart[] = [
  "subject",
  "body",
  "location",
  "when",
  "reminder",
  "sensitivity",
  "recurrence",
];

const PART_OF: Partial<Record<SyncedField, GraphPart>> = {
  subject: "subject",
  location: "location",
  description: "body",
  contacts: "body",
  resources: "body",
  when: "when",
  reminderMinutes: "reminder",
  private: "sensitivity",
};

/** A note for the status about one pair's series (E8). */
export interface SeriesNote {
  code: "series_exceptions_rewritten" | "occurrence_cannot_be_restored";
  message: string;
}

/** The attendees E9/E10 allow: contacts and resource mailboxes, never colleagues (E12). */
export function attendeesOf(
  c: CanonicalAppointment,
  directory: ContactDirectory,
): NonNullable<GraphEventWrite["attendees"]> {
  const out: NonNullable<GraphEventWrite["attendees"]> = [];
  for (const k of c.contacts) {
    const who = directory.get(k.contactId);
    if (who?.email) {
      out.push({ emailAddress: { address: who.email, name: who.name }, type: k.optional ? "optional" : "required" });
    }
  }
  for (const r of c.resources) {
    if (r.email) out.push({ emailAddress: { address: r.email, name: r.name }, type: "resource" });
  }
  return out;
}

/** Actions creating `target` in Outlook: the event, then its exceptions (master id from the create). */
export function createActions(
  target: CanonicalAppointment,
  o: { crmId: string; transactionId: string; withAttendees: boolean; directory: ContactDirectory },
): CalendarAction[] {
  const body = graphBodyOf(target, ALL_PARTS, { crmId: o.crmId, directory: o.directory });
  body.transactionId = o.transactionId;
  if (o.withAttendees) body.attendees = attendeesOf(target, o.directory);
  const actions: CalendarAction[] = [
    { kind: "createInGraph", crmId: o.crmId, transactionId: o.transactionId, withAttendees: o.withAttendees, body },
  ];
  return [...actions, ...occurrenceActions(target, null, null, o.directory, {}).actions];
}

/** Occurrence writes making Outlook's exceptions (`current`) those of `target`. */
export function occurrenceActions(
  target: CanonicalAppointment,
  current: CanonicalAppointment | null,
  seriesMasterId: string | null,
  directory: ContactDirectory,
  occurrenceIds: Record<string, string>,
): { actions: CalendarAction[]; notes: SeriesNote[]; unrestorable: string[] } {
  const actions: CalendarAction[] = [];
  const notes: SeriesNote[] = [];
  const unrestorable: string[] = [];
  if (!target.series) return { actions, notes, unrestorable };
  const want = target.series.exceptions;
  const have = current?.series?.exceptions ?? {};
  const zone = target.when.timeZone;
  for (const k of [...new Set([...Object.keys(want), ...Object.keys(have)])].sort()) {
    const w = want[k];
    const h = have[k];
    if (sameJson(w, h)) continue;
    const occurrenceId = occurrenceIds[k];
    const ids = { seriesMasterId, originalStart: k, timeZone: zone, ...(occurrenceId ? { occurrenceId } : {}) };
    if (w?.cancelled) actions.push({ kind: "cancelOccurrenceInGraph", ...ids });
    else if (h?.cancelled) {
      unrestorable.push(k);
      notes.push({
        code: "occurrence_cannot_be_restored",
        message: `the occurrence of ${k} was deleted in Outlook; Graph cannot restore a deleted occurrence`,
      });
    } else {actions.push({
        kind: "updateOccurrenceInGraph",
        ...ids,
        body: graphOccurrenceBody(target, k, w, directory),
      });}
  }
  return { actions, notes, unrestorable };
}

/**
 * Actions making Outlook's event `current` (id `graphId`) hold `target`, for the fields a merge
 * named. A change of the series rule or of a series' time makes Exchange drop the exceptions, so
 * they are all written again and the status says so.
 */
export function updateActions(
  target: CanonicalAppointment,
  current: CanonicalAppointment,
  fields: readonly SyncedField[],
  o: {
    graphId: string;
    changeKey?: string;
    crmId: string;
    stamped: boolean;
    directory: ContactDirectory;
    occurrenceIds: Record<string, string>;
  },
): { actions: CalendarAction[]; notes: SeriesNote[]; unrestorable: string[]; replaced: boolean } {
  const notes: SeriesNote[] = [];
  if (!!target.series !== !!current.series) {
    // Single ⇄ series: Graph cannot turn one into the other in place.
    return { actions: [], notes, unrestorable: [], replaced: true };
  }
  const parts = new Set<GraphPart>();
  for (const f of fields) {
    const p = PART_OF[f];
    if (p) parts.add(p);
  }
  const ruleChanged = ruleOf(target.series) !== ruleOf(current.series);
  const resetsExceptions = !!target.series && (ruleChanged || parts.has("when"));
  if (resetsExceptions) {
    parts.add("recurrence");
    parts.add("when");
  }
  const actions: CalendarAction[] = [];
  if (parts.size > 0 || !o.stamped) {
    const body = graphBodyOf(target, [...parts], { crmId: o.crmId, directory: o.directory });
    if (!o.stamped && !body.singleValueExtendedProperties) {
      body.singleValueExtendedProperties = [{ id: CRM_ID_PROPERTY, value: o.crmId }];
    }
    actions.push({
      kind: "updateInGraph",
      graphId: o.graphId,
      ...(o.changeKey ? { changeKey: o.changeKey } : {}),
      body,
    });
  }
  let base = current;
  if (resetsExceptions) {
    if (Object.keys(current.series?.exceptions ?? {}).length) {
      notes.push({
        code: "series_exceptions_rewritten",
        message: "the series' pattern or time changed: Outlook drops its exceptions, so they were written again",
      });
    }
    base = { ...current, series: current.series ? { ...current.series, exceptions: {} } : null };
  }
  const occ = occurrenceActions(target, base, o.graphId, o.directory, resetsExceptions ? {} : o.occurrenceIds);
  return {
    actions: [...actions, ...occ.actions],
    notes: [...notes, ...occ.notes],
    unrestorable: occ.unrestorable,
    replaced: false,
  };
}
