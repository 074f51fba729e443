// Link-row bookkeeping of the planner, apart from the remote actions: for each pair, the row
// written before its remote writes (an intent, or a freshly matched pair, so that a crash never
// loses it), the row once they all succeed, and the row kept when one fails.
import { jsonEquals, type SyncWarning } from "@app/shared/sync";
import type { CanonicalContact } from "./canonical.ts";
import type { OutlookCanonical } from "./plan_sides.ts";
import type { ContactAction, ContactPlanInput, PairPlan } from "./plan_types.ts";
import type { ContactLink } from "./ports.ts";

/** Remote writes after which a pair's row must already exist (a new pair is written first). */
const NEEDS_ROW_FIRST = new Set<ContactAction["kind"]>(["updateInCrm", "updateInGraph", "stampInGraph"]);

/** Builds the link rows of one user's plan. */
export class LinkRows {
  readonly #in: ContactPlanInput;

  constructor(input: ContactPlanInput) {
    this.#in = input;
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

  /** A create behind an intent row written first: synced once the create succeeds, kept otherwise. */
  intent(key: string, before: ContactLink | undefined, intent: ContactLink, actions: ContactAction[]): PairPlan {
    return { key, before, pre: intent, actions, after: { ...intent, state: "synced" }, onFailure: intent };
  }

  /** A pair whose row goes once its actions succeed (kept as `onFailure` otherwise). */
  drop(l: ContactLink, actions: ContactAction[], onFailure: ContactLink = l): PairPlan {
    return { key: l.id, before: l, pre: undefined, actions, after: null, onFailure };
  }

  /** A held duplicate's row (C7); `undefined` when the row already holds this content. */
  held(graphId: string, o: OutlookCanonical, before: ContactLink | undefined): PairPlan | undefined {
    if (before?.state === "held" && jsonEquals(before.base, o.canonical)) return undefined;
    const row = this.row({
      id: before?.id ?? `graph:${graphId}`,
      graphId,
      graphChangeKey: o.changeKey,
      base: o.canonical,
      state: "held",
      warnings: [...o.warnings],
    });
    return { key: row.id, before, pre: undefined, actions: [{ kind: "hold", graphId }], after: row, onFailure: row };
  }

  /**
   * The rows of a merged pair: `after` holds what both sides hold once the writes succeed;
   * `undefined` when the row already is that and nothing is to be written.
   */
  merged(a: {
    key: string;
    before: ContactLink | undefined;
    crmId: string;
    crmVersion: number;
    graphId: string;
    out: OutlookCanonical;
    settled: CanonicalContact;
    warnings: SyncWarning[];
    actions: ContactAction[];
    /** The Outlook contact did not come from us and carries no stamp yet (C8). */
    stamp: boolean;
  }): PairPlan | undefined {
    const b = a.before;
    const after = this.row({
      id: a.key,
      crmId: a.crmId,
      graphId: a.graphId,
      crmVersion: a.crmVersion,
      graphChangeKey: a.out.changeKey,
      base: a.settled,
      warnings: a.warnings,
      attempts: b?.attempts ?? [],
    });
    const unchanged = b !== undefined && b.state === "synced" && a.actions.length === 0 &&
      b.pendingOutlook === null && b.lastError === null && b.graphId === a.graphId && b.crmVersion === a.crmVersion &&
      b.graphChangeKey === a.out.changeKey && b.graphStamped && jsonEquals(b.base, a.settled) &&
      jsonEquals(b.warnings, a.warnings);
    if (unchanged) return undefined;
    const synced = b?.state === "synced";
    const pre = a.actions.some((x) => NEEDS_ROW_FIRST.has(x.kind)) && (!synced || b!.graphId !== a.graphId)
      ? this.row({
        id: a.key,
        crmId: a.crmId,
        graphId: a.graphId,
        crmVersion: synced ? b!.crmVersion : null,
        graphChangeKey: synced ? b!.graphChangeKey : null,
        base: synced ? b!.base : null,
        pendingOutlook: a.out.snapshot,
        graphStamped: synced ? b!.graphStamped : !a.stamp,
        warnings: a.warnings,
        attempts: b?.attempts ?? [],
      })
      : undefined;
    const keep = pre ?? b ?? after;
    return {
      key: a.key,
      before: b,
      pre,
      actions: a.actions,
      after,
      onFailure: { ...keep, pendingOutlook: a.out.snapshot ?? keep.pendingOutlook },
    };
  }
}
