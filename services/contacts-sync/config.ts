import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import { EngineConfigFields } from "@app/shared/engine";
import { z } from "zod";

/** contacts-sync's settings, read once from the environment (the engine's included). */
export const ContactsSyncConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8082),
  ...EngineConfigFields,
  /** Country for phone numbers written without one, when matching by E.164 (C7). */
  DEFAULT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, "ISO 3166 alpha-2, e.g. DE").default("DE"),
});
export type ContactsSyncConfig = z.output<typeof ContactsSyncConfigSchema>;

/** Parses contacts-sync's environment; throws one error listing every bad variable. */
export function loadContactsSyncConfig(env: Record<string, string | undefined>): ContactsSyncConfig {
  return parseConfig(ContactsSyncConfigSchema, env);
}
