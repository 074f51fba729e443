import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import { z } from "zod";

/** contacts-sync's settings, read once from the environment. */
export const ContactsSyncConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8082),
  /** Safety-net delta poll per linked user (P3). */
  POLL_INTERVAL_MS: z.coerce.number().int().min(1_000).default(5 * 60_000),
  /** Public HTTPS base URL of this service; when set, Graph change notifications are subscribed (P3). */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Graph requests in flight per mailbox from this service (Graph allows 4 per app; calendar-sync takes the rest). */
  GRAPH_CONCURRENCY: z.coerce.number().int().min(1).max(4).default(2),
  /** Country for phone numbers written without one, when matching by E.164 (C7). */
  DEFAULT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, "ISO 3166 alpha-2, e.g. DE").default("DE"),
  /** P6: share of a user's contacts one run may delete or archive before it pauses for confirmation. */
  SAFETY_MAX_SHARE: z.coerce.number().min(0).max(1).default(0.25),
  /** P6: below this many deletes and archives a run never pauses. */
  SAFETY_MIN_COUNT: z.coerce.number().int().min(0).default(10),
});
export type ContactsSyncConfig = z.output<typeof ContactsSyncConfigSchema>;

/** Parses contacts-sync's environment; throws one error listing every bad variable. */
export function loadContactsSyncConfig(env: Record<string, string | undefined>): ContactsSyncConfig {
  return parseConfig(ContactsSyncConfigSchema, env);
}
