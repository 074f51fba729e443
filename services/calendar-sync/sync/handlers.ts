/**
 * Step 3 of the planner: one handler per case of the case table, each turning a pair into a
 * {@link CalendarPairPlan} — actions for remote writes, rows for bookkeeping (pre/after/onFailure).
 * The merge case lives in `merge_pair.ts`.
 * @module
 */
import { canonicalToCrmFields } from "./crm_mapping.ts";
import { startEpoch } from "./graph_mapping.ts";
import { createActions } from "./graph_writes.ts";
import { forCrm, type Handler, outlookCanon } from "./handler_kit.ts";
import { mergePair } from "./merge_pair.ts";
import { inWindow } from "./pairs.ts";
import { createdOnly, newLink, noChange, withRow } from "./rows.ts";
import type { CaseName } from "./cases.ts";
import type { CalendarAction, CalendarLink, CanonicalAppointment } from "./types.ts";

export type { PlanContext } from "./handler_kit.ts";

const nothing: Handler = (p) => noChange(p.key, p.link);

const suspend: Handler = (p, ctx) => {
  const crmId = p.crm?.appt.id ?? p.link?.crmId;
  if (crmId) ctx.report.suspended.push(crmId);
  if (!p.link) {
    if (crmId) ctx.report.preview.skipped.push({ id: crmId, reason: "organizer_removed" });
    return noChange(p.key, undefined);
  }
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

/** A CRM appointment cancelled before it was ever synced (A9 preview: skipped). */
const skip: Handler = (p, ctx) => {
  const id = p.crm?.appt.id ?? p.outlook?.event.id;
  if (id) ctx.report.preview.skipped.push({ id, reason: "cancelled" });
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

/** The handler of each case of the case table. */
export const HANDLERS: Record<CaseName, Handler> = {
  nothing,
  keep: nothing,
  suspend,
  forget,
  createInOutlook,
  createInCrm,
  firstLink: mergePair,
  joinShared,
  merge: mergePair,
  deleteInOutlook,
  cancelCopy,
  outlookRemoved,
  deleteDuplicate,
  hold,
  skip,
};
