import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import type { z } from "zod";

/** contacts-sync's settings, read once from the environment. */
export const ContactsSyncConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8082),
});
export type ContactsSyncConfig = z.output<typeof ContactsSyncConfigSchema>;

/** Parses contacts-sync's environment; throws one error listing every bad variable. */
export function loadContactsSyncConfig(env: Record<string, string | undefined>): ContactsSyncConfig {
  return parseConfig(ContactsSyncConfigSchema, env);
}
