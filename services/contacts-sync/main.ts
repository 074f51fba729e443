import { AuthClient } from "@app/shared/auth";
import { AuthEventSchema, CrmEventSchema, RunRequestedV1 } from "@app/shared/contract";
import { startConsumer } from "@app/shared/nats";
import { RunCoordinator } from "@app/shared/runs";
import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { StatusStore } from "./adapters/status_store.ts";
import { ContactSubscriptions } from "./adapters/subscriptions.ts";
import { type ContactsSyncConfig, loadContactsSyncConfig } from "./config.ts";
import { ContactSyncService } from "./contact_sync_service.ts";
import { schema, syncRuns, syncUsers } from "./db/schema.ts";
import { onAuthEvent, onCrmContactEvent, pollSyncableUsers } from "./handlers/triggers.ts";
import { ContactsSyncMetrics } from "./metrics.ts";
import { mountContactsSyncRoutes } from "./app.ts";
import { NOTIFICATIONS_PATH } from "./routes/notifications.ts";

/** Starts contacts-sync: consumers for CRM events, auth events and run requests, the poll, HTTP. */
export function startContactsSync(config: ContactsSyncConfig): Promise<RunningService> {
  return launchService({
    service: "contacts-sync",
    version: "1.0.0",
    description: "Keeps each user's Outlook contact folder and the CRM's contacts in step.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.crmEvents, c.streams.authEvents, c.streams.syncWork, c.streams.deadLetters],
    consumers: (c) => [c.consumers.contactsCrmEvents, c.consumers.contactsAuthEvents, c.consumers.contactsRuns],
    wire: async ({ nc, catalog, logger, database, metrics }, app) => {
      const db = database.db;
      const auth = new AuthClient(nc, catalog);
      const store = new StatusStore(db);
      const subs = config.PUBLIC_URL
        ? new ContactSubscriptions(db, new URL(NOTIFICATIONS_PATH, config.PUBLIC_URL).toString())
        : undefined;
      const service = new ContactSyncService({
        db,
        nc,
        catalog,
        auth,
        config,
        logger,
        metrics: new ContactsSyncMetrics(metrics),
        afterRun: subs
          ? ({ client, tenantId, userId, folderId }) => subs.ensure(client, tenantId, userId, folderId)
          : undefined,
      });
      const runs = new RunCoordinator({
        service: "contacts-sync",
        database,
        users: syncUsers,
        runs: syncRuns,
        nc,
        subject: catalog.subjects.contacts.runRequested,
        logger,
        run: (ctx) => service.run(ctx),
      });
      const consume = <S extends Parameters<typeof startConsumer>[0]["schema"]>(
        spec: (typeof catalog.consumers)[keyof typeof catalog.consumers],
        schema: S,
        handler: Parameters<typeof startConsumer<S>>[0]["handler"],
      ) =>
        startConsumer({
          nc,
          consumer: spec,
          deadLetterSubject: catalog.subjects.deadLetter(spec),
          schema,
          handler,
          logger,
        });
      const consumers = [
        await consume(
          catalog.consumers.contactsCrmEvents,
          CrmEventSchema,
          onCrmContactEvent(store, runs),
        ),
        await consume(catalog.consumers.contactsAuthEvents, AuthEventSchema, onAuthEvent(auth, runs)),
        await consume(catalog.consumers.contactsRuns, RunRequestedV1, (m, meta) => runs.handle(m, meta)),
      ];
      await runs.resumePending();
      // The safety net: every syncable user gets a run, and requests whose message was lost get a new one.
      const poll = setInterval(() => {
        Promise.all([pollSyncableUsers(auth, runs), runs.resumePending()])
          .catch((err) => logger.warn("poll failed", { error: err }));
      }, config.POLL_INTERVAL_MS);

      mountContactsSyncRoutes(app, { store, nc, catalog, logger, runs, service, subscriptions: subs });
      return {
        stops: [() => clearInterval(poll), ...consumers.map((c) => () => c.stop())],
      };
    },
  });
}

if (import.meta.main) await runMain("contacts-sync", loadContactsSyncConfig, startContactsSync);
