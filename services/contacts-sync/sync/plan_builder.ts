import type { Contact as CrmContact } from "@app/shared/contract";
import { jsonEquals, mergeThreeWay, type SyncWarning } from "@app/shared/sync";
import { alignEquivalent, type CanonicalContact, emptyCanonicalContact } from "./canonical.ts";
import type { CountryCode } from "@app/shared/normalize";
import { canonicalToCrmFields, settleThroughCrm } from "./crm_mapping.ts";
import { canonicalToGraphContact } from "./graph_mapping.ts";
import { crmCanonicalFresh, type OutlookCanonical, type PoolItem } from "./plan_sides.ts";
import type {
  ContactAction,
  ContactConflict,
  ContactPlan,
  ContactPlanInput,
  ContactSyncPreview,
  ItemWarning,
  PairPlan,
} from "./plan_types.ts";
import type { ContactLink } from "./ports.ts";

/** Collects a plan: one {@link PairPlan} per link row touched, conflicts, warnings and the preview. */
export class PlanBuilder {
  readonly #in: ContactPlanInput;
  readonly pairs: PairPlan[] = [];
  readonly conflicts: ContactConflict[] = [];
  readonly warnings: ItemWarning[] = [];
  readonly preview: ContactSyncPreview = {
    linked: [],
    createInOutlook: [],
    createInCrm: [],
    probableDuplicates: [],
    invalid: [],
    notImported: [],
  };

  constructor(input: ContactPlanInput) {
    this.#in = input;
  }

  get twoWay(): boolean {
    return this.#in.settings.direction === "two-way";
  }

  /** The finished plan. */
  build(): ContactPlan {
    const actions = this.pairs.flatMap((p) => p.actions);
    const removals = {
      inOutlook: actions.filter((a) => a.kind === "deleteInGraph").length,
      inCrm: actions.filter((a) => a.kind === "archiveInCrm").length,
    };
    this.preview.invalid = this.warnings.filter((w) => w.code === "invalid_email" || w.code.startsWith("too_many"));
    return {
      pairs: this.pairs,
      conflicts: this.conflicts,
      warnings: this.warnings,
      preview: this.preview,
      removals,
      destructiveCount: removals.inOutlook + removals.inCrm,
    };
  }

  /** Remembers an Outlook contact that is a probable duplicate until a person decides (C7). */
  hold(o: PoolItem): void {
    if (o.removed || !this.twoWay) return o.row ? this.unlink(o.row) : undefined;
    if (o.row?.state === "held" && jsonEquals(o.row.base, o.canonical)) return;
    const row = this.row({
      id: o.row?.id ?? `graph:${o.graphId}`,
      graphId: o.graphId,
      graphChangeKey: o.changeKey,
      base: o.canonical,
      state: "held",
      warnings: o.warnings,
    });
    this.push({
      key: row.id,
      before: o.row,
      pre: undefined,
      actions: [{ kind: "hold", graphId: o.graphId }],
      after: row,
      onFailure: row,
    });
  }

  /** Links two contacts found to be one (C7, or C8 by stamp) and merges them, never-synced base. */
  newPair(crm: CrmContact, o: PoolItem, stamp = true): void {
    this.reconcile({
      key: o.row?.id ?? `crm:${crm.id}`,
      before: o.row,
      base: null,
      crm,
      crmSide: crmCanonicalFresh(crm),
      graphId: o.graphId,
      out: o,
      actions: [{ kind: "link", crmId: crm.id, graphId: o.graphId }],
      stamp,
    });
  }

  /** Creates in Outlook, behind an intent row written first (crash safety). */
  createInGraph(crm: CrmContact, before: ContactLink | undefined): void {
    const { canonical, warnings } = crmCanonicalFresh(crm);
    const key = before?.id ?? `crm:${crm.id}`;
    const intent = this.row({
      id: key,
      crmId: crm.id,
      crmVersion: crm.version,
      base: canonical,
      state: "creating_in_graph",
      warnings,
      attempts: before?.attempts ?? [],
    });
    this.preview.createInOutlook.push(crm.id);
    this.warnAll(warnings, crm.id, null);
    this.push({
      key,
      before,
      pre: intent,
      actions: [{ kind: "createInGraph", crmId: crm.id, body: canonicalToGraphContact(canonical, crm.id) }],
      after: { ...intent, state: "synced" },
      onFailure: intent,
    });
  }

  /** Imports into the CRM (C2), behind an intent row; the Outlook contact is then stamped (C8). */
  createInCrm(o: PoolItem): void {
    const key = o.row?.id ?? `graph:${o.graphId}`;
    const intent = this.row({
      id: key,
      graphId: o.graphId,
      graphChangeKey: o.changeKey,
      base: o.canonical,
      state: "creating_in_crm",
      warnings: o.warnings,
      attempts: o.row?.attempts ?? [],
    });
    this.preview.createInCrm.push(o.graphId);
    this.warnAll(o.warnings, null, o.graphId);
    this.push({
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

  /**
   * Merges a pair field by field against its base (C9; one-way: the CRM wins, C4), settles the
   * result through the CRM form and plans the writes each side needs. Yields nothing when the pair
   * and its row are already as they should be.
   */
  reconcile(a: {
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
    // Outlook's values that only differ in notation from the last synced or the CRM's are theirs (C7).
    const country = (this.#in.settings.defaultCountry ?? "DE") as CountryCode;
    const outC = alignEquivalent(alignEquivalent(out.canonical, a.base, country), crmC, country);
    let merged = crmC;
    if (this.twoWay) {
      const r = mergeThreeWay(a.base ?? emptyCanonicalContact(), crmC, outC, {
        policy: this.#in.settings.conflictPolicy,
      });
      merged = r.merged;
      for (const c of r.conflicts) this.conflicts.push({ ...c, crmId: crm.id, graphId });
    }
    const settled = settleThroughCrm(merged, crm);
    const actions = [...a.actions];
    if (!jsonEquals(settled.canonical, crmC)) {
      actions.push({ kind: "updateInCrm", crmId: crm.id, expectedVersion: crm.version, fields: settled.fields });
    }
    if (!jsonEquals(settled.canonical, outC)) {
      const body = canonicalToGraphContact(settled.canonical, crm.id);
      actions.push({ kind: "updateInGraph", graphId, body, ...(out.changeKey ? { changeKey: out.changeKey } : {}) });
    } else if (a.stamp || (b?.state === "synced" && !b.graphStamped)) {
      actions.push({ kind: "stampInGraph", graphId, crmId: crm.id });
    }
    const warnings = [...a.crmSide.warnings, ...out.warnings];
    const after = this.row({
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
    this.warnAll(warnings, crm.id, graphId);
    const remote = actions.some((x) =>
      x.kind === "updateInCrm" || x.kind === "updateInGraph" || x.kind === "stampInGraph"
    );
    // A new pair is written before its updates, so a crash cannot leave both contacts unlinked.
    const pre = remote && (b === undefined || b.state !== "synced" || b.graphId !== graphId)
      ? this.row({
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
    this.push({
      key: a.key,
      before: b,
      pre,
      actions,
      after,
      onFailure: { ...keep, pendingOutlook: out.snapshot ?? keep.pendingOutlook },
    });
  }

  /** Drops a row whose pair no longer exists on either side. */
  unlink(l: ContactLink): void {
    this.push({
      key: l.id,
      before: l,
      pre: undefined,
      actions: [{ kind: "unlink", crmId: l.crmId, graphId: l.graphId }],
      after: null,
      onFailure: l,
    });
  }

  push(p: PairPlan): void {
    this.pairs.push(p);
  }

  warn(w: SyncWarning, crmId: string | null, graphId: string | null): void {
    this.warnings.push({ ...w, crmId, graphId });
  }

  warnAll(ws: readonly SyncWarning[], crmId: string | null, graphId: string | null): void {
    for (const w of ws) this.warn(w, crmId, graphId);
  }

  /** A link row of this user with defaults for every field not given. */
  row(fields: Partial<ContactLink> & { id: string }): ContactLink {
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
