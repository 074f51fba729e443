/**
 * Recurring series (E8): one normal form for patterns, ranges and exceptions (both sides map to it),
 * and expansion with `rrule` over floating wall-clock times in the series' zone, so occurrences keep
 * their local time across DST and all-day series never shift. No hand-written expander.
 * @module
 */
import rrule from "rrule";
import type { Options, Weekday } from "rrule";
import type { DayOfWeek, RecurrencePattern } from "@app/shared/contract";
import type { CanonicalException, CanonicalSeries, LocalDate, LocalDateTime } from "./types.ts";
import { addLocalMinutes, localMinutes } from "./time_zone.ts";

const { RRule } = rrule;

/** Days in Graph's order. */
export const DAYS: readonly DayOfWeek[] = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
];
const RRULE_DAY: Record<DayOfWeek, Weekday> = {
  sunday: RRule.SU,
  monday: RRule.MO,
  tuesday: RRule.TU,
  wednesday: RRule.WE,
  thursday: RRule.TH,
  friday: RRule.FR,
  saturday: RRule.SA,
};
const SETPOS = { first: 1, second: 2, third: 3, fourth: 4, last: -1 } as const;

/** Loose pattern as either side spells it (Graph sends 0/null for unused fields). */
export interface LoosePattern {
  type: RecurrencePattern["type"];
  interval: number;
  daysOfWeek?: readonly DayOfWeek[] | null;
  dayOfMonth?: number | null;
  month?: number | null;
  index?: RecurrencePattern["index"] | null;
  firstDayOfWeek?: DayOfWeek | null;
}

/** Keeps only what the pattern type uses, so both sides compare equal (E8). */
export function normalisePattern(p: LoosePattern): RecurrencePattern {
  const relative = p.type === "relativeMonthly" || p.type === "relativeYearly";
  const out: RecurrencePattern = {
    type: p.type,
    interval: p.interval,
    daysOfWeek: p.type === "weekly" || relative ? DAYS.filter((d) => p.daysOfWeek?.includes(d)) : [],
    index: relative ? p.index ?? "first" : "first",
    firstDayOfWeek: p.type === "weekly" ? p.firstDayOfWeek ?? "sunday" : "sunday",
  };
  if (p.type === "absoluteMonthly" || p.type === "absoluteYearly") out.dayOfMonth = p.dayOfMonth ?? 1;
  if (p.type === "absoluteYearly" || p.type === "relativeYearly") out.month = p.month ?? 1;
  return out;
}

/** Loose range as either side spells it. */
export interface LooseRange {
  type: "endDate" | "noEnd" | "numbered";
  startDate: string;
  endDate?: string | null;
  numberOfOccurrences?: number | null;
}

/** Keeps only what the range type uses. */
export function normaliseRange(r: LooseRange): CanonicalSeries["range"] {
  if (r.type === "endDate") return { type: "endDate", startDate: r.startDate, endDate: r.endDate ?? r.startDate };
  if (r.type === "numbered") {
    return { type: "numbered", startDate: r.startDate, numberOfOccurrences: r.numberOfOccurrences ?? 1 };
  }
  return { type: "noEnd", startDate: r.startDate };
}

/**
 * Drops overrides equal to what the pattern gives (subject etc. equal to the series', a start and
 * end equal to the original slot) and exceptions left empty, so "no change" is spelt one way.
 */
export function normaliseException(
  e: CanonicalException,
  originalStart: LocalDateTime,
  series: { subject: string; location: string; description: string; durationMinutes: number },
): CanonicalException | undefined {
  if (e.cancelled) return { cancelled: true };
  const out: CanonicalException = { cancelled: false };
  if (e.subject !== undefined && e.subject !== series.subject) out.subject = e.subject;
  if (e.location !== undefined && e.location !== series.location) out.location = e.location;
  if (e.description !== undefined && e.description.trim() !== series.description.trim()) {
    out.description = e.description;
  }
  const start = e.start ?? originalStart;
  const end = e.end ?? addLocalMinutes(start, series.durationMinutes);
  if (start !== originalStart || end !== addLocalMinutes(originalStart, series.durationMinutes)) {
    out.start = start;
    out.end = end;
  }
  return Object.keys(out).length > 1 ? out : undefined;
}

const floating = (local: LocalDateTime) => new Date(Date.parse(`${local}Z`));
const fromFloating = (d: Date): LocalDateTime => d.toISOString().slice(0, 19);

/** Outlook puts "day 29–31" on the month's last day where a month is shorter (E8 "last day"). */
function dayOfMonthOptions(day: number): Partial<Options> {
  if (day <= 28) return { bymonthday: [day] };
  return { bymonthday: Array.from({ length: day - 27 }, (_, i) => 28 + i), bysetpos: [-1] };
}

/** The `rrule` rule of a series whose first slot starts at `timeOfDay` (`HH:mm:ss`) local. */
export function seriesRule(series: Pick<CanonicalSeries, "pattern" | "range">, timeOfDay: string): rrule.RRule {
  const { pattern: p, range: r } = series;
  const days = p.daysOfWeek.map((d) => RRULE_DAY[d]);
  const opts: Partial<Options> = {
    interval: p.interval,
    dtstart: floating(`${r.startDate}T${timeOfDay}`),
    wkst: RRULE_DAY[p.firstDayOfWeek],
  };
  switch (p.type) {
    case "daily":
      opts.freq = RRule.DAILY;
      break;
    case "weekly":
      Object.assign(opts, { freq: RRule.WEEKLY, byweekday: days });
      break;
    case "absoluteMonthly":
      Object.assign(opts, { freq: RRule.MONTHLY, ...dayOfMonthOptions(p.dayOfMonth ?? 1) });
      break;
    case "relativeMonthly":
      Object.assign(opts, { freq: RRule.MONTHLY, byweekday: days, bysetpos: [SETPOS[p.index]] });
      break;
    case "absoluteYearly":
      Object.assign(opts, { freq: RRule.YEARLY, bymonth: [p.month ?? 1], ...dayOfMonthOptions(p.dayOfMonth ?? 1) });
      break;
    case "relativeYearly":
      Object.assign(opts, {
        freq: RRule.YEARLY,
        bymonth: [p.month ?? 1],
        byweekday: days,
        bysetpos: [SETPOS[p.index]],
      });
      break;
  }
  if (r.type === "numbered") opts.count = r.numberOfOccurrences;
  if (r.type === "endDate") opts.until = floating(`${r.endDate}T23:59:59`);
  return new RRule(opts, true);
}

/**
 * Original local starts of the pattern's occurrences in [from, to] (local wall clock, inclusive),
 * at most `limit`. Exceptions are not applied.
 */
export function patternStarts(
  series: Pick<CanonicalSeries, "pattern" | "range">,
  timeOfDay: string,
  from: LocalDateTime,
  to: LocalDateTime,
  limit = 2_000,
): LocalDateTime[] {
  // Runs expand the same unchanged series again and again: the (pure) answer is remembered.
  const key = JSON.stringify([series.pattern, series.range, timeOfDay, from, to, limit]);
  const known = startsMemo.get(key);
  if (known) return [...known];
  if (startsMemo.size >= 10_000) startsMemo.clear();
  const out = expandStarts(series, timeOfDay, from, to, limit);
  startsMemo.set(key, out);
  return [...out];
}

const startsMemo = new Map<string, readonly LocalDateTime[]>();

function expandStarts(
  series: Pick<CanonicalSeries, "pattern" | "range">,
  timeOfDay: string,
  from: LocalDateTime,
  to: LocalDateTime,
  limit: number,
): LocalDateTime[] {
  const out: LocalDateTime[] = [];
  seriesRule(series, timeOfDay).between(floating(from), floating(to), true, (d) => {
    out.push(fromFloating(d));
    return out.length < limit;
  });
  return out;
}

/** One occurrence as a calendar shows it: the original slot and where it is now. */
export interface Occurrence {
  originalStart: LocalDateTime;
  start: LocalDateTime;
  end: LocalDateTime;
  subject?: string;
  location?: string;
  description?: string;
}

/** Occurrences of a series in [from, to] with its exceptions applied (cancelled ones left out). */
export function expandSeries(
  series: CanonicalSeries,
  first: { start: LocalDateTime; end: LocalDateTime },
  from: LocalDateTime,
  to: LocalDateTime,
): Occurrence[] {
  const duration = localMinutes(first.start, first.end);
  return patternStarts(series, first.start.slice(11), from, to).flatMap((originalStart) => {
    const e = series.exceptions[originalStart];
    if (e?.cancelled) return [];
    const start = e?.start ?? originalStart;
    const end = e?.end ?? addLocalMinutes(start, duration);
    const o: Occurrence = { originalStart, start, end };
    if (e?.subject !== undefined) o.subject = e.subject;
    if (e?.location !== undefined) o.location = e.location;
    if (e?.description !== undefined) o.description = e.description;
    return [o];
  });
}

/** The first occurrence's date of a pattern from its range start (the master's start, E8). */
export function firstOccurrenceDate(series: Pick<CanonicalSeries, "pattern" | "range">, timeOfDay: string): LocalDate {
  const first = seriesRule(series, timeOfDay).after(floating(`${series.range.startDate}T00:00:00`), true);
  return first ? fromFloating(first).slice(0, 10) : series.range.startDate;
}
