import { type AppointmentFields, instantOf, type Series, zonedToEpochMs } from "@app/shared/contract";

// The conversion lives in the contract, shared with dedupe and the calendar sync; re-exported here.
export { instantOf, zonedToEpochMs };

const DAY_MS = 86_400_000;
// An upper bound of one repetition of each pattern kind, so a series' span is never underestimated.
const PERIOD_MS: Record<Series["pattern"]["type"], number> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  absoluteMonthly: 31 * DAY_MS,
  relativeMonthly: 31 * DAY_MS,
  absoluteYearly: 366 * DAY_MS,
  relativeYearly: 366 * DAY_MS,
};

/**
 * The interval `[from, to)` an appointment can occupy, in epoch milliseconds. For a series it
 * covers every occurrence and moved exception (an upper bound, never an underestimate), so a
 * window query never misses a series that has an occurrence inside it.
 */
export function appointmentSpan(a: Pick<AppointmentFields, "start" | "end" | "series">): { from: number; to: number } {
  const start = instantOf(a.start);
  const end = instantOf(a.end);
  if (!a.series) return { from: start, to: end };
  const zone = a.start.timeZone;
  const duration = Math.max(0, end - start);
  const time = a.start.dateTime.split("T")[1] ?? "00:00";
  const rangeStart = zonedToEpochMs(`${a.series.range.startDate}T00:00`, zone);
  let from = Math.min(start, rangeStart);
  let to: number;
  const r = a.series.range;
  if (r.type === "noEnd") to = Number.POSITIVE_INFINITY;
  else if (r.type === "endDate") to = zonedToEpochMs(`${r.endDate}T23:59:59`, zone) + duration + DAY_MS;
  else {
    const first = zonedToEpochMs(`${r.startDate}T${time}`, zone);
    const count = r.numberOfOccurrences ?? 1;
    to = Math.max(first, start) + count * a.series.pattern.interval * PERIOD_MS[a.series.pattern.type] + duration +
      DAY_MS;
  }
  for (const ex of a.series.exceptions) {
    if (ex.override.start) from = Math.min(from, zonedToEpochMs(ex.override.start, zone));
    if (ex.override.end) to = Math.max(to, zonedToEpochMs(ex.override.end, zone));
  }
  return { from, to };
}

/** True when the appointment (or any occurrence of its series) may overlap `[from, to)`. */
export function overlapsWindow(
  a: Pick<AppointmentFields, "start" | "end" | "series">,
  window: { from?: number; to?: number },
): boolean {
  const span = appointmentSpan(a);
  const from = window.from ?? Number.NEGATIVE_INFINITY;
  const to = window.to ?? Number.POSITIVE_INFINITY;
  // A zero-length appointment at `from` still counts as inside.
  return span.from < to && (span.to > from || (span.to === span.from && span.from >= from));
}
