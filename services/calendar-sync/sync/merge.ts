/**
 * Field-level three-way merge of one pair against the link's snapshot (E1, E11). Exceptions of a
 * series merge one original start at a time (E8). Where both sides changed a field differently the
 * CRM wins and the field is reported as a conflict.
 * @module
 */
import { sameReminder } from "./reminder.ts";
import { epochOf } from "./time_zone.ts";
import { normaliseText } from "./body.ts";
import { stableJson } from "./stable_json.ts";
import type { CanonicalAppointment, CanonicalException, CanonicalSeries, SyncedField, When } from "./types.ts";

/** Fields Outlook can change; contacts and resources are the CRM's (Outlook keeps them in the body block). */
export const OUTLOOK_FIELDS = [
  "subject",
  "location",
  "description",
  "when",
  "reminderMinutes",
  "private",
  "cancelled",
  "series",
] as const;
/** Fields the CRM can change that Outlook shows. */
export const CRM_FIELDS = [...OUTLOOK_FIELDS, "contacts", "resources"] as const satisfies readonly SyncedField[];

function sameWhen(a: When, b: When): boolean {
  if (a.allDay !== b.allDay) return false;
  if (a.allDay && b.allDay) return a.startDate === b.startDate && a.endDate === b.endDate;
  if (!a.allDay && !b.allDay) {
    return epochOf(a.start, a.timeZone) === epochOf(b.start, b.timeZone) &&
      epochOf(a.end, a.timeZone) === epochOf(b.end, b.timeZone);
  }
  return false;
}

const json = stableJson;

/** The series rule (pattern and range) of a series, or null. */
export function ruleOf(s: CanonicalSeries | null): string {
  return s ? json({ p: s.pattern, r: s.range }) : "null";
}

/** Whether two values of a field mean the same (reminders after rounding, times as instants). */
export function sameField(f: SyncedField, a: CanonicalAppointment, b: CanonicalAppointment): boolean {
  switch (f) {
    case "when":
      return sameWhen(a.when, b.when);
    case "reminderMinutes":
      return sameReminder(a.reminderMinutes, b.reminderMinutes);
    case "description":
      return normaliseText(a.description) === normaliseText(b.description);
    case "series":
      return ruleOf(a.series) === ruleOf(b.series) &&
        json(a.series?.exceptions ?? {}) === json(b.series?.exceptions ?? {});
    case "subject":
    case "location":
    case "private":
    case "cancelled":
      return a[f] === b[f];
    default:
      return json(a[f]) === json(b[f]);
  }
}

/** Two canonical records hold the same values (the snapshot needs no rewrite); reminders compared raw. */
export function sameCanonical(a: CanonicalAppointment, b: CanonicalAppointment): boolean {
  return a.subject === b.subject && a.location === b.location && a.description === b.description &&
    a.reminderMinutes === b.reminderMinutes && a.private === b.private && a.cancelled === b.cancelled &&
    a.organizerId === b.organizerId && a.when.timeZone === b.when.timeZone && sameWhen(a.when, b.when) &&
    json(a.participantIds) === json(b.participantIds) && json(a.groupIds) === json(b.groupIds) &&
    json(a.contacts) === json(b.contacts) && json(a.resources) === json(b.resources) &&
    (a.series === b.series || (!!a.series && !!b.series && ruleOf(a.series) === ruleOf(b.series) &&
      json(a.series.exceptions) === json(b.series.exceptions)));
}

/** The result of merging one pair. */
export interface MergeResult {
  /** What both sides should hold now (and the new snapshot). */
  target: CanonicalAppointment;
  /** Fields where the CRM must be written. */
  toCrm: SyncedField[];
  /** Fields where Outlook must be written. */
  toOutlook: SyncedField[];
  conflicts: SyncedField[];
}

type Side = "crm" | "outlook" | "none";

function decide<T>(
  base: T | undefined,
  crm: T,
  out: T,
  same: (a: T, b: T) => boolean,
): { winner: Side; conflict: boolean } {
  if (same(crm, out)) return { winner: "none", conflict: false };
  if (base === undefined) return { winner: "crm", conflict: false };
  const crmChanged = !same(crm, base);
  const outChanged = !same(out, base);
  if (outChanged && !crmChanged) return { winner: "outlook", conflict: false };
  return { winner: "crm", conflict: crmChanged && outChanged };
}

function mergeExceptions(
  base: Record<string, CanonicalException> | undefined,
  crm: Record<string, CanonicalException>,
  out: Record<string, CanonicalException>,
): { merged: Record<string, CanonicalException>; conflict: boolean } {
  const keys = [...new Set([...Object.keys(crm), ...Object.keys(out)])].sort();
  const merged: Record<string, CanonicalException> = {};
  let conflict = false;
  const same = (a: CanonicalException | null, b: CanonicalException | null) => json(a) === json(b);
  for (const k of keys) {
    // `null` spells "no exception at k" so a snapshot without one still counts as a snapshot.
    const d = decide<CanonicalException | null>(
      base ? base[k] ?? null : undefined,
      crm[k] ?? null,
      out[k] ?? null,
      same,
    );
    conflict ||= d.conflict;
    const v = d.winner === "outlook" ? out[k] : crm[k];
    if (v) merged[k] = v;
  }
  return { merged, conflict };
}

/**
 * Merges CRM and Outlook against `base` (`null`: a first link, where the CRM wins every difference
 * and only real differences are written, A9).
 */
export function mergeAppointment(
  base: CanonicalAppointment | null,
  crm: CanonicalAppointment,
  outlook: CanonicalAppointment,
): MergeResult {
  const target: CanonicalAppointment = { ...crm };
  const toCrm: SyncedField[] = [];
  const toOutlook: SyncedField[] = [];
  const conflicts: SyncedField[] = [];
  for (const f of OUTLOOK_FIELDS) {
    if (f === "series") continue;
    const d = decide(base ?? undefined, crm, outlook, (a, b) => sameField(f, a, b));
    if (d.conflict) conflicts.push(f);
    if (d.winner === "outlook") {
      (target as unknown as Record<string, unknown>)[f] = outlook[f];
      toCrm.push(f);
    } else if (d.winner === "crm") toOutlook.push(f);
  }
  // Reminder: keep Outlook's own minutes while they mean the CRM's choice (E11, no flip-flop).
  if (sameReminder(target.reminderMinutes, outlook.reminderMinutes)) target.reminderMinutes = outlook.reminderMinutes;
  mergeSeries(base, crm, outlook, target, toCrm, toOutlook, conflicts);
  return { target, toCrm, toOutlook, conflicts };
}

function mergeSeries(
  base: CanonicalAppointment | null,
  crm: CanonicalAppointment,
  outlook: CanonicalAppointment,
  target: CanonicalAppointment,
  toCrm: SyncedField[],
  toOutlook: SyncedField[],
  conflicts: SyncedField[],
): void {
  const rule = decide(
    base ? ruleOf(base.series) : undefined,
    ruleOf(crm.series),
    ruleOf(outlook.series),
    (a, b) => a === b,
  );
  const ruleSide = rule.winner === "outlook" ? outlook.series : crm.series;
  if (rule.conflict) conflicts.push("series");
  if (!ruleSide) {
    target.series = null;
  } else {
    const { merged, conflict } = mergeExceptions(
      base?.series ? base.series.exceptions : base ? {} : undefined,
      crm.series?.exceptions ?? {},
      outlook.series?.exceptions ?? {},
    );
    if (conflict && !conflicts.includes("series")) conflicts.push("series");
    target.series = { pattern: ruleSide.pattern, range: ruleSide.range, exceptions: merged };
  }
  if (!sameField("series", target, crm)) toCrm.push("series");
  if (!sameField("series", target, outlook)) toOutlook.push("series");
}
