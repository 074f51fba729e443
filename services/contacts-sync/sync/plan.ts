import type { Contact as CrmContact } from "@app/shared/contract";
import { jsonEquals, mergeThreeWay, type PendingOutlook, type SyncWarning } from "@app/shared/sync";
import type { CountryCode } from "libphonenumber-js";
import { type CanonicalContact, emptyCanonicalContact } from "./canonical.ts";
import { canonicalToCrmFields, crmContactToCanonical, settleThroughCrm } from "./crm_mapping.ts";
import { canonicalToGraphContact, crmIdStampOf, graphContactToCanonical } from "./graph_mapping.ts";
import { matchContacts } from "./match.ts";
import type { ContactLink, GraphContact } from "./ports.ts";
import type {
  ContactAction,
  ContactConflict,
  ContactPlan,
  ContactPlanInput,
  ContactSyncPreview,
  ItemWarning,
  OutlookSide,
  PairPlan,
} from "./plan_types.ts";

/**
 * The CRM ids whose Outlook item the runner must look up by stamp (C8) before planning: intents
 * to create in Outlook (a crash may have left the item without its link) and, on a complete
 * listing, linked items missing from it (an id that changed, never a delete by omission).
 */
export function crmIdsToLocate(links: readonly ContactLink[], outlook: ContactPlanInput["outlook"]): string[] {
  const listed = new Set(outlook.upserts.map((c) => c.id));
  const stamped = new Set(outlook.upserts.map(crmIdStampOf).filter((s) => s !== undefined));
  const ids: string[] = [];
  for (const l of links) {
    if (l.crmId === null || stamped.has(l.crmId)) continue;
    if (l.state === "creating_in_graph") ids.push(l.crmId);
    else if (l.state === "synced" && outlook.complete && l.graphId !== null && !listed.has(l.graphId)) {
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
  return new Planner(input).plan();
}

interface PoolItem {
  graphId: string;
  canonical: CanonicalContact;
  warnings: SyncWarning[];
  changeKey: string | null;
  removed: boolean;
  row: ContactLink | undefined;
}

class Planner {
  readonly #in: ContactPlanInput;
  readonly #crmById: Map<string, CrmContact>;
  readonly #upserts: Map<string, GraphContact>;
  readonly #removed: Set<string>;
  readonly #stamped = new Map<string, GraphContact>();
  readonly #claimedCrm = new Set<string>();
  readonly #claimedGraph = new Set<string>();
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
  readonly #pool: PoolItem[] = [];
  readonly #gone = new Map<string, ContactLink>();

  constructor(input: ContactPlanInput) {
    this.#in = input;
    this.#crmById = new Map(input.crm.inScope.map((c) => [c.id, c]));
    this.#upserts = new Map(input.outlook.upserts.map((c) => [c.id, c]));
    this.#removed = new Set(input.outlook.removedIds);
    for (const c of input.outlook.upserts) {
      const stamp = crmIdStampOf(c);
      if (stamp !== undefined && !this.#stamped.has(stamp)) this.#stamped.set(stamp, c);
    }
  }

  get #twoWay(): boolean {
    return this.#in.settings.direction === "two-way";
  }

  plan(): ContactPlan {
    for (const l of this.#in.links) {
      if (l.crmId !== null) this.#claimedCrm.add(l.crmId);
      if (l.graphId !== null) this.#claimedGraph.add(l.graphId);
    }
    for (const l of this.#in.links) this.#planLink(l);
    this.#planUnlinked();
    const destructiveCount = this.#pairs.flatMap((p) => p.actions)
      .filter((a) => a.kind === "deleteInGraph" || a.kind === "archiveInCrm").length;
    this.#preview.invalid = this.#warnings.filter((w) => w.code === "invalid_email" || w.code.startsWith("too_many"));
    return {
      pairs: this.#pairs,
      conflicts: this.#conflicts,
      warnings: this.#warnings,
      preview: this.#preview,
      destructiveCount,
    };
  }

  #planLink(l: ContactLink): void {
    switch (l.state) {
      case "synced":
        return this.#planSynced(l);
      case "creating_in_graph":
        return this.#planGraphIntent(l);
      case "creating_in_crm":
      case "held":
        return this.#poolRow(l);
    }
  }

  #planSynced(l: ContactLink): void {
    const crmId = l.crmId!;
    const crm = this.#crmById.get(crmId);
    const side = this.#outlookSideOf(l);
    const graphId = side.kind === "present" ? side.item.id : l.graphId!;
    if (side.kind === "present") this.#claimedGraph.add(graphId);
    if (!crm) {
      // C5: deleted, archived or unflagged in the CRM: gone from this user's Outlook.
      if (side.kind === "removed" || side.kind === "gone") return this.#unlink(l);
      const reason = this.#in.crm.outOfScope?.get(crmId) ?? "unknown";
      return this.#push({
        key: l.id,
        before: l,
        pre: undefined,
        actions: [{ kind: "deleteInGraph", graphId, reason }],
        after: null,
        onFailure: { ...l, graphId },
      });
    }
    if (side.kind === "removed" && this.#twoWay) {
      // C5: deleting in Outlook archives in the CRM, never deletes.
      return this.#push({
        key: l.id,
        before: l,
        pre: undefined,
        actions: [{ kind: "archiveInCrm", crmId }],
        after: null,
        onFailure: { ...l, pendingOutlook: { removed: true } },
      });
    }
    // C8: missing from a complete listing and not found by stamp: matched against the unlinked
    // Outlook contacts first (an unstamped contact whose id changed), else re-created — never archived.
    if (side.kind === "gone") return void this.#gone.set(crmId, l);
    // C4: one-way re-creates what the user deleted.
    if (side.kind === "removed") return this.#createInGraph(crm, l);
    // Neither side moved since the last sync and the row is clean: nothing to map or merge.
    const outlookSame = side.kind === "unchanged" ||
      (side.kind === "present" && !side.relinked && side.item.changeKey === l.graphChangeKey);
    if (outlookSame && l.base !== null && crm.version === l.crmVersion && l.graphStamped && l.lastError === null) {
      return;
    }
    const crmSide = this.#crmCanonical(l, crm);
    const out = this.#outlookCanonical(l, side);
    const actions: ContactAction[] = side.kind === "present" && side.relinked
      ? [{ kind: "relinkByCrmId", crmId, graphId }]
      : [];
    this.#reconcile({
      key: l.id,
      before: l,
      base: l.base,
      crm,
      crmSide,
      graphId,
      out,
      actions,
    });
  }

  #planGraphIntent(l: ContactLink): void {
    const crmId = l.crmId!;
    const crm = this.#crmById.get(crmId);
    const found = this.#stamped.get(crmId) ?? this.#in.located.get(crmId) ?? undefined;
    if (found) this.#claimedGraph.add(found.id);
    if (!found) return crm ? this.#createInGraph(crm, l) : this.#unlink(l);
    if (!crm) {
      return this.#push({
        key: l.id,
        before: l,
        pre: undefined,
        actions: [{
          kind: "deleteInGraph",
          graphId: found.id,
          reason: this.#in.crm.outOfScope?.get(crmId) ?? "unknown",
        }],
        after: null,
        onFailure: l,
      });
    }
    // A create that reached Outlook before the process died: adopt it instead of creating twice.
    const { canonical, warnings } = graphContactToCanonical(found);
    this.#reconcile({
      key: l.id,
      before: l,
      base: l.base,
      crm,
      crmSide: this.#crmCanonical(l, crm),
      graphId: found.id,
      out: { canonical, warnings: side(warnings, "outlook"), changeKey: found.changeKey, snapshot: null },
      actions: [{ kind: "link", crmId, graphId: found.id }],
    });
  }

  /** Held duplicates and intents to create in the CRM wait in the pool of unlinked Outlook items. */
  #poolRow(l: ContactLink): void {
    const graphId = l.graphId!;
    const item = this.#upserts.get(graphId);
    const removed = this.#removed.has(graphId) || l.pendingOutlook?.removed === true ||
      (this.#in.outlook.complete && !item);
    if (removed && l.state === "held") return this.#unlink(l);
    if (item) {
      const { canonical, warnings } = graphContactToCanonical(item);
      this.#pool.push({
        graphId,
        canonical,
        warnings: side(warnings, "outlook"),
        changeKey: item.changeKey,
        removed,
        row: l,
      });
    } else {
      const pending = l.pendingOutlook?.removed === false ? l.pendingOutlook : undefined;
      this.#pool.push({
        graphId,
        canonical: pending?.canonical ?? l.base ?? emptyCanonicalContact(),
        warnings: l.warnings.filter((w) => w.side === "outlook"),
        changeKey: pending?.changeKey ?? l.graphChangeKey,
        removed,
        row: l,
      });
    }
  }

  #planUnlinked(): void {
    for (const item of this.#in.outlook.upserts) {
      if (this.#claimedGraph.has(item.id)) continue;
      const stamp = crmIdStampOf(item);
      if (stamp !== undefined && this.#claimedCrm.has(stamp)) {
        // A copy of a synced contact carries its stamp; importing it would duplicate the CRM contact.
        this.#warn({ code: "copy_ignored", message: `copy of synced contact ${stamp} ignored` }, null, item.id);
        continue;
      }
      const { canonical, warnings } = graphContactToCanonical(item);
      const entry = {
        graphId: item.id,
        canonical,
        warnings: side(warnings, "outlook"),
        changeKey: item.changeKey,
        removed: false,
        row: undefined,
      };
      const crm = stamp === undefined ? undefined : this.#crmById.get(stamp);
      if (crm) {
        // C8: the link row was lost, the stamp was not.
        this.#claimedCrm.add(crm.id);
        this.#preview.linked.push({ crmId: crm.id, graphId: item.id, by: "crm_id_stamp" });
        this.#newPair(crm, entry, false);
      } else this.#pool.push(entry);
    }
    const crmPool = this.#in.crm.inScope.filter((c) => !this.#claimedCrm.has(c.id) || this.#gone.has(c.id));
    const crmCanon = new Map(crmPool.map((c) => [c.id, crmContactToCanonical(c)]));
    const poolById = new Map(this.#pool.map((o) => [o.graphId, o]));
    const crmById = this.#crmById;
    const country = (this.#in.settings.defaultCountry ?? "DE") as CountryCode;
    const m = matchContacts(
      crmPool.map((c) => ({ id: c.id, canonical: crmCanon.get(c.id)!.canonical })),
      this.#pool.map((o) => ({ id: o.graphId, canonical: o.canonical })),
      { defaultCountry: country },
    );
    for (const p of m.pairs) {
      const o = poolById.get(p.graphId)!;
      const crm = crmById.get(p.crmId)!;
      if (o.removed) {
        // The CRM create of a since-deleted Outlook contact happened before a crash: archive it (C5).
        this.#push({
          key: o.row!.id,
          before: o.row,
          pre: undefined,
          actions: [{ kind: "archiveInCrm", crmId: crm.id }],
          after: null,
          onFailure: o.row!,
        });
        continue;
      }
      const gone = this.#gone.get(crm.id);
      if (gone) {
        this.#gone.delete(crm.id);
        if (o.row) this.#unlink(o.row);
        this.#reconcile({
          key: gone.id,
          before: gone,
          base: gone.base,
          crm,
          crmSide: this.#crmCanonical(gone, crm),
          graphId: o.graphId,
          out: {
            ...o,
            snapshot: o.changeKey === null ? null : { removed: false, changeKey: o.changeKey, canonical: o.canonical },
          },
          actions: [{ kind: "relinkByCrmId", crmId: crm.id, graphId: o.graphId }],
          stamp: true,
        });
        continue;
      }
      this.#preview.linked.push(p);
      this.#newPair(crm, o);
    }
    this.#preview.probableDuplicates = m.probableDuplicates;
    const dupGraph = new Set(m.probableDuplicates.flatMap((d) => d.graphIds));
    for (const id of dupGraph) this.#hold(poolById.get(id)!);
    for (const id of m.unmatchedCrmIds) {
      if (!this.#gone.has(id)) this.#createInGraph(crmById.get(id)!, undefined);
    }
    for (const [id, l] of this.#gone) this.#createInGraph(crmById.get(id)!, l);
    for (const id of m.unmatchedGraphIds) {
      const o = poolById.get(id)!;
      if (o.removed || !this.#twoWay) {
        if (!o.removed) this.#preview.notImported.push(o.graphId);
        if (o.row) this.#unlink(o.row);
        continue;
      }
      this.#createInCrm(o);
    }
  }

  #hold(o: PoolItem): void {
    if (o.removed || !this.#twoWay) return o.row ? this.#unlink(o.row) : undefined;
    if (o.row?.state === "held" && jsonEquals(o.row.base, o.canonical)) return;
    const row = this.#row({
      id: o.row?.id ?? `graph:${o.graphId}`,
      graphId: o.graphId,
      graphChangeKey: o.changeKey,
      base: o.canonical,
      state: "held",
      warnings: o.warnings,
    });
    this.#push({
      key: row.id,
      before: o.row,
      pre: undefined,
      actions: [{ kind: "hold", graphId: o.graphId }],
      after: row,
      onFailure: row,
    });
  }

  #newPair(crm: CrmContact, o: PoolItem, stamp = true): void {
    const snapshot: PendingOutlook<CanonicalContact> | null = o.changeKey === null
      ? null
      : { removed: false, changeKey: o.changeKey, canonical: o.canonical };
    this.#reconcile({
      key: o.row?.id ?? `crm:${crm.id}`,
      before: o.row,
      base: null,
      crm,
      crmSide: withSide(crmContactToCanonical(crm), "crm"),
      graphId: o.graphId,
      out: { canonical: o.canonical, warnings: o.warnings, changeKey: o.changeKey, snapshot },
      actions: [{ kind: "link", crmId: crm.id, graphId: o.graphId }],
      stamp,
    });
  }

  #createInGraph(crm: CrmContact, before: ContactLink | undefined): void {
    const { canonical, warnings } = withSide(crmContactToCanonical(crm), "crm");
    const key = before?.id ?? `crm:${crm.id}`;
    const intent = this.#row({
      id: key,
      crmId: crm.id,
      crmVersion: crm.version,
      base: canonical,
      state: "creating_in_graph",
      warnings,
      attempts: before?.attempts ?? [],
    });
    this.#preview.createInOutlook.push(crm.id);
    this.#warnAll(warnings, crm.id, null);
    this.#push({
      key,
      before,
      pre: intent,
      actions: [{ kind: "createInGraph", crmId: crm.id, body: canonicalToGraphContact(canonical, crm.id) }],
      after: { ...intent, state: "synced" },
      onFailure: intent,
    });
  }

  #createInCrm(o: PoolItem): void {
    const key = o.row?.id ?? `graph:${o.graphId}`;
    const intent = this.#row({
      id: key,
      graphId: o.graphId,
      graphChangeKey: o.changeKey,
      base: o.canonical,
      state: "creating_in_crm",
      warnings: o.warnings,
      attempts: o.row?.attempts ?? [],
    });
    this.#preview.createInCrm.push(o.graphId);
    this.#warnAll(o.warnings, null, o.graphId);
    this.#push({
      key,
      before: o.row,
      pre: intent,
      actions: [
        { kind: "createInCrm", graphId: o.graphId, fields: canonicalToCrmFields(o.canonical) },
        { kind: "stampInGraph", graphId: o.graphId, crmId: null },
      ],
      after: { ...intent, state: "synced" },
      onFailure: intent,
    });
  }

  #reconcile(a: {
    key: string;
    before: ContactLink | undefined;
    base: CanonicalContact | null;
    crm: CrmContact;
    crmSide: { canonical: CanonicalContact; warnings: SyncWarning[] };
    graphId: string;
    out: OutlookCanonical;
    actions: ContactAction[];
    /** The Outlook contact did not come from us and carries no stamp yet (C8). */
    stamp?: boolean;
  }): void {
    const { crm, graphId, out } = a;
    const b = a.before;
    const crmC = a.crmSide.canonical;
    let merged = crmC;
    if (this.#twoWay) {
      const r = mergeThreeWay(a.base ?? emptyCanonicalContact(), crmC, out.canonical, {
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
    if (!jsonEquals(settled.canonical, out.canonical)) {
      const body = canonicalToGraphContact(settled.canonical, crm.id);
      actions.push({ kind: "updateInGraph", graphId, body, ...(out.changeKey ? { changeKey: out.changeKey } : {}) });
    } else if (a.stamp || (b?.state === "synced" && !b.graphStamped)) {
      actions.push({ kind: "stampInGraph", graphId, crmId: crm.id });
    }
    const warnings = [...a.crmSide.warnings, ...out.warnings];
    const after = this.#row({
      id: a.key,
      crmId: crm.id,
      graphId,
      crmVersion: crm.version,
      graphChangeKey: out.changeKey,
      base: settled.canonical,
      warnings,
      attempts: b?.attempts ?? [],
    });
    const unchanged = b !== undefined && b.state === "synced" && actions.length === 0 &&
      b.pendingOutlook === null && b.lastError === null && b.graphId === graphId && b.crmVersion === crm.version &&
      b.graphChangeKey === out.changeKey && b.graphStamped && jsonEquals(b.base, settled.canonical) &&
      jsonEquals(b.warnings, warnings);
    if (unchanged) return;
    this.#warnAll(warnings, crm.id, graphId);
    const remote = actions.some((x) =>
      x.kind === "updateInCrm" || x.kind === "updateInGraph" || x.kind === "stampInGraph"
    );
    // A new pair is written before its updates, so a crash cannot leave both contacts unlinked.
    const pre = remote && (b === undefined || b.state !== "synced" || b.graphId !== graphId)
      ? this.#row({
        id: a.key,
        crmId: crm.id,
        graphId,
        crmVersion: b?.state === "synced" ? b.crmVersion : null,
        graphChangeKey: b?.state === "synced" ? b.graphChangeKey : null,
        base: b?.state === "synced" ? b.base : null,
        pendingOutlook: out.snapshot,
        graphStamped: b?.state === "synced" ? b.graphStamped : !a.stamp,
        warnings,
        attempts: b?.attempts ?? [],
      })
      : undefined;
    const keep = pre ?? b ?? after;
    this.#push({
      key: a.key,
      before: b,
      pre,
      actions,
      after,
      onFailure: { ...keep, pendingOutlook: out.snapshot ?? keep.pendingOutlook },
    });
  }

  #crmCanonical(l: ContactLink, crm: CrmContact): { canonical: CanonicalContact; warnings: SyncWarning[] } {
    // Same version as at the last sync: unchanged, no need to map it again.
    if (l.base !== null && l.crmVersion === crm.version) {
      return { canonical: l.base, warnings: l.warnings.filter((w) => w.side === "crm") };
    }
    return withSide(crmContactToCanonical(crm), "crm");
  }

  #outlookSideOf(l: ContactLink): OutlookSide {
    const graphId = l.graphId!;
    const item = this.#upserts.get(graphId);
    if (item) return { kind: "present", item, relinked: false };
    const moved = () => this.#stamped.get(l.crmId!) ?? this.#in.located.get(l.crmId!) ?? undefined;
    if (this.#removed.has(graphId)) {
      const found = this.#stamped.get(l.crmId!);
      return found ? { kind: "present", item: found, relinked: true } : { kind: "removed" };
    }
    if (this.#in.outlook.complete) {
      const found = moved();
      if (found) return { kind: "present", item: found, relinked: true };
      // A delete a delta did report (kept because its archive failed) is still a delete.
      return l.pendingOutlook?.removed ? { kind: "removed" } : { kind: "gone" };
    }
    const p = l.pendingOutlook;
    if (p?.removed) return { kind: "removed" };
    if (p) return { kind: "pending", changeKey: p.changeKey, canonical: p.canonical };
    return { kind: "unchanged" };
  }

  #outlookCanonical(l: ContactLink, s: OutlookSide): OutlookCanonical {
    const base = l.base ?? emptyCanonicalContact();
    const kept = l.warnings.filter((w) => w.side === "outlook");
    switch (s.kind) {
      case "present": {
        if (!s.relinked && l.base !== null && s.item.changeKey === l.graphChangeKey) {
          return { canonical: l.base, warnings: kept, changeKey: s.item.changeKey, snapshot: null };
        }
        const { canonical, warnings } = graphContactToCanonical(s.item);
        return {
          canonical,
          warnings: side(warnings, "outlook"),
          changeKey: s.item.changeKey,
          snapshot: { removed: false, changeKey: s.item.changeKey, canonical },
        };
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

  #unlink(l: ContactLink): void {
    this.#push({
      key: l.id,
      before: l,
      pre: undefined,
      actions: [{ kind: "unlink", crmId: l.crmId, graphId: l.graphId }],
      after: null,
      onFailure: l,
    });
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

  #row(fields: Partial<ContactLink> & { id: string }): ContactLink {
    return {
      tenantId: this.#in.tenantId,
      userId: this.#in.userId,
      crmId: null,
      graphId: null,
      crmVersion: null,
      graphChangeKey: null,
      base: null,
      state: "synced",
      pendingOutlook: null,
      graphStamped: true,
      lastError: null,
      attempts: [],
      warnings: [],
      updatedAt: this.#in.now,
      ...fields,
    };
  }
}

interface OutlookCanonical {
  canonical: CanonicalContact;
  warnings: SyncWarning[];
  changeKey: string | null;
  /** Kept on the row if the pair's writes fail, so the Outlook change is planned again (cursor moved on). */
  snapshot: PendingOutlook<CanonicalContact> | null;
}

function side(ws: readonly SyncWarning[], s: "crm" | "outlook"): SyncWarning[] {
  return ws.map((w) => ({ ...w, side: s }));
}

function withSide<T extends { warnings: SyncWarning[] }>(x: T, s: "crm" | "outlook"): T {
  return { ...x, warnings: side(x.warnings, s) };
}
