import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { mountCalendarSyncRoutes } from "./app.ts";
import { type CalendarSyncConfig, loadCalendarSyncConfig } from "./config.ts";
import { schema } from "./db/schema.ts";

/** Starts calendar-sync: migrations, NATS topology, HTTP. */
export function startCalendarSync(config: CalendarSyncConfig): Promise<RunningService> {
  return launchService({
    service: "calendar-sync",
    version: "0.1.0",
    description: "Keeps each user's Outlook calendar and the CRM's appointments in step, both ways.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.crmEvents, c.streams.authEvents, c.streams.syncWork, c.streams.deadLetters],
    wire: ({ nc, catalog }, app) => {
      mountCalendarSyncRoutes(app, { nc, catalog });
      return {};
    },
  });
}

if (import.meta.main) await runMain("calendar-sync", loadCalendarSyncConfig, startCalendarSync);
