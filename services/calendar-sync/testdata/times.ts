// Wall-clock times relative to today, for scenarios that must fall inside (or outside) the window.
import type { ZonedDateTime } from "@app/shared/contract";

/** `YYYY-MM-DD` of today + `days` (UTC calendar; scenarios stay clear of midnight by whole days). */
export function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A zoned wall-clock time `days` from today at `time` (`HH:mm`). */
export function at(days: number, time: string, timeZone = "Europe/Berlin"): ZonedDateTime {
  return { dateTime: `${day(days)}T${time}:00`, timeZone };
}

/** A Graph `dateTimeTimeZone` `days` from today at `time` in a Graph zone name (Windows or IANA). */
export function graphAt(days: number, time: string, timeZone = "W. Europe Standard Time") {
  return { dateTime: `${day(days)}T${time}:00`, timeZone };
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

/** The `index`-th (1–4, or -1 for the last) `weekday` of the month of `yyyyMm` (`YYYY-MM`), as `YYYY-MM-DD`. */
export function nthWeekday(yyyyMm: string, weekday: typeof WEEKDAYS[number], index: number): string {
  const [y, m] = yyyyMm.split("-").map(Number) as [number, number];
  const wd = WEEKDAYS.indexOf(weekday);
  const days: string[] = [];
  for (let d = 1; d <= 31; d++) {
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCMonth() !== m - 1) break;
    if (date.getUTCDay() === wd) days.push(date.toISOString().slice(0, 10));
  }
  return index === -1 ? days[days.length - 1]! : days[index - 1]!;
}

/** `YYYY-MM` of the month `months` after this one. */
export function month(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1)).toISOString().slice(0, 7);
}

/** The first `weekday` strictly after today + `afterDays`, as `YYYY-MM-DD`. */
export function nextWeekday(weekday: typeof WEEKDAYS[number], afterDays = 0): string {
  const wd = WEEKDAYS.indexOf(weekday);
  for (let d = afterDays + 1; d < afterDays + 9; d++) {
    if (new Date(Date.now() + d * 86_400_000).getUTCDay() === wd) return day(d);
  }
  throw new Error("unreachable");
}

/** A date plus days, as `YYYY-MM-DD`. */
export function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
