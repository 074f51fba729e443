import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import { z } from "zod";

const HOUR_MS = 3_600_000;

/** dedupe's settings, read once from the environment. */
export const DedupeConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8084),
  /** D1: time between a tenant's scheduled scans (default nightly: 24 h). */
  SCAN_INTERVAL_MS: z.coerce.number().int().min(1_000).default(24 * HOUR_MS),
  /** How often the scheduler looks for tenants whose scan is due. */
  SCAN_CHECK_MS: z.coerce.number().int().min(100).default(60_000),
  /** D3: how long after a merge it can be undone (default 7 days). */
  UNDO_WINDOW_MS: z.coerce.number().int().min(0).default(7 * 24 * HOUR_MS),
  /** D3: contact pairs at least this likely (a calibrated probability) are proposed. */
  MATCH_THRESHOLD: z.coerce.number().min(0.5).max(0.9999).default(0.9),
  /** Country of phone numbers written without one, for E.164 (D1). */
  DEFAULT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, "ISO 3166 alpha-2, e.g. DE").default("DE"),
  /** How long a request to the CRM may take before it counts as unanswered (retryable). */
  CRM_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** D4: how long to wait for a sync service's link evidence before scanning without it. */
  LINKS_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
});
export type DedupeConfig = z.output<typeof DedupeConfigSchema>;

/** Parses dedupe's environment; throws one error listing every bad variable. */
export function loadDedupeConfig(env: Record<string, string | undefined>): DedupeConfig {
  return parseConfig(DedupeConfigSchema, env);
}
