// The contacts kind of the shared engine: what is specific to contacts (their folder, events,
// adapters, planner, report). Everything else — scheduling, safety, apply, status — is the engine's.
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { NatsConnection } from "@nats-io/nats-core";
import { z } from "zod";
import type { CrmEvent } from "@app/shared/contract";
import type { CrmEventRoute, SyncKind } from "@app/shared/engine";
import type { NatsCatalog } from "@app/shared/nats";
import { CrmContactsNats } from "./adapters/crm_contacts_nats.ts";
import { contactFolderPath, GraphContactsAdapter } from "./adapters/graph_contacts.ts";
import { ContactLinkQueries } from "./adapters/link_queries.ts";
import { LinkStorePg } from "./adapters/link_store_pg.ts";
import { readContactChanges } from "./adapters/read_changes.ts";
import type { ContactsSyncSchema } from "./db/schema.ts";
import type { ContactAction, ContactPlan } from "./sync/plan_types.ts";
import type { ContactLink } from "./sync/ports.ts";
import { type ContactRead, contactsRun } from "./sync/run.ts";

const Ids = z.array(z.string());
const Items = z.array(z.record(z.string(), z.unknown()));
/** OpenAPI shape of the contacts report (status summaries and the A9 preview). */
export const ContactReportSchema = z.object({
  conflicts: Items,
  warnings: Items,
  preview: z.object({
    linked: z.array(z.object({ crmId: z.string(), graphId: z.string(), by: z.string() })),
    createInOutlook: Ids,
    createInCrm: Ids,
    probableDuplicates: z.array(z.object({
      by: z.string(),
      key: z.string(),
      crmIds: Ids,
      graphIds: Ids,
    })),
    invalid: Items,
    notImported: Ids,
    counts: z.object({
      linked: z.number(),
      createInOutlook: z.number(),
      createInCrm: z.number(),
      probableDuplicates: z.number(),
      invalid: z.number(),
      notImported: z.number(),
    }),
  }),
});

/** The users and record a CRM contact event concerns: those flagged now and those linked to it. */
export async function routeContactEvent(
  event: CrmEvent,
  linkedUsers: (crmId: string) => Promise<string[]>,
): Promise<CrmEventRoute[]> {
  const users = new Set<string>();
  let recordId: string;
  let version: number;
  switch (event.type) {
    case "crm.contact.created":
    case "crm.contact.updated":
    case "crm.contact.archived":
      ({ id: recordId, version } = event.data.contact);
      event.data.contact.syncUserIds.forEach((u) => users.add(u));
      break;
    case "crm.contact.deleted":
      ({ contactId: recordId, version } = event.data);
      break;
    case "crm.contact.sync_flag_changed":
      ({ contactId: recordId, version } = event.data);
      users.add(event.data.userId);
      break;
    default:
      return [];
  }
  (await linkedUsers(recordId)).forEach((u) => users.add(u));
  return [...users].map((userId) => ({ userId, recordId, version }));
}

/** The contacts kind, bound to contacts-sync's database and NATS. */
export function contactsKind(o: {
  db: PostgresJsDatabase<ContactsSyncSchema>;
  nc: NatsConnection;
  catalog: NatsCatalog;
  defaultCountry: string;
}): SyncKind<ContactLink, ContactAction, ContactRead, ContactPlan> {
  const queries = new ContactLinkQueries(o.db);
  return {
    name: "contacts",
    title: "contact sync",
    targetTitle: "contact folder",
    target: (u) => ({ enabled: u.settings.contacts.enabled, targetId: u.settings.contacts.folderId }),
    crmEvents: { accepts: (e) => e.type.startsWith("crm.contact."), route: routeContactEvent },
    subscriptionResource: (folderId) => `${contactFolderPath(folderId)}/contacts`,
    reportSchema: ContactReportSchema,
    open: (s) => {
      const deps = {
        graph: new GraphContactsAdapter(s.graph, s.targetId),
        crm: new CrmContactsNats(o.nc, o.catalog, s.tenantId),
        links: new LinkStorePg(o.db, s.tenantId, s.userId, s.targetId),
        now: s.now,
        sleep: s.sleep,
      };
      const run = contactsRun(deps, {
        tenantId: s.tenantId,
        userId: s.userId,
        direction: s.user.settings.contacts.direction,
        conflictPolicy: s.user.conflictPolicy,
        defaultCountry: o.defaultCountry,
      });
      // P8: a run reads what changed (the events' records, the delta, their links), not the mailbox.
      return { ...run, read: (scope) => readContactChanges({ ...deps, userId: s.userId, fullRead: run.read }, scope) };
    },
    linkedUsers: (t, crmId) => queries.usersLinkedTo(t, crmId),
    linkedVersion: (t, u, crmId) => queries.linkedVersion(t, u, crmId),
    linkedChangeKey: (t, u, graphId) => queries.linkedChangeKey(t, u, graphId),
    linkCounts: (t, u) => queries.linkCounts(t, u),
    item: (t, u, crmId) => queries.item(t, u, crmId),
  };
}
