import { z } from "zod";
import { LocalDateTimeSchema } from "./time.ts";

/** Days of the week, named as Microsoft Graph names them. */
export const DayOfWeekSchema = z.enum(["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]);

/** Recurrence pattern, the six kinds of E8 (same vocabulary as Graph's `recurrencePattern`). */
export const RecurrencePatternSchema = z.object({
  type: z.enum(["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"]),
  interval: z.number().int().min(1).max(999),
  daysOfWeek: z.array(DayOfWeekSchema).default([]),
  dayOfMonth: z.number().int().min(1).max(31).optional(),
  month: z.number().int().min(1).max(12).optional(),
  /** Which week of the month for relative patterns; `last` is the last one (E8). */
  index: z.enum(["first", "second", "third", "fourth", "last"]).default("first"),
  firstDayOfWeek: DayOfWeekSchema.default("sunday"),
}).superRefine((p, ctx) => {
  const need = (field: "daysOfWeek" | "dayOfMonth" | "month") => {
    const v = p[field];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) {
      ctx.addIssue({ code: "custom", path: [field], message: `required for a ${p.type} pattern` });
    }
  };
  if (p.type === "weekly" || p.type === "relativeMonthly" || p.type === "relativeYearly") need("daysOfWeek");
  if (p.type === "absoluteMonthly" || p.type === "absoluteYearly") need("dayOfMonth");
  if (p.type === "absoluteYearly" || p.type === "relativeYearly") need("month");
});

/** How long a series runs: to a date, for a number of occurrences, or forever. */
export const RecurrenceRangeSchema = z.object({
  type: z.enum(["endDate", "noEnd", "numbered"]),
  startDate: z.iso.date(),
  endDate: z.iso.date().optional(),
  numberOfOccurrences: z.number().int().min(1).max(999).optional(),
}).superRefine((r, ctx) => {
  if (r.type === "endDate" && !r.endDate) {
    ctx.addIssue({ code: "custom", path: ["endDate"], message: "required for an endDate range" });
  }
  if (r.type === "numbered" && !r.numberOfOccurrences) {
    ctx.addIssue({ code: "custom", path: ["numberOfOccurrences"], message: "required for a numbered range" });
  }
});

/** One occurrence that differs from its pattern: moved, changed or cancelled (E8). */
export const SeriesExceptionSchema = z.object({
  /** The occurrence's start as the pattern generates it, in the series' time zone. */
  originalStart: LocalDateTimeSchema,
  cancelled: z.boolean().default(false),
  /** Fields of this occurrence that differ from the series. */
  override: z.object({
    subject: z.string().max(255),
    location: z.string().max(500),
    description: z.string().max(32_000),
    start: LocalDateTimeSchema,
    end: LocalDateTimeSchema,
  }).partial().default({}),
});

/** A recurring series: pattern, range and the occurrences that differ. */
export const SeriesSchema = z.object({
  pattern: RecurrencePatternSchema,
  range: RecurrenceRangeSchema,
  exceptions: z.array(SeriesExceptionSchema).default([]),
});

export type DayOfWeek = z.infer<typeof DayOfWeekSchema>;
export type RecurrencePattern = z.infer<typeof RecurrencePatternSchema>;
export type RecurrenceRange = z.infer<typeof RecurrenceRangeSchema>;
export type SeriesException = z.infer<typeof SeriesExceptionSchema>;
export type Series = z.infer<typeof SeriesSchema>;
