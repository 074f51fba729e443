import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { LinkDuplicatesRequestSchema } from "@app/shared/contract";
import type { Logger } from "@app/shared/log";
import { type NatsCatalog, serveRpc } from "@app/shared/nats";
import type { EventLinkEvidencePg } from "../adapters/link_evidence_pg.ts";

/**
 * Answers dedupe's `calendar.rpc.links.duplicates` (D4) from calendar-sync's links; every replica
 * serves it in the queue group `calendar-sync`.
 */
export function serveCalendarLinkDuplicates(o: {
  nc: NatsConnection;
  catalog: NatsCatalog;
  evidence: EventLinkEvidencePg;
  logger: Logger;
}): Subscription {
  return serveRpc({
    nc: o.nc,
    subject: o.catalog.subjects.calendar.rpc.linkDuplicates,
    queue: "calendar-sync",
    request: LinkDuplicatesRequestSchema,
    logger: o.logger,
    handler: ({ tenantId }) => o.evidence.duplicates(tenantId),
  });
}
