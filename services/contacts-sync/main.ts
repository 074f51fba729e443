import { startSyncEngine } from "@app/shared/engine";
import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { type ContactsSyncConfig, loadContactsSyncConfig } from "./config.ts";
import { engine, schema } from "./db/schema.ts";
import { contactsKind } from "./kind.ts";

/** Starts contacts-sync: the shared engine running the contacts kind (triggers, runs, status, HTTP). */
export function startContactsSync(config: ContactsSyncConfig): Promise<RunningService> {
  return launchService({
    service: "contacts-sync",
    version: "2.0.0",
    description: "Keeps each user's Outlook contact folder and the CRM's contacts in step.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.crmEvents, c.streams.authEvents, c.streams.deadLetters],
    consumers: (c) => [c.consumers.contactsCrmEvents, c.consumers.contactsAuthEvents],
    wire: async (deps, app) => {
      const kind = contactsKind({
        db: deps.database.db,
        nc: deps.nc,
        catalog: deps.catalog,
        defaultCountry: config.DEFAULT_COUNTRY,
      });
      const running = await startSyncEngine({
        kind,
        tables: engine,
        config,
        deps,
        app,
        consumers: {
          crmEvents: deps.catalog.consumers.contactsCrmEvents,
          authEvents: deps.catalog.consumers.contactsAuthEvents,
        },
        wakeSubject: deps.catalog.subjects.contacts.runWake,
      });
      return { stops: running.stops };
    },
  });
}

if (import.meta.main) await runMain("contacts-sync", loadContactsSyncConfig, startContactsSync);
