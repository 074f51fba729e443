import { z } from "zod";

/** Whether `zone` is an IANA time-zone name this runtime knows (`Europe/Berlin`, `UTC`). */
export function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time-zone name such as `Europe/Berlin`. */
export const TimeZoneSchema = z.string().min(1).refine(isIanaZone, "must be an IANA time zone such as Europe/Berlin");

/** A wall-clock date and time without offset: `2026-03-29T09:30:00`. */
export const LocalDateTimeSchema = z.string().regex(
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/,
  "must be a local date-time YYYY-MM-DDTHH:mm[:ss] without offset",
);

/** A wall-clock time in a named zone; it never shifts when the zone's offset changes (E11). */
export const ZonedDateTimeSchema = z.object({
  dateTime: LocalDateTimeSchema,
  timeZone: TimeZoneSchema,
});

export type ZonedDateTime = z.infer<typeof ZonedDateTimeSchema>;

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

/** The wall clock of an instant in an IANA zone, field by field (month 1–12, hour 0–23). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock an instant shows in an IANA zone (DST-correct, whole seconds). */
export function wallClockOf(epochMs: number, zone: string): WallClock {
  const parts = formatter(zone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
    second: get("second"),
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** The wall clock (`YYYY-MM-DDTHH:mm:ss`) an instant shows in an IANA zone. */
export function localDateTimeOf(epochMs: number, zone: string): string {
  const w = wallClockOf(epochMs, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** The zone's offset from UTC at an instant, in milliseconds (+3_600_000 for Berlin in winter). */
function offsetMs(epochMs: number, zone: string): number {
  const w = wallClockOf(epochMs, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
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
