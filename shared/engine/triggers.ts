// Triggers (P3) turn CRM events, auth events and the discovery poll into run requests. Handling a
// message twice only asks for a run twice, which coalesces into one: nothing changes the second
// time. CRM events also record which records changed, so the run fetches just those (P8).
import type { AuthClient } from "../auth/mod.ts";
import type { AuthEvent, CrmEvent } from "../contract/mod.ts";
import type { CrmChangeLog } from "./crm_changes.ts";
import type { SyncKind } from "./kind.ts";
import type { Scheduler } from "./scheduler.ts";

/**
 * How long the echo check of a CRM event or a notification waits for this replica's run of the user:
 * the run that made our own write may still be storing its link.
 */
export const ECHO_WAIT_MS = 5_000;

/** Handler of the kind's CRM event consumer. */
export function onCrmEvent(kind: SyncKind, changes: CrmChangeLog, scheduler: Scheduler) {
  return async (event: CrmEvent): Promise<void> => {
    if (!kind.crmEvents.accepts(event)) return;
    const tenantId = event.tenantId;
    for (const r of await kind.crmEvents.route(event, (crmId) => kind.linkedUsers(tenantId, crmId))) {
      // The echo of our own write: the user's link already holds this version. The CRM may announce
      // our write before the run that made it has stored the link: while this replica runs the user,
      // wait (a little) for that run to end. A later run would start after it anyway.
      let waited = false;
      if (r.recordId !== undefined && r.version !== undefined) {
        const ended = scheduler.runEnded(tenantId, r.userId, ECHO_WAIT_MS);
        if (ended) await ended;
        waited = ended !== undefined;
        const held = await kind.linkedVersion(tenantId, r.userId, r.recordId);
        if (held !== undefined && held >= r.version) continue;
      }
      await changes.record(tenantId, r.userId, r.recordId, r.version);
      // Having waited for the run, the wait was the coalescing: the next run may start at once.
      await scheduler.request(tenantId, r.userId, event.type, waited ? { delayMs: 0 } : {});
    }
  };
}

/** Handler of the auth-event consumer: a newly syncable user (or changed settings) gets a run. */
export function onAuthEvent(kind: SyncKind, auth: AuthClient, scheduler: Scheduler) {
  return async (event: AuthEvent): Promise<void> => {
    // Any news about the account or the tenant: the next run asks auth for a fresh token.
    if (event.type === "auth.tenant.switched") auth.forgetTenant(event.tenantId);
    else auth.forgetUser(event.tenantId, event.data.userId);
    switch (event.type) {
      case "auth.account.linked":
      case "auth.settings.changed":
        return scheduler.request(event.tenantId, event.data.userId, event.type);
      case "auth.right.changed":
        if (event.data.granted) await scheduler.request(event.tenantId, event.data.userId, event.type);
        return;
      case "auth.tenant.switched":
        if (!event.data.enabled) return;
        for (const u of await auth.syncableUsers(event.tenantId)) {
          if (kind.target(u).enabled) await scheduler.request(u.tenantId, u.userId, event.type);
        }
        return;
      default:
        return; // unlinked, needs reconnect: runs check the user's context and stop by themselves
    }
  };
}

/** The discovery poll: asks for a run of every syncable user with this kind on and a target chosen. */
export async function pollSyncableUsers(kind: SyncKind, auth: AuthClient, scheduler: Scheduler): Promise<number> {
  let n = 0;
  for (const u of await auth.syncableUsers()) {
    const t = kind.target(u);
    if (!t.enabled || !t.targetId) continue;
    await scheduler.request(u.tenantId, u.userId, "poll");
    n++;
  }
  return n;
}
