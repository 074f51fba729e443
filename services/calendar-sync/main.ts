import { startSyncEngine } from "@app/shared/engine";
import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { EventLinkEvidencePg } from "./adapters/link_evidence_pg.ts";
import { EventLinkQueries } from "./adapters/link_queries.ts";
import { mountCalendarRoutes } from "./app.ts";
import { type CalendarSyncConfig, loadCalendarSyncConfig } from "./config.ts";
import { engine, schema } from "./db/schema.ts";
import { serveCalendarLinkDuplicates } from "./handlers/link_duplicates.ts";
import { calendarKind } from "./kind.ts";

/** Starts calendar-sync: the shared engine running the calendar kind (triggers, runs, status, HTTP). */
export function startCalendarSync(config: CalendarSyncConfig): Promise<RunningService> {
  return launchService({
    service: "calendar-sync",
    version: "0.2.0",
    description: "Keeps each user's Outlook calendar and the CRM's appointments in step, both ways.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.crmEvents, c.streams.authEvents, c.streams.deadLetters],
    consumers: (c) => [c.consumers.calendarCrmEvents, c.consumers.calendarAuthEvents],
    wire: async (deps, app) => {
      const db = deps.database.db;
      const kind = calendarKind({
        db,
        nc: deps.nc,
        catalog: deps.catalog,
        horizonDays: config.CALENDAR_HORIZON_DAYS,
        defaultTimeZone: config.DEFAULT_TIME_ZONE,
      });
      const running = await startSyncEngine({
        kind,
        tables: engine,
        config,
        deps,
        app,
        consumers: {
          crmEvents: deps.catalog.consumers.calendarCrmEvents,
          authEvents: deps.catalog.consumers.calendarAuthEvents,
        },
        wakeSubject: deps.catalog.subjects.calendar.runWake,
      });
      // E4/E7: every member's copy of one appointment (the engine serves the per-user routes).
      mountCalendarRoutes(app, new EventLinkQueries(db));
      // D4: dedupe asks what the links say about duplicates.
      const links = serveCalendarLinkDuplicates({
        nc: deps.nc,
        catalog: deps.catalog,
        evidence: new EventLinkEvidencePg(db),
        logger: deps.logger,
      });
      return { stops: [() => links.unsubscribe(), ...running.stops] };
    },
  });
}

if (import.meta.main) await runMain("calendar-sync", loadCalendarSyncConfig, startCalendarSync);
