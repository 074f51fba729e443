// The incremental read of a contacts run (P8): the Outlook delta since the cursor, the CRM records
// the CRM's events named (one batch get), and only the link rows of the records involved. A run's
// cost then follows the size of the change, not of the mailbox. Anything that needs complete
// listings (first sync, a new folder, a lost cursor, a group change, reconciliation) goes to the
// full read, and so does a run that would remove a linked contact because the CRM dropped it (P6).
import type { Contact as CrmContact } from "@app/shared/contract";
import type { ReadScope } from "@app/shared/engine";
import { DeltaExpiredError } from "@app/shared/sync";
import { crmIdStampOf } from "../sync/graph_mapping.ts";
import { crmIdsToLocate } from "../sync/plan.ts";
import type { OutOfScopeReason } from "../sync/plan_types.ts";
import type { GraphChanges, GraphContact } from "../sync/ports.ts";
import { type ContactRead, type ContactSyncDeps, withUnreportedDeletes } from "../sync/run.ts";

/** What a contacts run reads with, bound to one user. */
export interface ReadChangesDeps extends Pick<ContactSyncDeps, "graph" | "crm" | "links"> {
  userId: string;
  /** The complete read (both sides listed, every link), for what an incremental read cannot do. */
  fullRead: (scope: ReadScope) => Promise<ContactRead>;
}

/** Reads one run's world: incrementally when the scope and the stored cursor allow, else in full. */
export async function readContactChanges(d: ReadChangesDeps, scope: ReadScope): Promise<ContactRead> {
  if (scope.mode === "reconcile" || scope.crmChanges.full) return await d.fullRead(scope);
  const cursor = await d.links.getCursor();
  if (cursor.cursor === undefined) return await d.fullRead(scope);
  let delta: GraphChanges;
  try {
    delta = await d.graph.readChanges(cursor.cursor);
  } catch (err) {
    // C8: a lost cursor means complete listings of both sides, reconciled, never deletes by omission.
    if (err instanceof DeltaExpiredError) return await d.fullRead(scope);
    throw err;
  }
  const outlook = withUnreportedDeletes(delta, cursor.created);
  if (outlook.complete) return await d.fullRead(scope);

  const graphIds = [...outlook.upserts.map((c) => c.id), ...outlook.removedIds];
  // A stamped Outlook item names its CRM record: its link must be in the plan (a copy is no import).
  const stamped = outlook.upserts.map(crmIdStampOf).filter((s) => s !== undefined);
  const changedCrm = [...scope.crmChanges.ids.keys()];
  const links = await d.links.involved({ crmIds: [...new Set([...changedCrm, ...stamped])], graphIds });
  const wantedCrm = new Set([...changedCrm, ...links.flatMap((l) => l.crmId === null ? [] : [l.crmId])]);
  const crm = new Map((await d.crm.getMany([...wantedCrm])).map((c) => [c.id, c]));

  const inScope: CrmContact[] = [];
  const outOfScope = new Map<string, OutOfScopeReason>();
  for (const id of wantedCrm) {
    const c = crm.get(id);
    if (c && !c.archived && c.syncUserIds.includes(d.userId)) inScope.push(c);
    else outOfScope.set(id, !c ? "deleted" : c.archived ? "archived" : "unflagged");
  }
  // P6: a record that left the user's scope removes its Outlook copy. Removals are checked against
  // the complete CRM listing, so a mass unflag spread over several runs is still seen as one.
  if (links.some((l) => l.state === "synced" && l.crmId !== null && outOfScope.has(l.crmId))) {
    return await d.fullRead(scope);
  }
  const wanted = crmIdsToLocate(links, outlook);
  const found = wanted.length > 0 ? await d.graph.locateByCrmIds(wanted) : new Map<string, GraphContact>();
  return {
    complete: false,
    linkedCount: await d.links.countSynced(),
    firstSync: false,
    changed: outlook.upserts.length > 0 || outlook.removedIds.length > 0,
    outlook,
    inScope,
    outOfScope,
    located: new Map(wanted.map((id) => [id, found.get(id) ?? null])),
    links,
  };
}
