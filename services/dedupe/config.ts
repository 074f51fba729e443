import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import type { z } from "zod";

/** dedupe's settings, read once from the environment. */
export const DedupeConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8084),
});
export type DedupeConfig = z.output<typeof DedupeConfigSchema>;

/** Parses dedupe's environment; throws one error listing every bad variable. */
export function loadDedupeConfig(env: Record<string, string | undefined>): DedupeConfig {
  return parseConfig(DedupeConfigSchema, env);
}
