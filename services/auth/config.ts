import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import type { z } from "zod";

/** auth's settings, read once from the environment. */
export const AuthConfigSchema = BaseServiceConfigSchema.extend({
  PORT: PortSchema.default(8081),
});
export type AuthConfig = z.output<typeof AuthConfigSchema>;

/** Parses auth's environment; throws one error listing every bad variable. */
export function loadAuthConfig(env: Record<string, string | undefined>): AuthConfig {
  return parseConfig(AuthConfigSchema, env);
}
