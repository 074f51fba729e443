// Turn CRM and auth events into run requests (P3). Handling a message twice only asks for a run
// twice, which coalesces into one: nothing changes the second time.
import type { AuthClient } from "@app/shared/auth";
import type { AuthEvent, CrmEvent } from "@app/shared/contract";
import type { RunCoordinator } from "@app/shared/runs";
import type { StatusStore } from "../adapters/status_store.ts";

/** Users whose Outlook a CRM contact event can change: those flagged now and those linked to it. */
export async function usersAffectedByContactEvent(store: StatusStore, event: CrmEvent): Promise<string[]> {
  const users = new Set<string>();
  let contactId: string;
  switch (event.type) {
    case "crm.contact.created":
    case "crm.contact.updated":
    case "crm.contact.archived":
      contactId = event.data.contact.id;
      event.data.contact.syncUserIds.forEach((u) => users.add(u));
      break;
    case "crm.contact.deleted":
      contactId = event.data.contactId;
      break;
    case "crm.contact.sync_flag_changed":
      contactId = event.data.contactId;
      users.add(event.data.userId);
      break;
    default:
      return [];
  }
  (await store.usersLinkedTo(event.tenantId, contactId)).forEach((u) => users.add(u));
  return [...users];
}

/** Handler of the CRM contact-event consumer. */
export function onCrmContactEvent(store: StatusStore, runs: RunCoordinator) {
  return async (event: CrmEvent): Promise<void> => {
    for (const userId of await usersAffectedByContactEvent(store, event)) {
      await runs.request(event.tenantId, userId, event.type);
    }
  };
}

/** Handler of the auth-event consumer: a newly syncable user (or changed settings) gets a run. */
export function onAuthEvent(auth: AuthClient, runs: RunCoordinator) {
  return async (event: AuthEvent): Promise<void> => {
    switch (event.type) {
      case "auth.account.linked":
      case "auth.settings.changed":
        return runs.request(event.tenantId, event.data.userId, event.type);
      case "auth.right.changed":
        if (event.data.granted) await runs.request(event.tenantId, event.data.userId, event.type);
        return;
      case "auth.tenant.switched":
        if (!event.data.enabled) return;
        for (const u of await auth.syncableUsers(event.tenantId)) {
          if (u.settings.contacts.enabled) await runs.request(u.tenantId, u.userId, event.type);
        }
        return;
      default:
        return; // unlinked, needs reconnect: runs check the user's context and stop by themselves
    }
  };
}

/** The safety-net poll (P3): asks for a run of every syncable user with contact sync on. */
export async function pollSyncableUsers(auth: AuthClient, runs: RunCoordinator): Promise<number> {
  let n = 0;
  for (const u of await auth.syncableUsers()) {
    if (!u.settings.contacts.enabled || !u.settings.contacts.folderId) continue;
    await runs.request(u.tenantId, u.userId, "poll");
    n++;
  }
  return n;
}
