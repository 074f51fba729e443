import { natsTenantResolver, tenantAuth } from "@app/shared/http";
import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { type ContactsSyncConfig, loadContactsSyncConfig } from "./config.ts";
import { schema } from "./db/schema.ts";

/** Starts contacts-sync: migrations, NATS topology, HTTP. */
export function startContactsSync(config: ContactsSyncConfig): Promise<RunningService> {
  return launchService({
    service: "contacts-sync",
    version: "0.1.0",
    description: "Keeps each user's Outlook contact folder and the CRM's contacts in step.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.crmEvents, c.streams.authEvents, c.streams.syncWork, c.streams.deadLetters],
    wire: ({ nc, catalog }, app) => {
      app.use("/v1/*", tenantAuth(natsTenantResolver(nc, catalog.subjects.auth.rpc.apiKeyVerify)));
      return {};
    },
  });
}

if (import.meta.main) await runMain("contacts-sync", loadContactsSyncConfig, startContactsSync);
