// Graph's `dateTimeTimeZone` and time-zone names, on top of the built-in Temporal API.
// Graph accepts Windows zone names ("W. Europe Standard Time") and IANA names ("Europe/Berlin");
// responses carry the zone name the client asked for (Prefer: outlook.timezone) or "UTC".
import { findIana, findWindows } from "windows-iana";
import { CalendarError } from "./errors.ts";

/** Graph's `dateTimeTimeZone`: a wall-clock time plus the zone it is read in. */
export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

/** A zone as the client named it, plus the IANA id Temporal computes with. */
export interface Zone {
  name: string;
  iana: string;
}

const UTC_ALIASES = new Set(["utc", "etc/utc", "tzone://microsoft/utc", "gmt", "z"]);

/** Resolves a Windows or IANA zone name; `undefined` when neither Graph nor Temporal knows it. */
export function resolveZone(name: string | null | undefined): Zone | undefined {
  if (typeof name !== "string" || name.trim() === "") return undefined;
  // Expansion resolves the same few names for every occurrence; lookups are worth keeping.
  if (zoneCache.has(name)) return zoneCache.get(name);
  const zone = lookupZone(name);
  if (zoneCache.size > 1000) zoneCache.clear();
  zoneCache.set(name, zone);
  return zone;
}

const zoneCache = new Map<string, Zone | undefined>();

function lookupZone(name: string): Zone | undefined {
  const trimmed = name.trim();
  if (UTC_ALIASES.has(trimmed.toLowerCase())) return { name: trimmed, iana: "UTC" };
  for (const candidate of [...findIana(trimmed), trimmed]) {
    if (isIana(candidate)) return { name: trimmed, iana: candidate };
  }
  return undefined;
}

/** Like `resolveZone`, but answers Graph's 400 for a zone it does not support. */
export function requireZone(name: string | null | undefined): Zone {
  const zone = resolveZone(name);
  if (zone) return zone;
  // UNVERIFIED: code and message as reported by users of the real service.
  throw new CalendarError(
    400,
    "TimeZoneNotSupportedException",
    `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name ?? ""}'.`,
  );
}

/** The Windows name Outlook would show for an IANA zone (first match), if there is one. */
export function windowsZoneName(iana: string): string | undefined {
  if (iana === "UTC") return "UTC";
  return findWindows(iana)[0];
}

function isIana(id: string): boolean {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(id);
    return true;
  } catch {
    return false;
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

/**
 * Parses Graph's wall-clock `dateTime` ("2017-04-15T11:00:00.0000000", fractions up to seven
 * digits, seconds optional, a bare date accepted as midnight). A trailing "Z" is tolerated and
 * ignored: the `timeZone` field decides how the wall clock is read.
 */
export function parseGraphDateTime(text: string): Temporal.PlainDateTime | undefined {
  const m = DATE_TIME.exec(text.trim().replace(/Z$/i, ""));
  if (!m) return undefined;
  const fraction = (m[7] ?? "").padEnd(9, "0");
  try {
    return new Temporal.PlainDateTime(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      Number(fraction.slice(0, 3)),
      Number(fraction.slice(3, 6)),
      Number(fraction.slice(6, 9)),
    );
  } catch {
    return undefined; // month 13, day 32, hour 25 …
  }
}

/** Formats a wall-clock time the way Graph does: seven fractional digits, no offset. */
export function formatGraphDateTime(t: Temporal.PlainDateTime): string {
  const ticks = t.millisecond * 10_000 + t.microsecond * 10 + Math.floor(t.nanosecond / 100);
  return `${t.toPlainDate().toString()}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}.${
    String(ticks).padStart(7, "0")
  }`;
}

/** Formats an instant as Graph's UTC `DateTimeOffset` with seven fractional digits. */
export function formatUtcInstant(instant: Temporal.Instant): string {
  return `${formatGraphDateTime(instant.toZonedDateTimeISO("UTC").toPlainDateTime())}Z`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * The instant a wall-clock time denotes in a zone. A time skipped by a DST change moves
 * forward and an ambiguous one takes the earlier offset (Temporal's "compatible", which is
 * also what Windows does).
 */
export function wallToInstant(wall: Temporal.PlainDateTime, iana: string): Temporal.Instant {
  return wall.toZonedDateTime(iana, { disambiguation: "compatible" }).toInstant();
}

/** The wall-clock time of an instant in a zone. */
export function instantToWall(instant: Temporal.Instant, iana: string): Temporal.PlainDateTime {
  return instant.toZonedDateTimeISO(iana).toPlainDateTime();
}

/** Parses a request's `dateTimeTimeZone`, answering Graph-style 400s for bad input. */
export function parseDateTimeTimeZone(
  value: unknown,
  field: string,
): { wall: Temporal.PlainDateTime; zone: Zone } {
  if (typeof value !== "object" || value === null) {
    throw new CalendarError(400, "ErrorPropertyValidationFailure", `The property '${field}' is required.`);
  }
  const { dateTime, timeZone } = value as Record<string, unknown>;
  const wall = typeof dateTime === "string" ? parseGraphDateTime(dateTime) : undefined;
  if (!wall) {
    throw new CalendarError(
      400,
      "UnableToDeserializePostBody",
      `Cannot convert the literal '${String(dateTime)}' to the expected type 'Edm.DateTime' (${field}).`,
    );
  }
  return { wall, zone: requireZone(typeof timeZone === "string" ? timeZone : "UTC") };
}

/** Renders an instant as a `dateTimeTimeZone` in the given zone (Graph's response form). */
export function instantToDateTimeTimeZone(instant: Temporal.Instant, zone: Zone): DateTimeTimeZone {
  return { dateTime: formatGraphDateTime(instantToWall(instant, zone.iana)), timeZone: zone.name };
}

/**
 * The zone asked for with `Prefer: outlook.timezone="…"`; `undefined` when absent. Several
 * preferences may share one header or come in several headers joined by commas.
 */
export function preferredTimeZone(prefer: string | null | undefined): string | undefined {
  if (!prefer) return undefined;
  const m = /(?:^|[,;\s])outlook\.timezone\s*=\s*(?:"([^"]*)"|([^,;\s]+))/i.exec(prefer);
  const name = m?.[1] ?? m?.[2];
  return name === undefined || name.trim() === "" ? undefined : name.trim();
}

/** The response zone for a request: the preferred one when Graph knows it, else UTC. */
export function responseZone(prefer: string | null | undefined): { zone: Zone; applied: boolean } {
  const zone = resolveZone(preferredTimeZone(prefer));
  // UNVERIFIED: Graph's answer to an unknown preferred zone; we fall back to UTC silently.
  return zone ? { zone, applied: true } : { zone: { name: "UTC", iana: "UTC" }, applied: false };
}
