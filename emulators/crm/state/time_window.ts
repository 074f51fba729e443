import type { AppointmentFields, Series, ZonedDateTime } from "@app/shared/contract";

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in milliseconds (+3_600_000 for Berlin in winter). */
function offsetMs(epochMs: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** Milliseconds since the epoch of a wall-clock date-time (`YYYY-MM-DDTHH:mm[:ss]`) read as UTC. */
function localAsUtcMs(dateTime: string): number {
  const [date = "", time = "00:00"] = dateTime.split("T");
  const [y = 0, mo = 1, d = 1] = date.split("-").map(Number);
  const [h = 0, mi = 0, s = 0] = time.split(":").map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/**
 * The instant a wall-clock time in an IANA zone denotes. A time skipped by a DST jump is read with
 * the offset before the jump (02:30 → 03:30 summer time); an ambiguous one is its first occurrence.
 */
export function zonedToEpochMs(dateTime: string, timeZone: string): number {
  const local = localAsUtcMs(dateTime);
  const before = local - offsetMs(local - DAY_MS, timeZone);
  const after = local - offsetMs(local + DAY_MS, timeZone);
  const valid = [before, after].filter((c) => c + offsetMs(c, timeZone) === local);
  return valid.length ? Math.min(...valid) : before;
}

/** Instant of a {@link ZonedDateTime}. */
export function instantOf(z: ZonedDateTime): number {
  return zonedToEpochMs(z.dateTime, z.timeZone);
}

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
