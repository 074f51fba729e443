// Validation and normalisation of Graph's `patternedRecurrence`, following
// concepts/outlook-schedule-recurring-events.md: required fields per pattern type, startDate
// equal to the series start's date, and "even if a field is ignored, it is still validated".
import { int32From } from "../graph/values.ts";
import { CalendarError } from "./errors.ts";
import { instantToWall, resolveZone, type Zone } from "./time.ts";

export const PATTERN_TYPES = [
  "daily",
  "weekly",
  "absoluteMonthly",
  "relativeMonthly",
  "absoluteYearly",
  "relativeYearly",
] as const;
export const DAYS_OF_WEEK = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export const WEEK_INDEXES = ["first", "second", "third", "fourth", "last"] as const;
export const RANGE_TYPES = ["endDate", "noEnd", "numbered"] as const;

export type PatternType = typeof PATTERN_TYPES[number];
export type DayOfWeek = typeof DAYS_OF_WEEK[number];
export type WeekIndex = typeof WEEK_INDEXES[number];
export type RangeType = typeof RANGE_TYPES[number];

/** `recurrencePattern` as Graph returns it: every field present, unused ones zeroed. */
export interface RecurrencePattern {
  type: PatternType;
  interval: number;
  month: number;
  dayOfMonth: number;
  daysOfWeek: DayOfWeek[];
  firstDayOfWeek: DayOfWeek;
  index: WeekIndex;
}

/** `recurrenceRange` as Graph returns it ("0001-01-01" and 0 for unused fields). */
export interface RecurrenceRange {
  type: RangeType;
  startDate: string;
  endDate: string;
  recurrenceTimeZone: string;
  numberOfOccurrences: number;
}

export interface PatternedRecurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}

/** Graph's "no date" value for Edm.Date fields that do not apply. */
export const NO_DATE = "0001-01-01";

// Field reports name these codes for bad patterns and for ranges that disagree with the start.
const patternError = (message: string) => new CalendarError(400, "ErrorInvalidRecurrencePattern", message);
const rangeError = (message: string) => new CalendarError(400, "ErrorInvalidRecurrenceRange", message);

/**
 * Checks a client's `recurrence` against the series start and returns Graph's normalised form.
 * `start` is the series start as an instant plus the zone it was given in.
 * @throws CalendarError 400 for anything Graph would refuse.
 */
export function normalizeRecurrence(
  input: unknown,
  start: { instant: Temporal.Instant; zone: Zone },
): PatternedRecurrence {
  if (!isObject(input) || !isObject(input.pattern) || !isObject(input.range)) {
    throw patternError("The recurrence must have a pattern and a range.");
  }
  const pattern = normalizePattern(input.pattern);
  const range = normalizeRange(input.range, start);
  return { pattern, range };
}

function normalizePattern(p: Record<string, unknown>): RecurrencePattern {
  const type = enumValue(p.type, PATTERN_TYPES, "pattern.type", true);
  const interval = intValue(p.interval, "pattern.interval", 1, 999);
  if (interval === undefined) throw patternError("The recurrence pattern requires an interval.");
  const days = p.daysOfWeek ?? [];
  if (!Array.isArray(days)) throw patternError("pattern.daysOfWeek must be a collection.");
  const daysOfWeek = [...new Set(days.map((d) => enumValue(d, DAYS_OF_WEEK, "pattern.daysOfWeek", true)))];
  const firstDayOfWeek = enumValue(p.firstDayOfWeek, DAYS_OF_WEEK, "pattern.firstDayOfWeek", false) ?? "sunday";
  const index = enumValue(p.index, WEEK_INDEXES, "pattern.index", false) ?? "first";
  const dayOfMonth = intValue(p.dayOfMonth, "pattern.dayOfMonth", 0, 31) ?? 0;
  const month = intValue(p.month, "pattern.month", 0, 12) ?? 0;

  const usesDays = type === "weekly" || type === "relativeMonthly" || type === "relativeYearly";
  const usesDayOfMonth = type === "absoluteMonthly" || type === "absoluteYearly";
  const usesMonth = type === "absoluteYearly" || type === "relativeYearly";
  if (usesDays && daysOfWeek.length === 0) throw patternError(`A ${type} pattern requires daysOfWeek.`);
  if (usesDayOfMonth && dayOfMonth === 0) throw patternError(`A ${type} pattern requires dayOfMonth.`);
  if (usesMonth && month === 0) throw patternError(`A ${type} pattern requires month.`);
  if (type === "absoluteYearly" && dayOfMonth > daysInMonth(2000, month)) {
    throw patternError(`Month ${month} has no day ${dayOfMonth}.`);
  }
  return {
    type,
    interval,
    month: usesMonth ? month : 0,
    dayOfMonth: usesDayOfMonth ? dayOfMonth : 0,
    daysOfWeek: usesDays ? daysOfWeek : [],
    firstDayOfWeek,
    index: type === "relativeMonthly" || type === "relativeYearly" ? index : "first",
  };
}

function normalizeRange(
  r: Record<string, unknown>,
  start: { instant: Temporal.Instant; zone: Zone },
): RecurrenceRange {
  const type = enumValue(r.type, RANGE_TYPES, "range.type", true);
  const tzName = typeof r.recurrenceTimeZone === "string" && r.recurrenceTimeZone.trim() !== ""
    ? r.recurrenceTimeZone
    : start.zone.name;
  const zone = resolveZone(tzName);
  if (!zone) throw rangeError(`The recurrence time zone '${tzName}' is not supported.`);
  const startDate = dateValue(r.startDate, "range.startDate");
  if (!startDate) throw rangeError("The recurrence range requires a startDate.");
  const seriesDate = instantToWall(start.instant, zone.iana).toPlainDate();
  if (!startDate.equals(seriesDate)) {
    throw rangeError(
      `The recurrence range startDate ${startDate} must be the date of the event start (${seriesDate}).`,
    );
  }
  const endDate = dateValue(r.endDate, "range.endDate");
  const count = intValue(r.numberOfOccurrences, "range.numberOfOccurrences", 0, 999_999) ?? 0;
  if (type === "endDate") {
    if (!endDate || endDate.equals(Temporal.PlainDate.from(NO_DATE))) {
      throw rangeError("An endDate range requires an endDate.");
    }
    if (Temporal.PlainDate.compare(endDate, startDate) < 0) {
      throw rangeError("The recurrence range endDate is before its startDate.");
    }
  }
  if (type === "numbered" && count <= 0) throw rangeError("A numbered range requires numberOfOccurrences > 0.");
  return {
    type,
    startDate: startDate.toString(),
    endDate: type === "endDate" ? endDate!.toString() : NO_DATE,
    recurrenceTimeZone: zone.name,
    numberOfOccurrences: type === "numbered" ? count : 0,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// Graph reads enum members case-insensitively and answers in camelCase.
function enumValue<T extends string>(v: unknown, members: readonly T[], field: string, required: true): T;
function enumValue<T extends string>(v: unknown, members: readonly T[], field: string, required: false): T | undefined;
function enumValue<T extends string>(v: unknown, members: readonly T[], field: string, required: boolean) {
  if (v === undefined || v === null) {
    if (required) throw patternError(`The property '${field}' is required.`);
    return undefined;
  }
  const found = typeof v === "string" ? members.find((m) => m.toLowerCase() === v.toLowerCase()) : undefined;
  if (!found) throw patternError(`The value '${String(v)}' is not valid for '${field}'.`);
  return found;
}

// Int32 fields: a JSON integer or a string of digits, as Graph's OData reader takes them.
function intValue(v: unknown, field: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = int32From(v);
  if (n === undefined || n < min || n > max) {
    throw patternError(`The value '${String(v)}' is out of range for '${field}'.`);
  }
  return n;
}

function dateValue(v: unknown, field: string): Temporal.PlainDate | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    try {
      return Temporal.PlainDate.from(v, { overflow: "reject" });
    } catch { /* falls through to the error below */ }
  }
  throw rangeError(`The value '${String(v)}' is not a valid date for '${field}'.`);
}

/** Days in a month; year 2000 (a leap year) lets Feb 29 stand for "valid in some year". */
export function daysInMonth(year: number, month: number): number {
  return Temporal.PlainYearMonth.from({ year, month }).daysInMonth;
}
