// A deliberately naive model of Graph's recurrence rules for property tests: walk every day from
// the range start and ask "does this date match?", straight from the documented definitions.
import { DAYS_OF_WEEK, type PatternedRecurrence, type WeekIndex } from "../recurrence_validation.ts";

/** Occurrence dates (wall-clock, recurrence zone) from startDate up to `until` inclusive. */
export function oracleDates(rec: PatternedRecurrence, until: Temporal.PlainDate): Temporal.PlainDate[] {
  const r = rec.range;
  const start = Temporal.PlainDate.from(r.startDate);
  const last = r.type === "endDate" ? Temporal.PlainDate.from(r.endDate) : until;
  const out: Temporal.PlainDate[] = [];
  for (let d = start; Temporal.PlainDate.compare(d, last) <= 0; d = d.add({ days: 1 })) {
    if (Temporal.PlainDate.compare(d, until) > 0) break;
    if (!matches(rec, start, d)) continue;
    out.push(d);
    if (r.type === "numbered" && out.length >= r.numberOfOccurrences) break;
  }
  return out;
}

function matches(rec: PatternedRecurrence, start: Temporal.PlainDate, d: Temporal.PlainDate): boolean {
  const p = rec.pattern;
  const monthsApart = (d.year - start.year) * 12 + d.month - start.month;
  const dayName = DAYS_OF_WEEK[d.dayOfWeek % 7]!; // Temporal: Monday = 1 … Sunday = 7
  switch (p.type) {
    case "daily":
      return start.until(d).days % p.interval === 0;
    case "weekly": {
      const weeksApart = weekStart(start, p.firstDayOfWeek).until(weekStart(d, p.firstDayOfWeek)).days / 7;
      return p.daysOfWeek.includes(dayName) && weeksApart % p.interval === 0;
    }
    case "absoluteMonthly":
      return monthsApart % p.interval === 0 && d.day === Math.min(p.dayOfMonth, d.daysInMonth);
    case "relativeMonthly":
      return monthsApart % p.interval === 0 && d.equals(nthDay(d, p.daysOfWeek, p.index));
    case "absoluteYearly":
      return (d.year - start.year) % p.interval === 0 && d.month === p.month &&
        d.day === Math.min(p.dayOfMonth, d.daysInMonth);
    case "relativeYearly":
      return (d.year - start.year) % p.interval === 0 && d.month === p.month &&
        d.equals(nthDay(d, p.daysOfWeek, p.index));
  }
}

function weekStart(d: Temporal.PlainDate, first: string): Temporal.PlainDate {
  const firstIdx = DAYS_OF_WEEK.indexOf(first as typeof DAYS_OF_WEEK[number]);
  const back = ((d.dayOfWeek % 7) - firstIdx + 7) % 7;
  return d.subtract({ days: back });
}

/** The index-th day of d's month whose weekday is among `days` ("last" = the final one). */
function nthDay(d: Temporal.PlainDate, days: string[], index: WeekIndex): Temporal.PlainDate {
  const hits: Temporal.PlainDate[] = [];
  for (let i = 1; i <= d.daysInMonth; i++) {
    const c = d.with({ day: i });
    if (days.includes(DAYS_OF_WEEK[c.dayOfWeek % 7]!)) hits.push(c);
  }
  const pos = { first: 0, second: 1, third: 2, fourth: 3, last: hits.length - 1 }[index];
  return hits[pos]!;
}
