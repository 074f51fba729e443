import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  GetTokenRequestSchema,
  GetUserContextRequestSchema,
  ListSyncableUsersRequestSchema,
  type SyncUserContext,
} from "@app/shared/contract";
import { NotFoundError } from "@app/shared/errors";
import type { Logger } from "@app/shared/log";
import { type NatsCatalog, serveRpc } from "@app/shared/nats";
import type { AuthUseCases } from "../use_cases/mod.ts";

/**
 * The request/reply endpoints sync services use: a short-lived Graph token (A6), one user's
 * context, and every user who may sync now. Errors are typed (`feature_disabled`,
 * `right_not_granted`, `not_linked`, `needs_reconnect` with its reason).
 */
export function serveAccountRpc(
  nc: NatsConnection,
  catalog: NatsCatalog,
  auth: AuthUseCases,
  logger: Logger,
): Subscription[] {
  const rpc = catalog.subjects.auth.rpc;
  return [
    serveRpc({
      nc,
      subject: rpc.tokenGet,
      queue: "auth",
      request: GetTokenRequestSchema,
      logger,
      handler: async ({ tenantId, userId, forceRefresh }) => {
        const t = await auth.token(tenantId, userId, forceRefresh ?? false);
        return { accessToken: t.accessToken, expiresAt: t.expiresOn.toISOString(), graphBaseUrl: t.graphBaseUrl };
      },
    }),
    serveRpc({
      nc,
      subject: rpc.userContext,
      queue: "auth",
      request: GetUserContextRequestSchema,
      logger,
      handler: async ({ tenantId, userId }): Promise<SyncUserContext> => {
        const context = await auth.users.context(tenantId, userId);
        if (!context) throw new NotFoundError(`tenant ${tenantId} does not exist`);
        return context;
      },
    }),
    serveRpc({
      nc,
      subject: rpc.syncableUsers,
      queue: "auth",
      request: ListSyncableUsersRequestSchema,
      logger,
      handler: async ({ tenantId }) => ({ items: await auth.users.syncable(tenantId) }),
    }),
  ];
}
