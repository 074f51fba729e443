import { addDays, dateOf, epochOf, localOf } from "../sync/time_zone.ts";

/**
 * The sync window of a day (E3): [00:00 of today − includePastDays, 00:00 of today + horizonDays + 1]
 * in the user's zone. Both ends are whole days so the window, and with it the calendarView delta
 * cursor, changes once a day (the re-seed), not on every run.
 */
export function dayWindow(
  nowIso: string,
  includePastDays: number,
  horizonDays: number,
  zone: string,
): { start: string; end: string } {
  const today = dateOf(localOf(Date.parse(nowIso), zone));
  const at = (date: string) => new Date(epochOf(`${date}T00:00:00`, zone)).toISOString();
  return { start: at(addDays(today, -includePastDays)), end: at(addDays(today, horizonDays + 1)) };
}
