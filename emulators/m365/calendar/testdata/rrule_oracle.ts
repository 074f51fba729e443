// The `rrule` oracle of issue 10: a Graph recurrence written as an RFC 5545 RRULE string the way
// a client would write it (nth-weekday BYDAY for one day, BYSETPOS for several, BYMONTHDAY=-1 for
// "last day"), parsed by `rrulestr` and expanded on floating wall-clock times. It shares no code
// with the emulator's own rule builder (recurrence.ts), so the two can disagree.
import rrule from "rrule";
import type { PatternedRecurrence } from "../recurrence_validation.ts";

const { rrulestr } = rrule;

const BYDAY: Record<string, string> = {
  sunday: "SU",
  monday: "MO",
  tuesday: "TU",
  wednesday: "WE",
  thursday: "TH",
  friday: "FR",
  saturday: "SA",
};
const ORDINAL: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/** The RRULE (with DTSTART) for a Graph recurrence whose occurrences start at `time` (HH:MM:SS). */
export function graphToRRule(rec: PatternedRecurrence, time: string): string {
  const p = rec.pattern;
  const r = rec.range;
  const parts = [`INTERVAL=${p.interval}`];
  const days = p.daysOfWeek.map((d) => BYDAY[d]!);
  // Outlook's "day N of the month" falls on the last day in months without day N.
  const monthDay = (n: number) =>
    n <= 28 ? [`BYMONTHDAY=${n}`] : n === 31 ? ["BYMONTHDAY=-1"] : [`BYMONTHDAY=${n},-1`, "BYSETPOS=1"];
  // One weekday: the nth-weekday form (`2TU`, `-1FR`); several: BYSETPOS over all of them.
  const nth = () =>
    days.length === 1
      ? [`BYDAY=${ORDINAL[p.index]}${days[0]}`]
      : [`BYDAY=${days.join(",")}`, `BYSETPOS=${ORDINAL[p.index]}`];
  switch (p.type) {
    case "daily":
      parts.unshift("FREQ=DAILY");
      break;
    case "weekly":
      parts.unshift("FREQ=WEEKLY");
      parts.push(`BYDAY=${days.join(",")}`, `WKST=${BYDAY[p.firstDayOfWeek]}`);
      break;
    case "absoluteMonthly":
      parts.unshift("FREQ=MONTHLY");
      parts.push(...monthDay(p.dayOfMonth));
      break;
    case "relativeMonthly":
      parts.unshift("FREQ=MONTHLY");
      parts.push(...nth());
      break;
    case "absoluteYearly":
      parts.unshift("FREQ=YEARLY");
      parts.push(`BYMONTH=${p.month}`, ...monthDay(p.dayOfMonth));
      break;
    case "relativeYearly":
      parts.unshift("FREQ=YEARLY");
      parts.push(`BYMONTH=${p.month}`, ...nth());
      break;
  }
  if (r.type === "numbered") parts.push(`COUNT=${r.numberOfOccurrences}`);
  if (r.type === "endDate") parts.push(`UNTIL=${compact(r.endDate)}T235959Z`);
  return `DTSTART:${compact(r.startDate)}T${time.replaceAll(":", "")}Z\nRRULE:${parts.join(";")}`;
}

/** Occurrence wall-clock starts (`yyyy-MM-ddTHH:mm:ss`) up to and including `until` (a date). */
export function rruleStarts(rec: PatternedRecurrence, time: string, until: string): string[] {
  const rule = rrulestr(graphToRRule(rec, time));
  const end = new Date(`${until}T23:59:59Z`);
  return rule.between(new Date(`${rec.range.startDate}T00:00:00Z`), end, true).map((d) => d.toISOString().slice(0, 19));
}

function compact(date: string): string {
  return date.replaceAll("-", "");
}
