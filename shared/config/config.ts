import { z } from "zod";
import { ConfigError, toFieldIssues } from "../errors/mod.ts";

/** Parses an environment map with `schema`; throws one {@link ConfigError} listing every bad variable. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(toFieldIssues(result.error.issues));
}

/** A TCP port from the environment (`"8081"` → 8081). */
export const PortSchema = z.coerce.number().int().min(0).max(65_535);

/** A boolean from the environment: `1/true/yes/on` or `0/false/no/off`. */
export const EnvBoolSchema = z.enum(["1", "true", "yes", "on", "0", "false", "no", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/** Settings every service reads: where it listens and where Postgres and NATS are. */
export const BaseServiceConfigSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" })
    .default("postgres://postgres@127.0.0.1:5432/crmsync"),
  NATS_URL: z.string().regex(
    /^(nats:\/\/)?[\w.-]+(:\d+)?(,(nats:\/\/)?[\w.-]+(:\d+)?)*$/,
    "must be host:port or nats://host:port",
  )
    .default("nats://127.0.0.1:4222"),
  /** Prefix of every subject and stream name; lets tests and environments share one NATS. */
  NATS_PREFIX: z.string().regex(/^([a-z0-9_]+)?$/, "lowercase letters, digits and _ only").default(""),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
});

/** The parsed form of {@link BaseServiceConfigSchema}. */
export type BaseServiceConfig = z.output<typeof BaseServiceConfigSchema>;
