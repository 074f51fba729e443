/**
 * Step 3 of the planner: one handler per case of the case table, each turning a pair into a
 * {@link CalendarPairPlan} — actions for remote writes, rows for bookkeeping (pre/after/onFailure).
 * @module
 */
import { reminderChoice } from "./reminder.ts";
import { canonicalToCrmFields, crmPatchOf } from "./crm_mapping.ts";
import { graphToCanonical, originalStartOf, startEpoch } from "./graph_mapping.ts";
import { createActions, updateActions } from "./graph_writes.ts";
import { mergeAppointment, sameCanonical } from "./merge.ts";
import { sameJson } from "./stable_json.ts";
import { inWindow, type PairState } from "./pairs.ts";
import { createdOnly, newLink, noChange, withRow } from "./rows.ts";
import type { CaseName } from "./cases.ts";
import type {
  CalendarAction,
  CalendarLink,
  CalendarPairPlan,
  CalendarPlanInput,
  CalendarReport,
  CanonicalAppointment,
  OutlookItem,
} from "./types.ts";

/** What handlers share: the input and the report and removal counts they add to. */
export interface PlanContext {
  input: CalendarPlanInput;
  report: CalendarReport;
  removals: { inOutlook: number; inCrm: number };
}

type Handler = (p: PairState, ctx: PlanContext) => CalendarPairPlan;

const CRM_LIMITS = { subject: 255, location: 500, description: 32_000 } as const;

/** A canonical record as the CRM can hold it: reminder on a fixed choice, texts within limits. */
function forCrm(c: CanonicalAppointment): CanonicalAppointment {
  return {
    ...c,
    reminderMinutes: reminderChoice(c.reminderMinutes),
    subject: c.subject.slice(0, CRM_LIMITS.subject),
    location: c.location.slice(0, CRM_LIMITS.location),
    description: c.description.slice(0, CRM_LIMITS.description),
  };
}

/** The Outlook side canonicalised, with CRM-only parts from `crm`. */
function outlookCanon(
  item: OutlookItem,
  crm: CanonicalAppointment,
  base: CanonicalAppointment | null,
  ctx: PlanContext,
) {
  return graphToCanonical(item, {
    fallbackZone: ctx.input.settings.timeZone,
    preferZone: base?.when.timeZone ?? crm.when.timeZone,
    window: ctx.input.window,
    crm: {
      contacts: crm.contacts,
      resources: crm.resources,
      organizerId: crm.organizerId,
      participantIds: crm.participantIds,
      groupIds: crm.groupIds,
    },
    baseSeries: base?.series ?? null,
  });
}

function occurrenceIdsOf(item: OutlookItem | undefined, zone: string, allDay: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const inst of item?.instances ?? []) {
    const k = originalStartOf(inst, zone, allDay);
    if (k) out[k] = inst.id;
  }
  return out;
}

function warn(ctx: PlanContext, p: PairState, code: string, message: string) {
  ctx.report.warnings.push({
    crmId: p.link?.crmId ?? p.crm?.appt.id ?? null,
    graphId: p.link?.graphId ?? p.outlook?.event.id ?? null,
    code,
    message,
  });
}

const nothing: Handler = (p) => noChange(p.key, p.link);

const suspend: Handler = (p, ctx) => {
  const crmId = p.crm?.appt.id ?? p.link?.crmId;
  if (crmId) ctx.report.suspended.push(crmId);
  if (!p.link) return noChange(p.key, undefined);
  const after = withRow(p.link, { state: "suspended" }, ctx.input.now);
  return { key: p.key, before: p.link, pre: undefined, actions: [], after, onFailure: after };
};

const forget: Handler = (p) => ({
  key: p.key,
  before: p.link,
  pre: undefined,
  actions: [],
  after: null,
  onFailure: null,
});

const deleteInOutlook: Handler = (p, ctx) => {
  const graphId = p.outlook?.event.id ?? p.link?.graphId;
  if (!graphId || p.link?.attendeeCopy) return forget(p, ctx);
  ctx.removals.inOutlook++;
  const reason = p.crmDeleted ? "crm_deleted" : "member_left";
  return {
    key: p.key,
    before: p.link,
    pre: undefined,
    actions: [{ kind: "deleteInGraph", graphId, crmId: p.link?.crmId ?? null, reason }],
    after: null,
    onFailure: p.link ?? null,
  };
};

const cancelCopy: Handler = (p, ctx) => {
  const link = p.link!;
  const crm = p.crm!;
  const graphId = p.outlook?.event.id ?? link.graphId;
  const after = withRow(link, {
    graphId: null,
    graphChangeKey: null,
    exceptionIds: {},
    base: crm.canon,
    crmVersion: crm.appt.version,
    state: "synced",
    intent: null,
    outlookRemoved: false,
  }, ctx.input.now);
  if (!graphId || link.attendeeCopy) {
    return { key: p.key, before: link, pre: undefined, actions: [], after, onFailure: after };
  }
  ctx.removals.inOutlook++;
  return {
    key: p.key,
    before: link,
    pre: undefined,
    actions: [{ kind: "deleteInGraph", graphId, crmId: link.crmId, reason: "crm_cancelled" }],
    after,
    onFailure: link,
  };
};

const createInOutlook: Handler = (p, ctx) => {
  const { input } = ctx;
  const crm = p.crm!;
  const crmId = crm.appt.id;
  const retry = p.link?.intent === "creating_in_graph" && p.link.transactionId;
  const transactionId = retry
    ? p.link!.transactionId!
    : `${input.userId}.${crmId}.${Date.parse(input.now).toString(36)}`;
  // E10: only a CRM-created appointment of this organizer, after linking, starting in the future.
  const withAttendees = retry ? p.link!.invited : input.settings.allowAttendees && !input.firstSync && !p.link &&
    crm.role === "organizer" && startEpoch(crm.canon) > Date.parse(input.now);
  const pre = p.link
    ? withRow(p.link, {
      graphId: null,
      graphChangeKey: null,
      exceptionIds: {},
      intent: "creating_in_graph",
      transactionId,
      invited: withAttendees,
      base: createdOnly(crm.canon),
      crmVersion: crm.appt.version,
      role: crm.role,
      state: "pending",
      outlookRemoved: false,
    }, input.now)
    : newLink(input, p.key, {
      crmId,
      crmVersion: crm.appt.version,
      intent: "creating_in_graph",
      transactionId,
      invited: withAttendees,
      base: createdOnly(crm.canon),
      role: crm.role,
      state: "pending",
    });
  ctx.report.preview.createInOutlook.push(crmId);
  const actions = createActions(crm.canon, {
    crmId,
    transactionId,
    withAttendees,
    directory: input.directory.contacts,
  });
  const after: CalendarLink = { ...pre, base: crm.canon, intent: null, state: "synced" };
  return { key: p.key, before: p.link, pre, actions, after, onFailure: pre };
};

const createInCrm: Handler = (p, ctx) => {
  const { input } = ctx;
  const item = p.outlook!;
  const graphId = item.event.id;
  const colleagues = (item.event.attendees ?? []).map((a) =>
    input.colleagues.get(a.emailAddress.address?.toLowerCase() ?? "")
  )
    .filter((u): u is string => !!u && u !== input.userId);
  const crmOnly: CanonicalAppointment = {
    subject: "",
    location: "",
    description: "",
    when: { allDay: true, startDate: "1970-01-01", endDate: "1970-01-02", timeZone: input.settings.timeZone },
    reminderMinutes: null,
    private: false,
    cancelled: false,
    contacts: [],
    resources: [],
    series: null,
    organizerId: input.userId,
    // The organizer takes part (else the CRM reads the appointment as "organizer removed", E5).
    participantIds: [...new Set([input.userId, ...colleagues])].sort(),
    groupIds: [],
  };
  const canon = outlookCanon(item, crmOnly, null, ctx);
  const idempotencyKey = p.link?.transactionId ?? `${input.tenantId}.${input.userId}.${graphId}`;
  const pre = p.link ?? newLink(input, p.key, {
    graphId,
    graphChangeKey: item.event.changeKey ?? null,
    iCalUId: item.event.iCalUId ?? null,
    intent: "creating_in_crm",
    transactionId: idempotencyKey,
    base: canon,
    role: "organizer",
    state: "pending",
  });
  ctx.report.preview.createInCrm.push(graphId);
  const actions: CalendarAction[] = [
    { kind: "createInCrm", graphId, idempotencyKey, fields: canonicalToCrmFields(forCrm(canon), input.userId) },
  ];
  if (item.stampedCrmId === null) actions.push({ kind: "stampInGraph", graphId, crmId: null });
  return { key: p.key, before: p.link, pre, actions, after: { ...pre, intent: null, state: "synced" }, onFailure: pre };
};

const joinShared: Handler = (p, ctx) => {
  const item = p.outlook!;
  const crmId = p.sharedCrmId!;
  const after = newLink(ctx.input, `crm:${crmId}`, {
    crmId,
    graphId: item.event.id,
    graphChangeKey: item.event.changeKey ?? null,
    iCalUId: item.event.iCalUId ?? null,
    attendeeCopy: true,
    role: "participant",
  });
  ctx.report.preview.linked.push({ crmId, graphId: item.event.id, by: "icaluid" });
  return {
    key: after.id,
    before: undefined,
    pre: undefined,
    actions: [{ kind: "addParticipantInCrm", crmId, userId: ctx.input.userId }],
    after,
    onFailure: null,
  };
};

const hold: Handler = (p, ctx) => {
  ctx.report.preview.held.push({ graphId: p.outlook!.event.id, reason: "waiting_for_organizer_sync" });
  return noChange(p.key, p.link);
};

const deleteDuplicate: Handler = (p, _ctx) => ({
  key: p.key,
  before: undefined,
  pre: undefined,
  actions: [{ kind: "deleteInGraph", graphId: p.outlook!.event.id, crmId: p.duplicateOf ?? null, reason: "duplicate" }],
  after: null,
  onFailure: null,
});

/** E4/E6: the member's copy went in Outlook. */
const outlookRemoved: Handler = (p, ctx) => {
  const link = p.link!;
  const canon = p.crm?.canon ?? link.base;
  if (!canon || !inWindow(canon, ctx.input.window)) {
    // Left the window (Graph reports that as @removed): never a delete (E3).
    if (!link.outlookRemoved) return noChange(p.key, link);
    const kept = withRow(link, { outlookRemoved: false }, ctx.input.now);
    return { key: p.key, before: link, pre: undefined, actions: [], after: kept, onFailure: link };
  }

  const role = p.crm?.role ?? link.role;
  const version = p.crm?.appt.version ?? link.crmVersion ?? 0;
  const crmId = link.crmId!;
  if (role === "group" && p.crm && !link.attendeeCopy) return createInOutlook(p, ctx); // the group stays whole
  const several = (p.crm?.people.length ?? 2) > 1;
  ctx.removals.inCrm++;
  if (role !== "organizer" && several) {
    return {
      key: p.key,
      before: link,
      pre: undefined,
      actions: [{ kind: "removeParticipantInCrm", crmId, userId: ctx.input.userId, expectedVersion: version }],
      after: null,
      onFailure: withRow(link, { outlookRemoved: true }, ctx.input.now),
    };
  }
  const after = withRow(link, {
    graphId: null,
    graphChangeKey: null,
    exceptionIds: {},
    base: { ...canon, cancelled: true },
    outlookRemoved: false,
    state: "synced",
  }, ctx.input.now);
  return {
    key: p.key,
    before: link,
    pre: undefined,
    actions: [{ kind: "cancelInCrm", crmId, expectedVersion: version }],
    after,
    onFailure: withRow(link, { outlookRemoved: true }, ctx.input.now),
  };
};

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
const merge: Handler = (p, ctx) => {
  const { input } = ctx;
  const link = p.link;
  const base = link?.base ?? null;
  const crmCanon = p.crm?.canon ?? base;
  if (!crmCanon) return noChange(p.key, link);
  const item = p.outlook;
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

/** The handler of each case of the case table. */
export const HANDLERS: Record<CaseName, Handler> = {
  nothing,
  keep: nothing,
  suspend,
  forget,
  createInOutlook,
  createInCrm,
  firstLink: merge,
  joinShared,
  merge,
  deleteInOutlook,
  cancelCopy,
  outlookRemoved,
  deleteDuplicate,
  hold,
};
