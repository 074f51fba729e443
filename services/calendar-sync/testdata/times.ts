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
