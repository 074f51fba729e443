import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { VerifyApiKeyRequestSchema } from "@app/shared/contract";
import { UnauthorizedError } from "@app/shared/errors";
import type { Logger } from "@app/shared/log";
import { type NatsCatalog, serveRpc } from "@app/shared/nats";
import type { TenantStore } from "../adapters/tenant_store.ts";

/** Answers `auth.rpc.apikey.verify` so other services authenticate CRM calls without reading auth's tables. */
export function serveApiKeyVerification(
  nc: NatsConnection,
  catalog: NatsCatalog,
  tenants: TenantStore,
  logger: Logger,
): Subscription {
  return serveRpc({
    nc,
    subject: catalog.subjects.auth.rpc.apiKeyVerify,
    queue: "auth",
    request: VerifyApiKeyRequestSchema,
    logger,
    handler: async ({ apiKey }) => {
      const principal = await tenants.resolveApiKey(apiKey);
      if (!principal) throw new UnauthorizedError("unknown or revoked API key");
      return principal;
    },
  });
}
