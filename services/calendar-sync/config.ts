import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import { TimeZoneSchema } from "@app/shared/contract";
import { EngineConfigFields } from "@app/shared/engine";
import { z } from "zod";

/** calendar-sync's settings, read once from the environment (the engine's included). */
export const CalendarSyncConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8083),
  ...EngineConfigFields,
  /** How far ahead appointments are synced, in days (E3): the window ends at 00:00 after today + this. */
  CALENDAR_HORIZON_DAYS: z.coerce.number().int().min(1).max(3_650).default(365),
  /** The zone the window's days are counted in and new all-day events are written in (IANA name). */
  DEFAULT_TIME_ZONE: TimeZoneSchema.default("Europe/Berlin"),
});
export type CalendarSyncConfig = z.output<typeof CalendarSyncConfigSchema>;

/** Parses calendar-sync's environment; throws one error listing every bad variable. */
export function loadCalendarSyncConfig(env: Record<string, string | undefined>): CalendarSyncConfig {
  return parseConfig(CalendarSyncConfigSchema, env);
}
