import { BaseServiceConfigSchema, parseConfig, PortSchema } from "@app/shared/config";
import { z } from "zod";

/** The simulator's settings, read once from the environment. It has no database. */
export const CrmSimulatorConfigSchema = BaseServiceConfigSchema.pick({
  HOST: true,
  NATS_URL: true,
  NATS_PREFIX: true,
  LOG_LEVEL: true,
  SHUTDOWN_GRACE_MS: true,
}).extend({
  PORT: PortSchema.default(8090),
  /** JSON file the state is kept in across restarts; in memory only when unset. */
  SNAPSHOT_PATH: z.string().min(1).optional(),
});
export type CrmSimulatorConfig = z.output<typeof CrmSimulatorConfigSchema>;

/** Parses the environment; throws one error listing every bad variable. */
export function loadCrmSimulatorConfig(env: Record<string, string | undefined>): CrmSimulatorConfig {
  return parseConfig(CrmSimulatorConfigSchema, env);
}
