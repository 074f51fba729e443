import type { Contact as CrmContact } from "@app/shared/contract";
import type { CountryCode } from "libphonenumber-js";
import { crmIdStampOf } from "./graph_mapping.ts";
import { matchContacts } from "./match.ts";
import { PlanBuilder } from "./plan_builder.ts";
import {
  crmCanonical,
  crmCanonicalFresh,
  fromGraph,
  indexOutlook,
  outlookCanonical,
  type OutlookReads,
  outlookSideOf,
  type PoolItem,
  poolItemOfRow,
} from "./plan_sides.ts";
import type { ContactAction, ContactPlan, ContactPlanInput } from "./plan_types.ts";
import type { ContactLink } from "./ports.ts";

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
  const ctx: Ctx = {
    input,
    b: new PlanBuilder(input),
    out: indexOutlook(input),
    crmById: new Map(input.crm.inScope.map((c) => [c.id, c])),
    claimedCrm: new Set(input.links.flatMap((l) => l.crmId === null ? [] : [l.crmId])),
    claimedGraph: new Set(input.links.flatMap((l) => l.graphId === null ? [] : [l.graphId])),
    pool: [],
    gone: new Map(),
  };
  for (const l of input.links) {
    if (l.state === "synced") planSynced(ctx, l);
    else if (l.state === "creating_in_graph") planGraphIntent(ctx, l);
    else poolRow(ctx, l);
  }
  planUnlinked(ctx);
  return ctx.b.build();
}

interface Ctx {
  input: ContactPlanInput;
  b: PlanBuilder;
  out: OutlookReads;
  crmById: Map<string, CrmContact>;
  claimedCrm: Set<string>;
  claimedGraph: Set<string>;
  /** Unlinked Outlook contacts (and held / create-intent rows) to match against the CRM (C7). */
  pool: PoolItem[];
  /** Linked contacts missing from a complete listing and not found by stamp (C8). */
  gone: Map<string, ContactLink>;
}

function planSynced(ctx: Ctx, l: ContactLink): void {
  const { b } = ctx;
  const crmId = l.crmId!;
  const crm = ctx.crmById.get(crmId);
  const side = outlookSideOf(l, ctx.out);
  const graphId = side.kind === "present" ? side.item.id : l.graphId!;
  if (side.kind === "present") ctx.claimedGraph.add(graphId);
  if (!crm) {
    // C5: deleted, archived or unflagged in the CRM: gone from this user's Outlook.
    if (side.kind === "removed" || side.kind === "gone") return b.unlink(l);
    const reason = ctx.input.crm.outOfScope?.get(crmId) ?? "unknown";
    const actions: ContactAction[] = [{ kind: "deleteInGraph", graphId, reason }];
    return b.push({ key: l.id, before: l, pre: undefined, actions, after: null, onFailure: { ...l, graphId } });
  }
  if (side.kind === "removed" && b.twoWay) {
    // C5: deleting in Outlook archives in the CRM, never deletes.
    const actions: ContactAction[] = [{ kind: "archiveInCrm", crmId }];
    const onFailure = { ...l, pendingOutlook: { removed: true as const } };
    return b.push({ key: l.id, before: l, pre: undefined, actions, after: null, onFailure });
  }
  // C8: missing from a complete listing and not found by stamp: matched against the unlinked
  // Outlook contacts first (an unstamped contact whose id changed), else re-created — never archived.
  if (side.kind === "gone") return void ctx.gone.set(crmId, l);
  // C4: one-way re-creates what the user deleted.
  if (side.kind === "removed") return b.createInGraph(crm, l);
  // Neither side moved since the last sync and the row is clean: nothing to map or merge.
  const outlookSame = side.kind === "unchanged" ||
    (side.kind === "present" && !side.relinked && side.item.changeKey === l.graphChangeKey);
  if (outlookSame && l.base !== null && crm.version === l.crmVersion && l.graphStamped && l.lastError === null) {
    return;
  }
  b.reconcile({
    key: l.id,
    before: l,
    base: l.base,
    crm,
    crmSide: crmCanonical(l, crm),
    graphId,
    out: outlookCanonical(l, side),
    actions: side.kind === "present" && side.relinked ? [{ kind: "relinkByCrmId", crmId, graphId }] : [],
  });
}

function planGraphIntent(ctx: Ctx, l: ContactLink): void {
  const { b } = ctx;
  const crmId = l.crmId!;
  const crm = ctx.crmById.get(crmId);
  const found = ctx.out.stamped.get(crmId) ?? ctx.out.located.get(crmId) ?? undefined;
  if (!found) return crm ? b.createInGraph(crm, l) : b.unlink(l);
  ctx.claimedGraph.add(found.id);
  if (!crm) {
    const reason = ctx.input.crm.outOfScope?.get(crmId) ?? "unknown";
    const actions: ContactAction[] = [{ kind: "deleteInGraph", graphId: found.id, reason }];
    return b.push({ key: l.id, before: l, pre: undefined, actions, after: null, onFailure: l });
  }
  // A create that reached Outlook before the process died: adopt it instead of creating twice.
  b.reconcile({
    key: l.id,
    before: l,
    base: l.base,
    crm,
    crmSide: crmCanonical(l, crm),
    graphId: found.id,
    out: { ...fromGraph(found), snapshot: null },
    actions: [{ kind: "link", crmId, graphId: found.id }],
  });
}

/** Held duplicates and intents to create in the CRM wait in the pool of unlinked Outlook items. */
function poolRow(ctx: Ctx, l: ContactLink): void {
  const item = poolItemOfRow(l, ctx.out);
  if (item.removed && l.state === "held") return ctx.b.unlink(l);
  ctx.pool.push(item);
}

function planUnlinked(ctx: Ctx): void {
  const { b } = ctx;
  for (const item of ctx.input.outlook.upserts) {
    if (ctx.claimedGraph.has(item.id)) continue;
    const stamp = crmIdStampOf(item);
    if (stamp !== undefined && ctx.claimedCrm.has(stamp)) {
      // A copy of a synced contact carries its stamp; importing it would duplicate the CRM contact.
      b.warn({ code: "copy_ignored", message: `copy of synced contact ${stamp} ignored` }, null, item.id);
      continue;
    }
    const entry: PoolItem = { ...fromGraph(item), graphId: item.id, removed: false, row: undefined };
    const crm = stamp === undefined ? undefined : ctx.crmById.get(stamp);
    if (!crm) {
      ctx.pool.push(entry);
      continue;
    }
    // C8: the link row was lost, the stamp was not.
    ctx.claimedCrm.add(crm.id);
    b.preview.linked.push({ crmId: crm.id, graphId: item.id, by: "crm_id_stamp" });
    b.newPair(crm, entry, false);
  }

  const crmPool = ctx.input.crm.inScope.filter((c) => !ctx.claimedCrm.has(c.id) || ctx.gone.has(c.id));
  const poolById = new Map(ctx.pool.map((o) => [o.graphId, o]));
  const m = matchContacts(
    crmPool.map((c) => ({ id: c.id, canonical: crmCanonicalFresh(c).canonical })),
    ctx.pool.map((o) => ({ id: o.graphId, canonical: o.canonical })),
    { defaultCountry: (ctx.input.settings.defaultCountry ?? "DE") as CountryCode },
  );
  for (const p of m.pairs) {
    const o = poolById.get(p.graphId)!;
    const crm = ctx.crmById.get(p.crmId)!;
    const gone = ctx.gone.get(crm.id);
    if (o.removed) {
      // The CRM create of a since-deleted Outlook contact happened before a crash: archive it (C5).
      const actions: ContactAction[] = [{ kind: "archiveInCrm", crmId: crm.id }];
      b.push({ key: o.row!.id, before: o.row, pre: undefined, actions, after: null, onFailure: o.row! });
    } else if (gone) {
      ctx.gone.delete(crm.id);
      if (o.row) b.unlink(o.row);
      b.reconcile({
        key: gone.id,
        before: gone,
        base: gone.base,
        crm,
        crmSide: crmCanonical(gone, crm),
        graphId: o.graphId,
        out: o,
        actions: [{ kind: "relinkByCrmId", crmId: crm.id, graphId: o.graphId }],
        stamp: true,
      });
    } else {
      b.preview.linked.push(p);
      b.newPair(crm, o);
    }
  }
  b.preview.probableDuplicates = m.probableDuplicates;
  for (const id of new Set(m.probableDuplicates.flatMap((d) => d.graphIds))) b.hold(poolById.get(id)!);
  for (const id of m.unmatchedCrmIds) {
    if (!ctx.gone.has(id)) b.createInGraph(ctx.crmById.get(id)!, undefined);
  }
  for (const [id, l] of ctx.gone) b.createInGraph(ctx.crmById.get(id)!, l);
  for (const id of m.unmatchedGraphIds) {
    const o = poolById.get(id)!;
    if (!o.removed && b.twoWay) {
      b.createInCrm(o);
      continue;
    }
    if (!o.removed) b.preview.notImported.push(o.graphId);
    if (o.row) b.unlink(o.row);
  }
}
