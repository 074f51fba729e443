// Step 1 of the planner: both sides of one run, indexed and canonicalised once (each CRM contact
// and each Outlook contact is mapped at most once, and only when the plan needs it), and the state
// of each side of a pair as the case table (`plan_cases.ts`) reads it.
import type { Contact as CrmContact } from "@app/shared/contract";
import type { PendingOutlook, SyncWarning } from "@app/shared/sync";
import { type CanonicalContact, emptyCanonicalContact } from "./canonical.ts";
import { crmContactToCanonical } from "./crm_mapping.ts";
import { crmIdStampOf, graphContactToCanonical } from "./graph_mapping.ts";
import type { CrmState, LinkState, OutlookState } from "./plan_cases.ts";
import type { ContactPlanInput, OutlookSide } from "./plan_types.ts";
import type { ContactLink, GraphContact } from "./ports.ts";

/** A CRM contact in canonical form, its warnings marked as the CRM's (C6). */
export interface CrmCanonical {
  canonical: CanonicalContact;
  warnings: SyncWarning[];
}

/** Outlook's canonical record of a pair, and what to keep on the row if its writes fail. */
export interface OutlookCanonical {
  canonical: CanonicalContact;
  warnings: SyncWarning[];
  changeKey: string | null;
  /** Kept on the row if the pair's writes fail, so the Outlook change is planned again (cursor moved on). */
  snapshot: PendingOutlook<CanonicalContact> | null;
}

/** An unlinked Outlook contact waiting to be matched, created in the CRM or held (C7). */
export interface PoolItem extends OutlookCanonical {
  graphId: string;
  /** Deleted in Outlook meanwhile (only for rows: a create intent whose contact went away). */
  removed: boolean;
  /** The held or create-intent row it comes from. */
  row: ContactLink | undefined;
}

/** Both sides of one run, indexed, with each record's canonical form computed on first use. */
export class Sides {
  readonly complete: boolean;
  readonly crmById: ReadonlyMap<string, CrmContact>;
  readonly upserts: ReadonlyMap<string, GraphContact>;
  readonly removed: ReadonlySet<string>;
  /** Contacts in the read that carry a CRM id stamp, by that id (first one wins; later ones are copies). */
  readonly stamped: ReadonlyMap<string, GraphContact>;
  readonly located: ReadonlyMap<string, GraphContact | null>;
  readonly #crm = new Map<string, CrmCanonical>();
  readonly #graph = new Map<GraphContact, OutlookCanonical>();

  constructor(input: ContactPlanInput) {
    const stamped = new Map<string, GraphContact>();
    for (const c of input.outlook.upserts) {
      const stamp = crmIdStampOf(c);
      if (stamp !== undefined && !stamped.has(stamp)) stamped.set(stamp, c);
    }
    this.complete = input.outlook.complete;
    this.crmById = new Map(input.crm.inScope.map((c) => [c.id, c]));
    this.upserts = new Map(input.outlook.upserts.map((c) => [c.id, c]));
    this.removed = new Set(input.outlook.removedIds);
    this.stamped = stamped;
    this.located = input.located;
  }

  /** The CRM contact mapped afresh (once per run), warnings marked as the CRM's. */
  crmFresh(crm: CrmContact): CrmCanonical {
    let c = this.#crm.get(crm.id);
    if (!c) {
      const { canonical, warnings } = crmContactToCanonical(crm);
      this.#crm.set(crm.id, c = { canonical, warnings: onSide(warnings, "crm") });
    }
    return c;
  }

  /** The CRM side of a linked pair: the row's base while the version is the one synced. */
  crmOf(l: ContactLink, crm: CrmContact): CrmCanonical {
    if (l.base !== null && l.crmVersion === crm.version) {
      return { canonical: l.base, warnings: l.warnings.filter((w) => w.side === "crm") };
    }
    return this.crmFresh(crm);
  }

  /** An Outlook contact as read (mapped once per run), with its snapshot. */
  graph(item: GraphContact): OutlookCanonical {
    let o = this.#graph.get(item);
    if (!o) {
      const { canonical, warnings } = graphContactToCanonical(item);
      o = {
        canonical,
        warnings: onSide(warnings, "outlook"),
        changeKey: item.changeKey,
        snapshot: { removed: false, changeKey: item.changeKey, canonical },
      };
      this.#graph.set(item, o);
    }
    return o;
  }

  /** The Outlook contact a create intent made before a crash, found by its stamp. */
  createdFor(crmId: string): GraphContact | undefined {
    return this.stamped.get(crmId) ?? this.located.get(crmId) ?? undefined;
  }

  /** A linked contact's Outlook state in this run (C5 removed, C8 relinked or gone, kept pending). */
  outlookSideOf(l: ContactLink): OutlookSide {
    const graphId = l.graphId!;
    const item = this.upserts.get(graphId);
    if (item) return { kind: "present", item, relinked: false };
    if (this.removed.has(graphId)) {
      // C8: a delete plus a create of the same contact under a new id is no delete.
      const found = this.createdFor(l.crmId!);
      return found ? { kind: "present", item: found, relinked: true } : { kind: "removed" };
    }
    if (this.complete) {
      const found = this.createdFor(l.crmId!);
      if (found) return { kind: "present", item: found, relinked: true };
      // A delete a delta did report (kept because its archive failed) is still a delete.
      return l.pendingOutlook?.removed ? { kind: "removed" } : { kind: "gone" };
    }
    const p = l.pendingOutlook;
    if (p?.removed) return { kind: "removed" };
    if (p) return { kind: "pending", changeKey: p.changeKey, canonical: p.canonical };
    return { kind: "unchanged" };
  }

  /** Outlook's canonical record of a linked pair: the base when nothing changed there. */
  outlookOf(l: ContactLink, s: OutlookSide): OutlookCanonical {
    const kept = l.warnings.filter((w) => w.side === "outlook");
    switch (s.kind) {
      case "present":
        if (!s.relinked && l.base !== null && s.item.changeKey === l.graphChangeKey) {
          return { canonical: l.base, warnings: kept, changeKey: s.item.changeKey, snapshot: null };
        }
        return this.graph(s.item);
      case "pending":
        return {
          canonical: s.canonical,
          warnings: kept,
          changeKey: s.changeKey,
          snapshot: { removed: false, changeKey: s.changeKey, canonical: s.canonical },
        };
      default:
        return {
          canonical: l.base ?? emptyCanonicalContact(),
          warnings: kept,
          changeKey: l.graphChangeKey,
          snapshot: null,
        };
    }
  }

  /** A held or create-intent row as a pool item, with the freshest Outlook content known. */
  poolItemOfRow(l: ContactLink): PoolItem {
    const graphId = l.graphId!;
    const item = this.upserts.get(graphId);
    const removed = this.removed.has(graphId) || l.pendingOutlook?.removed === true || (this.complete && !item);
    if (item) return { ...this.graph(item), graphId, removed, row: l };
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

  /** An unlinked Outlook contact of the read as a pool item. */
  poolItemOf(item: GraphContact): PoolItem {
    return { ...this.graph(item), graphId: item.id, removed: false, row: undefined };
  }
}

/** The link row's state for the case table. */
export function linkStateOf(l: ContactLink | undefined): LinkState {
  if (!l) return "none";
  if (l.state !== "synced") return l.state;
  return l.base !== null && l.graphStamped && l.lastError === null ? "clean" : "dirty";
}

/** The CRM side's state of a linked pair for the case table. */
export function crmStateOf(l: ContactLink, crm: CrmContact | undefined): CrmState {
  if (!crm) return "absent";
  return crm.version === l.crmVersion ? "same" : "changed";
}

/** The Outlook side's state of a synced pair for the case table. */
export function outlookStateOf(l: ContactLink, s: OutlookSide): OutlookState {
  switch (s.kind) {
    case "unchanged":
      return "same";
    case "present":
      if (s.relinked) return "moved";
      return s.item.changeKey === l.graphChangeKey ? "same" : "changed";
    case "pending":
      return "changed";
    case "removed":
      return "removed";
    case "gone":
      return "missing";
  }
}

function onSide(ws: readonly SyncWarning[], s: "crm" | "outlook"): SyncWarning[] {
  return ws.map((w) => ({ ...w, side: s }));
}
