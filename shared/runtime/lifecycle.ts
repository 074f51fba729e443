import { Logger, type LogLevel } from "../log/mod.ts";

/** Something that can be stopped gracefully: drains NATS, closes the pool, stops the server. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Waits for SIGINT or SIGTERM, then stops `service` within `graceMs` and exits (0 when the stop
 * finished in time, 1 otherwise). Used by every `main.ts`.
 */
export function stopOnSignal(service: Stoppable, logger: Logger, graceMs: number): void {
  let stopping = false;
  const onSignal = async (signal: Deno.Signal) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), graceMs)));
    const outcome = await Promise.race([service.stop().then(() => "stopped" as const), timedOut])
      .catch((err) => {
        logger.error("stop failed", { error: err });
        return "failed" as const;
      });
    clearTimeout(timer);
    logger.info("stopped", { outcome });
    Deno.exit(outcome === "stopped" ? 0 : 1);
  };
  for (const s of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(s, () => void onSignal(s));
}

/** Runs the stop steps in order, continuing past failures, and throws the first failure at the end. */
export async function stopAll(steps: Array<() => Promise<unknown> | unknown>): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}

/**
 * The body of every `main.ts`: parse config (exit 2 listing every bad variable), start (exit 1
 * with the reason if a dependency is missing), then stop gracefully on SIGINT/SIGTERM.
 */
export async function runMain<C extends { SHUTDOWN_GRACE_MS: number; LOG_LEVEL: LogLevel }>(
  service: string,
  load: (env: Record<string, string | undefined>) => C,
  start: (config: C) => Promise<Stoppable>,
): Promise<void> {
  let config: C;
  try {
    config = load(Deno.env.toObject());
  } catch (err) {
    new Logger(service).error("cannot start: configuration invalid", { error: err });
    Deno.exit(2);
  }
  const logger = new Logger(service, config.LOG_LEVEL);
  try {
    const running = await start(config);
    stopOnSignal(running, logger, config.SHUTDOWN_GRACE_MS);
  } catch (err) {
    logger.error("cannot start", { error: err });
    Deno.exit(1);
  }
}
