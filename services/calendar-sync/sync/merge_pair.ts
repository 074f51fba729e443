/**
 * The merge case of the case table: three-way merge of a linked (or just matched) pair, with the
 * per-occurrence rules of E4/E6 for series and the replacement of a series Graph cannot change in
 * place (E8).
 * @module
 */
import { crmPatchOf } from "./crm_mapping.ts";
import { createActions, updateActions } from "./graph_writes.ts";
import { forCrm, type Handler, occurrenceIdsOf, outlookCanon, warn } from "./handler_kit.ts";
import { mergeAppointment, sameCanonical } from "./merge.ts";
import { sameJson } from "./stable_json.ts";
import { createdOnly, newLink, noChange, withRow } from "./rows.ts";
import type { CalendarAction, CalendarLink, CanonicalAppointment } from "./types.ts";

/** Occurrences this member newly deleted in Outlook while the CRM keeps them, when the member is not the owner. */
function memberLeftOccurrences(
  out: CanonicalAppointment,
  crm: CanonicalAppointment,
  base: CanonicalAppointment | null,
  role: string | null,
  people: number,
): string[] {
  if (!out.series || !crm.series || role === "organizer" || (role === "participant" && people <= 1)) return [];
  if (!sameJson(out.series.pattern, crm.series.pattern)) return [];
  return Object.keys(out.series.exceptions).filter((k) =>
    out.series!.exceptions[k]!.cancelled && !crm.series!.exceptions[k]?.cancelled &&
    !base?.series?.exceptions[k]?.cancelled
  );
}

/** `out` with the occurrences in `keys` as the CRM has them. */
function withoutCancels(
  out: CanonicalAppointment,
  crm: CanonicalAppointment,
  keys: readonly string[],
): CanonicalAppointment {
  const exceptions = { ...out.series!.exceptions };
  for (const k of keys) {
    const c = crm.series!.exceptions[k];
    if (c) exceptions[k] = c;
    else delete exceptions[k];
  }
  return { ...out, series: { ...out.series!, exceptions } };
}

/** A row the merge left as it was (cheap: scalar fields, then the snapshot field by field). */
function sameRow(a: CalendarLink, b: CalendarLink): boolean {
  const scalars = [
    "crmId",
    "crmVersion",
    "graphId",
    "graphChangeKey",
    "iCalUId",
    "state",
    "intent",
    "role",
    "attendeeCopy",
    "outlookRemoved",
  ] as const;
  if (scalars.some((k) => a[k] !== b[k])) return false;
  if (!sameJson(a.exceptionIds, b.exceptionIds)) return false;
  return a.base === b.base || (!!a.base && !!b.base && sameCanonical(a.base, b.base));
}

/** Three-way merge of a linked (or just matched) pair. */
export const mergePair: Handler = (p, ctx) => {
  const { input } = ctx;
  const link = p.link;
  const item = p.outlook;
  // An intent row of a replaced series keeps the old copy's snapshot and iCalUId. The stamp finds
  // either that old copy (its delete failed) or, when the run died right after the create, the new
  // one: it holds what the create alone wrote, so its missing exceptions are no Outlook edit (E8).
  const newCopy = link?.intent === "creating_in_graph" && !!item && item.event.iCalUId !== link.iCalUId;
  const base = link?.base ? (newCopy ? createdOnly(link.base) : link.base) : null;
  const crmCanon = p.crm?.canon ?? link?.base ?? null;
  if (!crmCanon) return noChange(p.key, link);
  const crmId = p.crm?.appt.id ?? link!.crmId!;
  const graphId = item?.event.id ?? link?.graphId ?? null;
  const seen = item ? outlookCanon(item, crmCanon, base, ctx) : base ?? crmCanon;
  const role = p.crm?.role ?? link?.role ?? null;
  const left = memberLeftOccurrences(seen, crmCanon, base, role, p.crm?.people.length ?? 1);
  // E4/E6 per occurrence: a member who is not the series' owner deleting one occurrence never
  // cancels it for everyone; a group member gets it back (the series is written again).
  const outCanon = left.length ? withoutCancels(seen, crmCanon, left) : seen;
  const restoreForGroup = left.length > 0 && role === "group";
  if (left.length && !restoreForGroup) {
    warn(
      ctx,
      p,
      "occurrence_left",
      `this participant deleted the occurrence(s) ${left.join(", ")} in Outlook; the CRM keeps them for the others`,
    );
  }
  const attendeeCopy = link?.attendeeCopy || (!!item && !item.event.isOrganizer && !link);
  const m = mergeAppointment(link ? base : null, crmCanon, outCanon);
  const actions: CalendarAction[] = [];
  const target = m.target;
  for (const field of m.conflicts) ctx.report.conflicts.push({ crmId, graphId: graphId ?? "", field });
  const occurrenceIds = {
    ...(link?.exceptionIds ?? {}),
    ...occurrenceIdsOf(item, crmCanon.when.timeZone, crmCanon.when.allDay),
  };
  let replaced = false;
  let replacedTx: string | null = null;
  if (!attendeeCopy && graphId) {
    const fields = m.toOutlook.filter((f) => f !== "cancelled");
    const stamped = !item || item.stampedCrmId === crmId;
    if (restoreForGroup) fields.push("series");
    if (fields.length || !stamped) {
      const u = updateActions(target, outCanon, fields, {
        graphId,
        ...(item?.event.changeKey ? { changeKey: item.event.changeKey } : {}),
        crmId,
        stamped,
        directory: input.directory.contacts,
        occurrenceIds,
      });
      for (const n of u.notes) if (n.code !== "occurrence_cannot_be_restored") warn(ctx, p, n.code, n.message);
      // Graph cannot restore one deleted occurrence: the series is written again (E4, E8).
      if (u.replaced || restoreForGroup || u.unrestorable.length > 0) {
        replaced = true;
        const transactionId = `${input.userId}.${crmId}.${Date.parse(input.now).toString(36)}`;
        replacedTx = transactionId;
        actions.push({ kind: "deleteInGraph", graphId, crmId, reason: "replaced" });
        actions.push(
          ...createActions(target, { crmId, transactionId, withAttendees: false, directory: input.directory.contacts }),
        );
      } else {
        actions.push(...u.actions);
      }
    }
  }
  const crmFields = attendeeCopy ? [] : m.toCrm;
  if (crmFields.length && p.crm) {
    actions.unshift({
      kind: "updateInCrm",
      crmId,
      expectedVersion: p.crm.appt.version,
      patch: crmPatchOf(forCrm(target), crmFields),
    });
  }
  if (p.matchedBy) ctx.report.preview.linked.push({ crmId, graphId: graphId!, by: p.matchedBy });
  const row: Partial<CalendarLink> = {
    crmId,
    crmVersion: p.crm?.appt.version ?? link?.crmVersion ?? null,
    graphId: replaced ? null : graphId,
    graphChangeKey: replaced ? null : item?.event.changeKey ?? link?.graphChangeKey ?? null,
    iCalUId: item?.event.iCalUId ?? link?.iCalUId ?? null,
    exceptionIds: replaced ? {} : occurrenceIds,
    base: target,
    state: "synced",
    intent: replaced ? "creating_in_graph" : null,
    ...(replacedTx ? { transactionId: replacedTx, invited: false } : {}),
    role: p.crm?.role ?? link?.role ?? null,
    attendeeCopy,
    outlookRemoved: false,
  };
  const after = link ? withRow(link, row, input.now) : newLink(input, p.key, row);
  // Replaced (delete + create): until the create is settled the row is an intent (C8-style) that
  // keeps the old snapshot — whichever event the stamp finds next (old or new) merges against it.
  const pre = !link ? { ...after, base: null } : replaced ? { ...after, base: link.base } : undefined;
  const unchanged = link && actions.length === 0 && sameRow(link, after);
  if (unchanged) return noChange(p.key, link);
  return {
    key: p.key,
    before: link,
    pre,
    actions,
    after: replaced ? { ...after, intent: null } : after,
    onFailure: replaced ? pre! : link ? withRow(link, { state: "error" }, input.now) : pre ?? null,
  };
};
