import type { NatsConnection } from "@nats-io/nats-core";
import { type LinkDuplicate, LinkDuplicatesReplySchema } from "@app/shared/contract";
import { RetryableError } from "@app/shared/errors";
import type { Logger } from "@app/shared/log";
import { callRpc, type NatsCatalog } from "@app/shared/nats";

/** A sync service that can tell duplicates from its links (D4). */
export type LinkSource = "contacts-sync" | "calendar-sync";

/** What the sync services' links say, and which of them did not answer. */
export interface LinkEvidence {
  contacts: LinkDuplicate[];
  appointments: LinkDuplicate[];
  unavailable: LinkSource[];
}

/**
 * Asks contacts-sync and calendar-sync for duplicates their links show (D4). A service that is not
 * running, or does not answer in time, gives no evidence — the scan goes on without it and the
 * report says so — while a malformed or error answer is logged and counted the same way.
 */
export async function askLinkEvidence(
  nc: NatsConnection,
  catalog: NatsCatalog,
  tenantId: string,
  o: { timeoutMs: number; logger: Logger },
): Promise<LinkEvidence> {
  const ask = async (source: LinkSource, subject: string): Promise<LinkDuplicate[] | undefined> => {
    try {
      return (await callRpc(nc, subject, { tenantId }, LinkDuplicatesReplySchema, { timeoutMs: o.timeoutMs })).items;
    } catch (err) {
      if (!(err instanceof RetryableError)) o.logger.warn("link evidence unusable", { source, error: err });
      return undefined;
    }
  };
  const [contacts, appointments] = await Promise.all([
    ask("contacts-sync", catalog.subjects.contacts.rpc.linkDuplicates),
    ask("calendar-sync", catalog.subjects.calendar.rpc.linkDuplicates),
  ]);
  return {
    contacts: contacts ?? [],
    appointments: appointments ?? [],
    unavailable: [
      ...(contacts ? [] : ["contacts-sync" as const]),
      ...(appointments ? [] : ["calendar-sync" as const]),
    ],
  };
}
