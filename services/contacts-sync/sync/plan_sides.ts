import type { Contact as CrmContact } from "@app/shared/contract";
import type { PendingOutlook, SyncWarning } from "@app/shared/sync";
import { type CanonicalContact, emptyCanonicalContact } from "./canonical.ts";
import { crmContactToCanonical } from "./crm_mapping.ts";
import { crmIdStampOf, graphContactToCanonical } from "./graph_mapping.ts";
import type { ContactPlanInput, OutlookSide } from "./plan_types.ts";
import type { ContactLink, GraphContact } from "./ports.ts";

/** The Outlook read of one run, indexed for the planner. */
export interface OutlookReads {
  complete: boolean;
  upserts: Map<string, GraphContact>;
  removed: Set<string>;
  /** Contacts in the read that carry a CRM id stamp, by that id (first one wins; later ones are copies). */
  stamped: Map<string, GraphContact>;
  located: ReadonlyMap<string, GraphContact | null>;
}

/** Indexes the Outlook side of a plan input. */
export function indexOutlook(input: ContactPlanInput): OutlookReads {
  const stamped = new Map<string, GraphContact>();
  for (const c of input.outlook.upserts) {
    const stamp = crmIdStampOf(c);
    if (stamp !== undefined && !stamped.has(stamp)) stamped.set(stamp, c);
  }
  return {
    complete: input.outlook.complete,
    upserts: new Map(input.outlook.upserts.map((c) => [c.id, c])),
    removed: new Set(input.outlook.removedIds),
    stamped,
    located: input.located,
  };
}

/** A linked contact's Outlook state in this run (C5 removed, C8 relinked or gone, kept pending). */
export function outlookSideOf(l: ContactLink, r: OutlookReads): OutlookSide {
  const graphId = l.graphId!;
  const item = r.upserts.get(graphId);
  if (item) return { kind: "present", item, relinked: false };
  if (r.removed.has(graphId)) {
    // C8: a delete plus a create of the same contact under a new id is no delete.
    const found = r.stamped.get(l.crmId!) ?? r.located.get(l.crmId!) ?? undefined;
    return found ? { kind: "present", item: found, relinked: true } : { kind: "removed" };
  }
  if (r.complete) {
    const found = r.stamped.get(l.crmId!) ?? r.located.get(l.crmId!) ?? undefined;
    if (found) return { kind: "present", item: found, relinked: true };
    // A delete a delta did report (kept because its archive failed) is still a delete.
    return l.pendingOutlook?.removed ? { kind: "removed" } : { kind: "gone" };
  }
  const p = l.pendingOutlook;
  if (p?.removed) return { kind: "removed" };
  if (p) return { kind: "pending", changeKey: p.changeKey, canonical: p.canonical };
  return { kind: "unchanged" };
}

/** Outlook's canonical record of a pair, and what to keep on the row if its writes fail. */
export interface OutlookCanonical {
  canonical: CanonicalContact;
  warnings: SyncWarning[];
  changeKey: string | null;
  /** Kept on the row if the pair's writes fail, so the Outlook change is planned again (cursor moved on). */
  snapshot: PendingOutlook<CanonicalContact> | null;
}

export function outlookCanonical(l: ContactLink, s: OutlookSide): OutlookCanonical {
  const base = l.base ?? emptyCanonicalContact();
  const kept = l.warnings.filter((w) => w.side === "outlook");
  switch (s.kind) {
    case "present": {
      if (!s.relinked && l.base !== null && s.item.changeKey === l.graphChangeKey) {
        return { canonical: l.base, warnings: kept, changeKey: s.item.changeKey, snapshot: null };
      }
      return fromGraph(s.item);
    }
    case "pending":
      return {
        canonical: s.canonical,
        warnings: kept,
        changeKey: s.changeKey,
        snapshot: { removed: false, changeKey: s.changeKey, canonical: s.canonical },
      };
    default:
      return { canonical: base, warnings: kept, changeKey: l.graphChangeKey, snapshot: null };
  }
}

/** An Outlook contact as read, in canonical form with its snapshot. */
export function fromGraph(item: GraphContact): OutlookCanonical {
  const { canonical, warnings } = graphContactToCanonical(item);
  return {
    canonical,
    warnings: onSide(warnings, "outlook"),
    changeKey: item.changeKey,
    snapshot: { removed: false, changeKey: item.changeKey, canonical },
  };
}

/** The CRM contact's canonical record; unchanged since the last sync when its version is. */
export function crmCanonical(
  l: ContactLink,
  crm: CrmContact,
): { canonical: CanonicalContact; warnings: SyncWarning[] } {
  if (l.base !== null && l.crmVersion === crm.version) {
    return { canonical: l.base, warnings: l.warnings.filter((w) => w.side === "crm") };
  }
  return crmCanonicalFresh(crm);
}

/** The CRM contact mapped afresh, warnings marked as the CRM's. */
export function crmCanonicalFresh(crm: CrmContact): { canonical: CanonicalContact; warnings: SyncWarning[] } {
  const { canonical, warnings } = crmContactToCanonical(crm);
  return { canonical, warnings: onSide(warnings, "crm") };
}

export function onSide(ws: readonly SyncWarning[], s: "crm" | "outlook"): SyncWarning[] {
  return ws.map((w) => ({ ...w, side: s }));
}

/** An unlinked Outlook contact waiting to be matched, created in the CRM or held (C7). */
export interface PoolItem extends OutlookCanonical {
  graphId: string;
  /** Deleted in Outlook meanwhile (only for rows: a create intent whose contact went away). */
  removed: boolean;
  /** The held or create-intent row it comes from. */
  row: ContactLink | undefined;
}

/** A held or create-intent row as a pool item, with the freshest Outlook content known. */
export function poolItemOfRow(l: ContactLink, r: OutlookReads): PoolItem {
  const graphId = l.graphId!;
  const item = r.upserts.get(graphId);
  const removed = r.removed.has(graphId) || l.pendingOutlook?.removed === true || (r.complete && !item);
  if (item) return { ...fromGraph(item), graphId, removed, row: l };
  const pending = l.pendingOutlook?.removed === false ? l.pendingOutlook : undefined;
  const canonical = pending?.canonical ?? l.base ?? emptyCanonicalContact();
  const changeKey = pending?.changeKey ?? l.graphChangeKey;
  return {
    canonical,
    warnings: l.warnings.filter((w) => w.side === "outlook"),
    changeKey,
    snapshot: changeKey === null ? null : { removed: false, changeKey, canonical },
    graphId,
    removed,
    row: l,
  };
}
