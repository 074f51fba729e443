import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import type { z } from "zod";

/** calendar-sync's settings, read once from the environment. */
export const CalendarSyncConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8083),
});
export type CalendarSyncConfig = z.output<typeof CalendarSyncConfigSchema>;

/** Parses calendar-sync's environment; throws one error listing every bad variable. */
export function loadCalendarSyncConfig(env: Record<string, string | undefined>): CalendarSyncConfig {
  return parseConfig(CalendarSyncConfigSchema, env);
}
