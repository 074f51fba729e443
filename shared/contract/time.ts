import { z } from "zod";

function isIanaZone(zone: string): boolean {
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
