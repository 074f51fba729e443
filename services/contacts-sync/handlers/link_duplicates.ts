import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { LinkDuplicatesRequestSchema } from "@app/shared/contract";
import type { Logger } from "@app/shared/log";
import { type NatsCatalog, serveRpc } from "@app/shared/nats";
import type { LinkEvidencePg } from "../adapters/link_evidence_pg.ts";

/**
 * Answers dedupe's `contacts.rpc.links.duplicates` (D4) with what this service's links show; every
 * replica serves it in the queue group `contacts-sync`.
 */
export function serveLinkDuplicates(o: {
  nc: NatsConnection;
  catalog: NatsCatalog;
  evidence: LinkEvidencePg;
  logger: Logger;
}): Subscription {
  return serveRpc({
    nc: o.nc,
    subject: o.catalog.subjects.contacts.rpc.linkDuplicates,
    queue: "contacts-sync",
    request: LinkDuplicatesRequestSchema,
    logger: o.logger,
    handler: ({ tenantId }) => o.evidence.duplicates(tenantId),
  });
}
