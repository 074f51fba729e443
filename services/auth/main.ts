import { tenantAuth } from "@app/shared/http";
import { publishEvent } from "@app/shared/nats";
import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { authEventSubjects, OutboxRelay } from "./adapters/outbox.ts";
import { mountAuthRoutes } from "./app.ts";
import { type AuthConfig, loadAuthConfig, microsoftConfig } from "./config.ts";
import { schema } from "./db/schema.ts";
import { serveAccountRpc } from "./handlers/account_rpc.ts";
import { serveApiKeyVerification } from "./handlers/api_key_rpc.ts";
import { AuthUseCases } from "./use_cases/mod.ts";

/** Starts auth: migrations, NATS topology, the event outbox relay, request/reply endpoints, HTTP. */
export function startAuth(config: AuthConfig): Promise<RunningService> {
  return launchService({
    service: "auth",
    version: "1.0.0",
    description: "Links CRM users to Microsoft 365 accounts, keeps their tokens and sync settings.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.authEvents],
    wire: async ({ nc, catalog, logger, database }, app) => {
      const relay = new OutboxRelay({
        db: database.db,
        publish: (subject, event) => publishEvent(nc, subject, event),
        subjects: authEventSubjects(catalog),
        logger,
      });
      const microsoft = microsoftConfig(config);
      if (!microsoft) logger.warn("no Microsoft app registration configured (MS_CLIENT_ID): linking is off");
      const auth = await AuthUseCases.create(database.db, logger, () => relay.kick(), microsoft);
      const rpc = [
        serveApiKeyVerification(nc, catalog, auth.tenants, logger),
        ...serveAccountRpc(nc, catalog, auth, logger),
      ];
      app.use("/v1/*", tenantAuth((key) => auth.tenants.resolveApiKey(key)));
      mountAuthRoutes(app, auth);
      relay.start();
      return { stops: [() => rpc.forEach((s) => s.unsubscribe()), () => relay.stop()] };
    },
  });
}

if (import.meta.main) await runMain("auth", loadAuthConfig, startAuth);
