import type { Contact as CrmContact } from "@app/shared/contract";
import type { PairOutcome } from "@app/shared/engine";
import { jsonEquals } from "@app/shared/sync";
import { crmContactToCanonical } from "./crm_mapping.ts";
import type { ContactAction, PairPlan } from "./plan_types.ts";
import type { ContactLink, GraphContact } from "./ports.ts";

/**
 * The row to persist once a pair is done, failed or deferred (the engine adds attempts and error):
 * `after` filled with what the writes returned, or the row to keep. A contact gone in Outlook on an
 * update is an Outlook delete (P9): kept on the row as one, so the next run archives it in the CRM
 * through the P6 check like a delta `@removed`.
 */
export function settleContactPair(p: PairPlan, o: PairOutcome<ContactAction>, now: string): ContactLink | null {
  const crm = valueOf<CrmContact>(p, o, (k) => k === "createInCrm" || k === "updateInCrm" || k === "archiveInCrm");
  const graph = valueOf<GraphContact>(
    p,
    o,
    (k) => k === "createInGraph" || k === "updateInGraph" || k === "stampInGraph",
  );
  if (o.status !== "done" && crm && p.actions[0]?.kind === "createInCrm" && p.after) {
    // The CRM contact exists; only stamping it in Outlook failed or waits. Link it now, stamp next run.
    return { ...p.after, crmId: crm.id, crmVersion: crm.version, graphStamped: false, updatedAt: now };
  }
  if (o.status !== "done") {
    const keep = p.onFailure ?? p.before;
    if (!keep) return null;
    const failed = o.failure?.action;
    if (o.failure?.error.kind === "gone" && (failed?.kind === "updateInGraph" || failed?.kind === "stampInGraph")) {
      return { ...keep, pendingOutlook: { removed: true } };
    }
    return keep;
  }
  if (p.after === null) return null;
  const row: ContactLink = { ...p.after, updatedAt: now };
  if (graph) {
    row.graphId = graph.id;
    row.graphChangeKey = graph.changeKey;
  }
  if (crm) {
    row.crmId = crm.id;
    // Echo check: when the CRM stored something other than what we sent, compare next run instead of trusting the version.
    const same = row.base !== null && jsonEquals(crmContactToCanonical(crm).canonical, row.base);
    row.crmVersion = same ? crm.version : null;
  }
  return row;
}

/** The value the last matching successful action of the pair returned. */
function valueOf<T>(p: PairPlan, o: PairOutcome<ContactAction>, kind: (k: ContactAction["kind"]) => boolean) {
  let found: T | undefined;
  p.actions.forEach((a, i) => {
    if (kind(a.kind) && o.values[i] !== undefined) found = o.values[i] as T;
  });
  return found;
}
