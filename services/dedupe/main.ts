import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { mountDedupeRoutes } from "./app.ts";
import { type DedupeConfig, loadDedupeConfig } from "./config.ts";
import { schema } from "./db/schema.ts";

/** Starts dedupe: migrations, NATS topology, HTTP. */
export function startDedupe(config: DedupeConfig): Promise<RunningService> {
  return launchService({
    service: "dedupe",
    version: "0.1.0",
    description: "Finds duplicate contacts and appointments and applies the user's decisions.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.crmEvents, c.streams.dedupeReports, c.streams.deadLetters],
    wire: ({ nc, catalog }, app) => {
      mountDedupeRoutes(app, { nc, catalog });
      return {};
    },
  });
}

if (import.meta.main) await runMain("dedupe", loadDedupeConfig, startDedupe);
