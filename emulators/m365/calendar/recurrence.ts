// Occurrence expansion for Graph recurring series. The pattern is expanded on wall-clock dates
// in the recurrence time zone with `rrule` ("floating" times carried in UTC Date fields), and
// each wall-clock occurrence is then placed in its zone with Temporal — so a 09:00 Berlin
// meeting stays at 09:00 local on both sides of a DST change. Only the asked window is expanded.
import rrule from "rrule";
import type { Options, Weekday } from "rrule";
import { resolveZone, wallToInstant, type Zone } from "./time.ts";
import type { DayOfWeek, PatternedRecurrence, WeekIndex } from "./recurrence_validation.ts";

export * from "./recurrence_validation.ts";

const { RRule } = rrule;

/** A series: its recurrence plus the master's start and end instants and start zone. */
export interface Series {
  recurrence: PatternedRecurrence;
  start: Temporal.Instant;
  end: Temporal.Instant;
  startZone: Zone;
}

/** One expanded occurrence. `originalStart` identifies it for the life of the series. */
export interface Occurrence {
  /** Wall-clock start in the recurrence time zone. */
  wallStart: Temporal.PlainDateTime;
  start: Temporal.Instant;
  end: Temporal.Instant;
  originalStart: Temporal.Instant;
}

/** A half-open window [start, end). */
export interface Window {
  start: Temporal.Instant;
  end: Temporal.Instant;
}

const WEEKDAYS: Record<DayOfWeek, Weekday> = {
  monday: RRule.MO,
  tuesday: RRule.TU,
  wednesday: RRule.WE,
  thursday: RRule.TH,
  friday: RRule.FR,
  saturday: RRule.SA,
  sunday: RRule.SU,
};
const SETPOS: Record<WeekIndex, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/** The series' recurrence time zone (the range's, else the start's). */
export function recurrenceZone(series: Series): Zone {
  return resolveZone(series.recurrence.range.recurrenceTimeZone) ?? series.startZone;
}

/**
 * The occurrences that overlap the window (start < window.end and end > window.start; a
 * zero-length occurrence counts when its start lies in the window), in start order.
 */
export function expandOccurrences(series: Series, window: Window): Occurrence[] {
  const zone = recurrenceZone(series);
  const startWall = series.start.toZonedDateTimeISO(zone.iana).toPlainDateTime();
  const duration = series.end.toZonedDateTimeISO(zone.iana).toPlainDateTime().since(startWall, {
    largestUnit: "days",
  });
  // Candidates by wall clock, widened by the duration and a day of zone slack either side.
  const from = window.start.toZonedDateTimeISO(zone.iana).toPlainDateTime().subtract(duration).subtract({ days: 1 });
  const to = window.end.toZonedDateTimeISO(zone.iana).toPlainDateTime().add({ days: 1 });
  const rule = buildRule(series.recurrence, startWall);
  const out: Occurrence[] = [];
  for (const d of rule.between(toFloating(from), toFloating(to), true)) {
    const occ = place(fromFloating(d), duration, zone);
    if (overlaps(occ, window)) out.push(occ);
  }
  return out;
}

/** The occurrence that originally started at `originalStart`, if the series has one there. */
export function findOccurrence(series: Series, originalStart: Temporal.Instant): Occurrence | undefined {
  const hits = expandOccurrences(series, { start: originalStart, end: originalStart.add({ nanoseconds: 1 }) });
  return hits.find((o) => o.originalStart.equals(originalStart));
}

/** The occurrences just before and just after the one at `originalStart` (for boundary checks). */
export function neighbours(
  series: Series,
  originalStart: Temporal.Instant,
): { previous?: Occurrence; next?: Occurrence } {
  const zone = recurrenceZone(series);
  const startWall = series.start.toZonedDateTimeISO(zone.iana).toPlainDateTime();
  const duration = series.end.toZonedDateTimeISO(zone.iana).toPlainDateTime().since(startWall, {
    largestUnit: "days",
  });
  const rule = buildRule(series.recurrence, startWall);
  const at = toFloating(originalStart.toZonedDateTimeISO(zone.iana).toPlainDateTime());
  const before = rule.before(at, false);
  const after = rule.after(at, false);
  return {
    previous: before ? place(fromFloating(before), duration, zone) : undefined,
    next: after ? place(fromFloating(after), duration, zone) : undefined,
  };
}

/** The first and (for bounded ranges) last occurrence of a series. */
export function seriesBounds(series: Series): { first?: Occurrence; last?: Occurrence } {
  const zone = recurrenceZone(series);
  const startWall = series.start.toZonedDateTimeISO(zone.iana).toPlainDateTime();
  const duration = series.end.toZonedDateTimeISO(zone.iana).toPlainDateTime().since(startWall, {
    largestUnit: "days",
  });
  const rule = buildRule(series.recurrence, startWall);
  const first = rule.after(toFloating(startWall.toPlainDate().toPlainDateTime()), true);
  const bounded = series.recurrence.range.type !== "noEnd";
  const all = bounded ? rule.all() : [];
  const last = all[all.length - 1];
  return {
    first: first ? place(fromFloating(first), duration, zone) : undefined,
    last: last ? place(fromFloating(last), duration, zone) : undefined,
  };
}

function place(wallStart: Temporal.PlainDateTime, duration: Temporal.Duration, zone: Zone): Occurrence {
  const start = wallToInstant(wallStart, zone.iana);
  const end = wallToInstant(wallStart.add(duration), zone.iana);
  return { wallStart, start, end, originalStart: start };
}

function overlaps(o: { start: Temporal.Instant; end: Temporal.Instant }, w: Window): boolean {
  if (Temporal.Instant.compare(o.start, o.end) === 0) {
    return Temporal.Instant.compare(o.start, w.start) >= 0 && Temporal.Instant.compare(o.start, w.end) < 0;
  }
  return Temporal.Instant.compare(o.start, w.end) < 0 && Temporal.Instant.compare(o.end, w.start) > 0;
}

/** Translates a Graph pattern + range into an RRULE over floating wall-clock times. */
function buildRule(rec: PatternedRecurrence, startWall: Temporal.PlainDateTime) {
  const { pattern: p, range: r } = rec;
  const startDate = Temporal.PlainDate.from(r.startDate);
  const opts: Partial<Options> = {
    interval: p.interval,
    dtstart: toFloating(startDate.toPlainDateTime(startWall.toPlainTime())),
    wkst: WEEKDAYS[p.firstDayOfWeek],
  };
  const days = p.daysOfWeek.map((d) => WEEKDAYS[d]);
  switch (p.type) {
    case "daily":
      opts.freq = RRule.DAILY;
      break;
    case "weekly":
      Object.assign(opts, { freq: RRule.WEEKLY, byweekday: days });
      break;
    case "absoluteMonthly":
      Object.assign(opts, { freq: RRule.MONTHLY, ...dayOfMonthRule(p.dayOfMonth) });
      break;
    case "relativeMonthly":
      // Several days + index: "the event falls on the first day that satisfies the pattern",
      // i.e. the index-th of all matching days in the month, which is what BYSETPOS selects.
      Object.assign(opts, { freq: RRule.MONTHLY, byweekday: days, bysetpos: [SETPOS[p.index]] });
      break;
    case "absoluteYearly":
      Object.assign(opts, { freq: RRule.YEARLY, bymonth: [p.month], ...dayOfMonthRule(p.dayOfMonth) });
      break;
    case "relativeYearly":
      Object.assign(opts, {
        freq: RRule.YEARLY,
        bymonth: [p.month],
        byweekday: days,
        bysetpos: [SETPOS[p.index]],
      });
      break;
  }
  if (r.type === "numbered") opts.count = r.numberOfOccurrences;
  if (r.type === "endDate") {
    opts.until = toFloating(Temporal.PlainDate.from(r.endDate).toPlainDateTime({ hour: 23, minute: 59, second: 59 }));
  }
  return new RRule(opts, true);
}

/**
 * Day-of-month rule. Outlook places "day 31" on the last day of shorter months (and Feb 29 on
 * Feb 28 in common years) where RFC 5545 would skip the month: BYMONTHDAY=28..d with
 * BYSETPOS=-1 picks the day itself when the month has it, else the month's last day.
 */
function dayOfMonthRule(day: number): Partial<Options> {
  if (day <= 28) return { bymonthday: [day] };
  const candidates = [];
  for (let d = 28; d <= day; d++) candidates.push(d);
  return { bymonthday: candidates, bysetpos: [-1] };
}

function toFloating(t: Temporal.PlainDateTime): Date {
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond));
}

function fromFloating(d: Date): Temporal.PlainDateTime {
  return new Temporal.PlainDateTime(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}
