// The contact planner, one pipeline: (1) both sides canonicalised once (`plan_sides.ts`); (2) each
// pair classified by one case table (`plan_cases.ts`): link rows first, then unlinked Outlook
// contacts, then what first-sync matching makes of the rest; (3) each case's remote actions
// emitted here, with its link rows from `plan_rows.ts`.
import type { Contact as CrmContact } from "@app/shared/contract";
import type { CountryCode } from "@app/shared/normalize";
import { jsonEquals, mergeThreeWay, type SyncWarning } from "@app/shared/sync";
import { alignEquivalent, type CanonicalContact, emptyCanonicalContact } from "./canonical.ts";
import { canonicalToCrmFields, settleThroughCrm } from "./crm_mapping.ts";
import { canonicalToGraphContact, crmIdStampOf } from "./graph_mapping.ts";
import { matchContacts } from "./match.ts";
import { type GoneState, matchCase, type MatchState, pairCase, type PoolState } from "./plan_cases.ts";
import { LinkRows } from "./plan_rows.ts";
import {
  type CrmCanonical,
  crmStateOf,
  linkStateOf,
  type OutlookCanonical,
  outlookStateOf,
  type PoolItem,
  Sides,
} from "./plan_sides.ts";
import type {
  ContactAction,
  ContactConflict,
  ContactPlan,
  ContactPlanInput,
  ContactSyncPreview,
  ItemWarning,
  PairPlan,
} from "./plan_types.ts";
import type { ContactLink, GraphContact } from "./ports.ts";

/**
 * The CRM ids whose Outlook item the runner must look up by stamp (C8) before planning: intents
 * to create in Outlook (a crash may have left the item without its link), linked items a delta
 * reports removed (an id that changed comes back as a delete plus a create, and delta reads carry
 * no stamp) and, on a complete listing, linked items missing from it (never a delete by omission).
 */
export function crmIdsToLocate(links: readonly ContactLink[], outlook: ContactPlanInput["outlook"]): string[] {
  const listed = new Set(outlook.upserts.map((c) => c.id));
  const removed = new Set(outlook.removedIds);
  const stamped = new Set(outlook.upserts.map(crmIdStampOf).filter((s) => s !== undefined));
  const ids: string[] = [];
  for (const l of links) {
    if (l.crmId === null || stamped.has(l.crmId)) continue;
    if (l.state === "creating_in_graph") ids.push(l.crmId);
    else if (
      l.state === "synced" && l.graphId !== null &&
      (removed.has(l.graphId) || (outlook.complete && !listed.has(l.graphId)))
    ) {
      ids.push(l.crmId);
    }
  }
  return ids;
}

/**
 * Plans one user's contact sync, purely (architecture: "plan purely, then apply"). Linked pairs are
 * merged field by field against their last synced record (C9); unlinked contacts are matched first
 * (C7) and only then created on the other side; deletes follow C5; one-way mode follows C4; a
 * complete listing never deletes or archives by omission (C8). Unchanged pairs yield nothing.
 */
export function planContactSync(input: ContactPlanInput): ContactPlan {
  const p = new Planner(input);
  for (const l of input.links) p.linkRow(l);
  for (const item of input.outlook.upserts) p.unlinkedOutlook(item);
  p.matchRest();
  return p.build();
}

/** One run's planning state: the sides, the pairs emitted so far and what is left to match. */
class Planner {
  readonly #in: ContactPlanInput;
  readonly #sides: Sides;
  readonly #rows: LinkRows;
  readonly #twoWay: boolean;
  readonly #country: CountryCode;
  readonly #pairs: PairPlan[] = [];
  readonly #conflicts: ContactConflict[] = [];
  readonly #warnings: ItemWarning[] = [];
  readonly #preview: ContactSyncPreview = {
    linked: [],
    createInOutlook: [],
    createInCrm: [],
    probableDuplicates: [],
    invalid: [],
    notImported: [],
  };
  /** CRM ids and Outlook ids a link row or an earlier case already holds. */
  readonly #claimedCrm: Set<string>;
  readonly #claimedGraph: Set<string>;
  /** Unlinked Outlook contacts (and held / create-intent rows) to match against the CRM (C7). */
  readonly #pool: PoolItem[] = [];
  /** Linked contacts missing from a complete listing and not found by stamp (C8), by CRM id. */
  readonly #gone = new Map<string, ContactLink>();

  constructor(input: ContactPlanInput) {
    this.#in = input;
    this.#sides = new Sides(input);
    this.#rows = new LinkRows(input);
    this.#twoWay = input.settings.direction === "two-way";
    this.#country = (input.settings.defaultCountry ?? "DE") as CountryCode;
    this.#claimedCrm = new Set(input.links.flatMap((l) => l.crmId === null ? [] : [l.crmId]));
    this.#claimedGraph = new Set(input.links.flatMap((l) => l.graphId === null ? [] : [l.graphId]));
  }

  /** Classifies a link row by its sides' states and carries its case out. */
  linkRow(l: ContactLink): void {
    const dir = this.#in.settings.direction;
    if (l.state === "synced") return this.#synced(l);
    if (l.state === "creating_in_graph") return this.#graphIntent(l);
    const item = this.#sides.poolItemOfRow(l);
    switch (pairCase(linkStateOf(l), "absent", item.removed ? "removed" : "changed", dir)) {
      case "unlink":
        return this.#unlink(l);
      default:
        this.#pool.push(item);
    }
  }

  #synced(l: ContactLink): void {
    const crmId = l.crmId!;
    const crm = this.#sides.crmById.get(crmId);
    const side = this.#sides.outlookSideOf(l);
    const graphId = side.kind === "present" ? side.item.id : l.graphId!;
    if (side.kind === "present") this.#claimedGraph.add(graphId);
    const c = pairCase(linkStateOf(l), crmStateOf(l, crm), outlookStateOf(l, side), this.#in.settings.direction);
    switch (c) {
      case "unlink":
        return this.#unlink(l);
      case "delete_in_graph":
        return this.#deleteInGraph(l, crmId, graphId, { ...l, graphId });
      case "archive_in_crm":
        return this.#push(this.#rows.drop(l, [{ kind: "archiveInCrm", crmId }], {
          ...l,
          pendingOutlook: { removed: true },
        }));
      case "match":
        return void this.#gone.set(crmId, l);
      case "create_in_graph":
        return this.#createInGraph(crm!, l);
      case "nothing":
        return;
      case "merge":
      case "relink":
        return this.#merge({
          key: l.id,
          before: l,
          base: l.base,
          crm: crm!,
          crmSide: this.#sides.crmOf(l, crm!),
          graphId,
          out: this.#sides.outlookOf(l, side),
          actions: c === "relink" ? [{ kind: "relinkByCrmId", crmId, graphId }] : [],
        });
      default:
        throw new RangeError(`case ${c} does not apply to a synced row`);
    }
  }

  #graphIntent(l: ContactLink): void {
    const crmId = l.crmId!;
    const crm = this.#sides.crmById.get(crmId);
    const found = this.#sides.createdFor(crmId);
    if (found) this.#claimedGraph.add(found.id);
    const dir = this.#in.settings.direction;
    const c = pairCase("creating_in_graph", crm ? "changed" : "absent", found ? "found" : "none", dir);
    switch (c) {
      case "create_in_graph":
        return this.#createInGraph(crm!, l);
      case "unlink":
        return this.#unlink(l);
      case "delete_in_graph":
        return this.#deleteInGraph(l, crmId, found!.id, l);
      case "adopt":
        // A create that reached Outlook before the process died: link it instead of creating twice.
        return this.#merge({
          key: l.id,
          before: l,
          base: l.base,
          crm: crm!,
          crmSide: this.#sides.crmOf(l, crm!),
          graphId: found!.id,
          out: { ...this.#sides.graph(found!), snapshot: null },
          actions: [{ kind: "link", crmId, graphId: found!.id }],
        });
      default:
        throw new RangeError(`case ${c} does not apply to a create intent`);
    }
  }

  /** Classifies an Outlook contact of the read that no row holds. */
  unlinkedOutlook(item: GraphContact): void {
    if (this.#claimedGraph.has(item.id)) return;
    const stamp = crmIdStampOf(item);
    const crm = stamp === undefined ? undefined : this.#sides.crmById.get(stamp);
    const state = stamp === undefined ? "unstamped" : this.#claimedCrm.has(stamp) ? "copy" : "stamped";
    const c = pairCase("none", crm ? "changed" : "absent", state, this.#in.settings.direction);
    switch (c) {
      case "ignore_copy":
        // A copy of a synced contact carries its stamp; importing it would duplicate the CRM contact.
        return this.#warn({ code: "copy_ignored", message: `copy of synced contact ${stamp} ignored` }, null, item.id);
      case "link_by_stamp":
        // C8: the link row was lost, the stamp was not.
        this.#claimedCrm.add(crm!.id);
        this.#preview.linked.push({ crmId: crm!.id, graphId: item.id, by: "crm_id_stamp" });
        return this.#newPair(crm!, this.#sides.poolItemOf(item), false);
      default:
        this.#pool.push(this.#sides.poolItemOf(item));
    }
  }

  /** First-sync matching (C7) of what is left, each result classified by the match cases. */
  matchRest(): void {
    const dir = this.#in.settings.direction;
    const gone = this.#gone;
    const crmPool = this.#in.crm.inScope.filter((c) => !this.#claimedCrm.has(c.id) || gone.has(c.id));
    const poolById = new Map(this.#pool.map((o) => [o.graphId, o]));
    const m = matchContacts(
      crmPool.map((c) => ({ id: c.id, canonical: this.#sides.crmFresh(c).canonical })),
      this.#pool.map((o) => ({ id: o.graphId, canonical: o.canonical })),
      { defaultCountry: this.#country },
    );
    const poolState = (o: PoolItem): PoolState => o.removed ? "removed" : "present";
    const goneState = (crmId: string): GoneState => gone.has(crmId) ? "gone" : "new";
    for (const p of m.pairs) {
      const o = poolById.get(p.graphId)!;
      const crm = this.#sides.crmById.get(p.crmId)!;
      switch (matchCase("paired", poolState(o), goneState(crm.id), dir)) {
        case "archive_orphan":
          // The CRM create of a since-deleted Outlook contact happened before a crash: archive it (C5).
          this.#push(this.#rows.drop(o.row!, [{ kind: "archiveInCrm", crmId: crm.id }]));
          break;
        case "relink": {
          const l = gone.get(crm.id)!;
          gone.delete(crm.id);
          if (o.row) this.#unlink(o.row);
          this.#merge({
            key: l.id,
            before: l,
            base: l.base,
            crm,
            crmSide: this.#sides.crmOf(l, crm),
            graphId: o.graphId,
            out: o,
            actions: [{ kind: "relinkByCrmId", crmId: crm.id, graphId: o.graphId }],
            stamp: true,
          });
          break;
        }
        default:
          this.#preview.linked.push(p);
          this.#newPair(crm, o);
      }
    }
    this.#preview.probableDuplicates = m.probableDuplicates;
    for (const id of new Set(m.probableDuplicates.flatMap((d) => d.graphIds))) {
      const o = poolById.get(id)!;
      if (matchCase("duplicate", poolState(o), "new", dir) === "hold") {
        const held = this.#rows.held(o.graphId, o, o.row);
        if (held) this.#push(held);
      } else if (o.row) this.#unlink(o.row);
    }
    const unmatchedCrm = new Set(m.unmatchedCrmIds);
    const pairedCrm = new Set(m.pairs.map((p) => p.crmId));
    const crmState = (id: string): MatchState =>
      pairedCrm.has(id) ? "paired" : unmatchedCrm.has(id) ? "unmatched" : "duplicate";
    for (const id of [...m.unmatchedCrmIds.filter((id) => !gone.has(id)), ...gone.keys()]) {
      if (matchCase(crmState(id), "crm", goneState(id), dir) === "create_in_graph") {
        this.#createInGraph(this.#sides.crmById.get(id)!, gone.get(id));
      }
    }
    for (const id of m.unmatchedGraphIds) {
      const o = poolById.get(id)!;
      switch (matchCase("unmatched", poolState(o), "new", dir)) {
        case "create_in_crm":
          this.#createInCrm(o);
          break;
        case "not_imported":
          this.#preview.notImported.push(o.graphId);
          if (o.row) this.#unlink(o.row);
          break;
        default:
          if (o.row) this.#unlink(o.row);
      }
    }
  }

  /** The finished plan. */
  build(): ContactPlan {
    const actions = this.#pairs.flatMap((p) => p.actions);
    const removals = {
      inOutlook: actions.filter((a) => a.kind === "deleteInGraph").length,
      inCrm: actions.filter((a) => a.kind === "archiveInCrm").length,
    };
    this.#preview.invalid = this.#warnings.filter((w) => w.code === "invalid_email" || w.code.startsWith("too_many"));
    return {
      pairs: this.#pairs,
      conflicts: this.#conflicts,
      warnings: this.#warnings,
      preview: this.#preview,
      removals,
      destructiveCount: removals.inOutlook + removals.inCrm,
    };
  }

  // ---- emitting a case's actions ----

  /** Links two contacts found to be one (C7, or C8 by stamp) and merges them, never-synced base. */
  #newPair(crm: CrmContact, o: PoolItem, stamp = true): void {
    this.#merge({
      key: o.row?.id ?? `crm:${crm.id}`,
      before: o.row,
      base: null,
      crm,
      crmSide: this.#sides.crmFresh(crm),
      graphId: o.graphId,
      out: o,
      actions: [{ kind: "link", crmId: crm.id, graphId: o.graphId }],
      stamp,
    });
  }

  /** Creates in Outlook, behind an intent row written first (crash safety). */
  #createInGraph(crm: CrmContact, before: ContactLink | undefined): void {
    const { canonical, warnings } = this.#sides.crmFresh(crm);
    const key = before?.id ?? `crm:${crm.id}`;
    const intent = this.#rows.row({
      id: key,
      crmId: crm.id,
      crmVersion: crm.version,
      base: canonical,
      state: "creating_in_graph",
      warnings: [...warnings],
      attempts: before?.attempts ?? [],
    });
    this.#preview.createInOutlook.push(crm.id);
    this.#warnAll(warnings, crm.id, null);
    const body = canonicalToGraphContact(canonical, crm.id);
    this.#push(this.#rows.intent(key, before, intent, [{ kind: "createInGraph", crmId: crm.id, body }]));
  }

  /** Imports into the CRM (C2), behind an intent row; the Outlook contact is then stamped (C8). */
  #createInCrm(o: PoolItem): void {
    const key = o.row?.id ?? `graph:${o.graphId}`;
    const intent = this.#rows.row({
      id: key,
      graphId: o.graphId,
      graphChangeKey: o.changeKey,
      base: o.canonical,
      state: "creating_in_crm",
      warnings: [...o.warnings],
      attempts: o.row?.attempts ?? [],
    });
    this.#preview.createInCrm.push(o.graphId);
    this.#warnAll(o.warnings, null, o.graphId);
    this.#push(this.#rows.intent(key, o.row, intent, [
      { kind: "createInCrm", graphId: o.graphId, fields: canonicalToCrmFields(o.canonical) },
      { kind: "stampInGraph", graphId: o.graphId, crmId: null },
    ]));
  }

  #deleteInGraph(l: ContactLink, crmId: string, graphId: string, onFailure: ContactLink): void {
    const reason = this.#in.crm.outOfScope?.get(crmId) ?? "unknown";
    this.#push(this.#rows.drop(l, [{ kind: "deleteInGraph", graphId, reason }], onFailure));
  }

  /** Drops a row whose pair no longer exists on either side. */
  #unlink(l: ContactLink): void {
    this.#push(this.#rows.drop(l, [{ kind: "unlink", crmId: l.crmId, graphId: l.graphId }]));
  }

  /**
   * Merges a pair field by field against its base (C9; one-way: the CRM wins, C4), settles the
   * result through the CRM form and emits the writes each side needs. Outlook values that differ
   * from the base's or the CRM's only in notation count as theirs (C7). Emits nothing when the pair
   * and its row already are as they should be.
   */
  #merge(a: {
    key: string;
    before: ContactLink | undefined;
    base: CanonicalContact | null;
    crm: CrmContact;
    crmSide: CrmCanonical;
    graphId: string;
    out: OutlookCanonical;
    actions: ContactAction[];
    /** The Outlook contact did not come from us and carries no stamp yet (C8). */
    stamp?: boolean;
  }): void {
    const { crm, graphId, out } = a;
    const crmC = a.crmSide.canonical;
    const outC = alignEquivalent(alignEquivalent(out.canonical, a.base, this.#country), crmC, this.#country);
    let merged = crmC;
    if (this.#twoWay) {
      const r = mergeThreeWay(a.base ?? emptyCanonicalContact(), crmC, outC, {
        policy: this.#in.settings.conflictPolicy,
      });
      merged = r.merged;
      for (const c of r.conflicts) this.#conflicts.push({ ...c, crmId: crm.id, graphId });
    }
    const settled = settleThroughCrm(merged, crm);
    const actions = [...a.actions];
    if (!jsonEquals(settled.canonical, crmC)) {
      actions.push({ kind: "updateInCrm", crmId: crm.id, expectedVersion: crm.version, fields: settled.fields });
    }
    if (!jsonEquals(settled.canonical, outC)) {
      const body = canonicalToGraphContact(settled.canonical, crm.id);
      actions.push({ kind: "updateInGraph", graphId, body, ...(out.changeKey ? { changeKey: out.changeKey } : {}) });
    } else if (a.stamp || (a.before?.state === "synced" && !a.before.graphStamped)) {
      actions.push({ kind: "stampInGraph", graphId, crmId: crm.id });
    }
    const warnings = [...a.crmSide.warnings, ...out.warnings];
    const pair = this.#rows.merged({
      key: a.key,
      before: a.before,
      crmId: crm.id,
      crmVersion: crm.version,
      graphId,
      out,
      settled: settled.canonical,
      warnings,
      actions,
      stamp: a.stamp ?? false,
    });
    if (!pair) return;
    this.#warnAll(warnings, crm.id, graphId);
    this.#push(pair);
  }

  #push(p: PairPlan): void {
    this.#pairs.push(p);
  }

  #warn(w: SyncWarning, crmId: string | null, graphId: string | null): void {
    this.#warnings.push({ ...w, crmId, graphId });
  }

  #warnAll(ws: readonly SyncWarning[], crmId: string | null, graphId: string | null): void {
    for (const w of ws) this.#warn(w, crmId, graphId);
  }
}
