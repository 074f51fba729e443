// What one calendar run reads: the CRM's appointments for the user, the calendarView delta of the
// window with series masters and stamps, the links involved, and the tenant's groups and
// colleagues — shaped into the core's plan input once, here, so the planner stays pure.
import type { Appointment, SyncUserContext } from "@app/shared/contract";
import type { KindRead, ReadScope } from "@app/shared/engine";
import { DeltaExpiredError } from "@app/shared/sync";
import type { CrmAppointmentsNats } from "../adapters/crm_appointments_nats.ts";
import type { EventChanges, GraphEventsAdapter } from "../adapters/graph_events.ts";
import type { EventLinkQueries } from "../adapters/link_queries.ts";
import type { EventLinkStorePg } from "../adapters/link_store_pg.ts";
import type { CalendarLink, CalendarPlanInput, GraphEvent, OutlookItem } from "../sync/mod.ts";
import { CRM_ID_PROPERTY } from "../sync/mod.ts";
import { utcMs } from "../sync/time_zone.ts";
import { dayWindow } from "./window.ts";

/** What a calendar run read: the engine's figures and the core's plan input. */
export interface CalendarRead extends KindRead {
  input: CalendarPlanInput;
  /** The delta round's next cursor and window, stored once the run applied everything. */
  cursor: { next: string; window: { start: string; end: string } };
}

/** The ports and settings one read uses, bound to one user. */
export interface CalendarReadDeps {
  tenantId: string;
  userId: string;
  user: SyncUserContext;
  graph: GraphEventsAdapter;
  crm: CrmAppointmentsNats;
  links: EventLinkStorePg;
  queries: EventLinkQueries;
  now: () => string;
  horizonDays: number;
  timeZone: string;
  allowAttendees: boolean;
}

/** Reads both sides for one run (complete on first sync, a new day's window, a lost cursor, or reconcile). */
export async function readCalendar(d: CalendarReadDeps, scope: ReadScope): Promise<CalendarRead> {
  const now = d.now();
  const window = dayWindow(now, d.user.settings.calendar.includePastDays, d.horizonDays, d.timeZone);
  const stored = await d.links.getCursor(window);
  const outlook = await readOutlook(d.graph, scope.mode === "reconcile" ? undefined : stored.cursor, window);
  const links = await d.links.list();
  const items = await outlookItems(d.graph, outlook, links, window);
  const removedIds = await trulyRemoved(d.graph, outlook.removedIds, items);

  const crm = await readCrm(d, scope, window, links, items, removedIds, outlook.complete);
  const appointments = crm.appointments;

  const located = await locateIntents(d.graph, links, window);
  const iCalUIds = items.flatMap((i) => i.event.iCalUId ? [i.event.iCalUId] : []);
  const [groups, users, syncing, sharedMeetings] = await Promise.all([
    d.crm.groups(),
    d.crm.users(),
    d.queries.syncingUsers(d.tenantId),
    d.queries.sharedMeetings(d.tenantId, d.userId, iCalUIds),
  ]);
  // Names and e-mails only for appointments the planner may write (new, or changed since linked).
  const linkedVersion = new Map(links.flatMap((l) => l.crmId ? [[l.crmId, l.crmVersion] as const] : []));
  const contactIds = appointments.filter((a) => linkedVersion.get(a.id) !== a.version)
    .flatMap((a) => a.contacts.map((c) => c.contactId));
  const contacts = await d.crm.contacts(contactIds);

  const firstSync = stored.cursor === undefined && links.length === 0;
  const input: CalendarPlanInput = {
    tenantId: d.tenantId,
    userId: d.userId,
    now,
    window,
    firstSync,
    crm: { appointments, deletedIds: crm.deletedIds, complete: crm.complete },
    groups: new Map(groups.map((g) => [g.id, g.memberIds])),
    outlook: { items, removedIds, complete: outlook.complete },
    links,
    located,
    sharedMeetings,
    // E12: linked colleagues are those whose calendars this service syncs.
    colleagues: new Map(
      users.flatMap((u) =>
        u.email && (syncing.has(u.id) || u.id === d.userId) ? [[u.email.toLowerCase(), u.id] as const] : []
      ),
    ),
    directory: { contacts },
    settings: { allowAttendees: d.allowAttendees, timeZone: d.timeZone },
  };
  return {
    input,
    cursor: { next: outlook.nextCursor, window },
    complete: outlook.complete,
    linkedCount: await d.links.countSynced(),
    ...(crm.complete ? { crmCount: crm.listed } : {}),
    ...(outlook.complete ? { outlookCount: items.length } : {}),
    firstSync,
    changed: outlook.upserts.length > 0 || removedIds.length > 0 || scope.crmChanges.ids.size > 0 ||
      scope.crmChanges.full,
  };
}

/**
 * The CRM side. In full (first sync, a new window, reconciliation, an event that named no record):
 * the user's appointments in the window, plus linked ones no longer listed, fetched by id (gone:
 * deleted; there: moved out of the window or the user left). Otherwise only what changed: the
 * records the CRM's events named, and those linked to Outlook items that changed or are unfinished.
 */
async function readCrm(
  d: CalendarReadDeps,
  scope: ReadScope,
  window: { start: string; end: string },
  links: readonly CalendarLink[],
  items: readonly OutlookItem[],
  removedIds: readonly string[],
  outlookComplete: boolean,
): Promise<{ appointments: Appointment[]; deletedIds: string[]; complete: boolean; listed: number }> {
  const full = outlookComplete || scope.mode === "reconcile" || scope.crmChanges.full;
  if (full) {
    const listed = await d.crm.list(d.userId, { from: window.start, to: window.end });
    const listedIds = new Set(listed.map((a) => a.id));
    const unlisted = links.flatMap((l) => l.crmId && !listedIds.has(l.crmId) ? [l.crmId] : []);
    const stillThere = await d.crm.getMany(unlisted);
    const stillIds = new Set(stillThere.map((a) => a.id));
    return {
      appointments: [...listed, ...stillThere],
      deletedIds: unlisted.filter((id) => !stillIds.has(id)),
      complete: true,
      listed: listed.length,
    };
  }
  const wanted = new Set(scope.crmChanges.ids.keys());
  const byGraphId = new Map(links.flatMap((l) => l.graphId && l.crmId ? [[l.graphId, l.crmId] as const] : []));
  for (const i of items) {
    const crmId = byGraphId.get(i.event.id) ?? i.stampedCrmId;
    if (crmId) wanted.add(crmId);
  }
  for (const id of removedIds) {
    const l = links.find((x) => x.graphId === id || Object.values(x.exceptionIds).includes(id));
    if (l?.crmId) wanted.add(l.crmId);
  }
  for (const l of links) {
    if (l.crmId && (l.state !== "synced" || l.intent !== null || l.lastError !== null || l.outlookRemoved)) {
      wanted.add(l.crmId);
    }
  }
  const appointments = await d.crm.getMany([...wanted]);
  const found = new Set(appointments.map((a) => a.id));
  return { appointments, deletedIds: [...wanted].filter((id) => !found.has(id)), complete: false, listed: 0 };
}

/** A delta round from the cursor; a lost cursor (410) starts a complete round, never deleting by omission. */
async function readOutlook(
  graph: GraphEventsAdapter,
  cursor: string | undefined,
  window: { start: string; end: string },
): Promise<EventChanges> {
  try {
    return await graph.readWindow({ cursor, window });
  } catch (err) {
    if (cursor !== undefined && err instanceof DeltaExpiredError) {
      return await graph.readWindow({ cursor: undefined, window });
    }
    throw err;
  }
}

/**
 * The delta's instances as the core's Outlook items: single events with our properties, and each
 * series touched (or, after an `@removed` we cannot place, each linked series) as its master with
 * every instance inside the window.
 */
async function outlookItems(
  graph: GraphEventsAdapter,
  changes: EventChanges,
  links: readonly CalendarLink[],
  window: { start: string; end: string },
): Promise<OutlookItem[]> {
  const singles = changes.upserts.filter((e) => e.type === "singleInstance" || !e.seriesMasterId);
  const seriesIds = new Set(changes.upserts.flatMap((e) => e.seriesMasterId ? [e.seriesMasterId] : []));
  const known = new Set(links.flatMap((l) => [l.graphId, ...Object.values(l.exceptionIds)].filter(Boolean)));
  const linkedSeries = links.flatMap((l) => l.graphId && l.base?.series ? [l.graphId] : []);
  if (changes.complete) {
    // A linked series whose occurrences in the window are all cancelled is absent from the view.
    linkedSeries.forEach((id) => seriesIds.add(id));
  } else if (changes.removedIds.some((id) => !known.has(id) || isSeriesPart(id, links))) {
    // An occurrence deleted in Outlook is reported by its own id only: look at every linked series again.
    linkedSeries.forEach((id) => seriesIds.add(id));
  }
  const props = changes.complete ? await graph.allProperties() : await graph.properties(singles.map((e) => e.id));
  const out: OutlookItem[] = singles.map((event) => withProperties(event, props.get(event.id)));
  const listed = changes.complete ? changes.upserts : undefined;
  out.push(...(await seriesItems(graph, [...seriesIds], window, listed)).values());
  return out;
}

/**
 * Series masters as the core's items, by master id: each with every instance inside the window
 * (from `listed`, a complete calendarView, else read) and its exceptions moved out of it.
 */
async function seriesItems(
  graph: GraphEventsAdapter,
  ids: readonly string[],
  window: { start: string; end: string },
  listed?: readonly GraphEvent[],
): Promise<Map<string, OutlookItem>> {
  const out = new Map<string, OutlookItem>();
  const masters = await graph.masters(ids);
  for (const { master, exceptions } of masters.values()) {
    const instances = listed
      ? listed.filter((e) => e.seriesMasterId === master.id)
      : await graph.instances(master.id, window);
    // Exceptions moved out of the window whose original start lies inside it are still this series' (E8).
    const seen = new Set(instances.map((i) => i.id));
    const moved = exceptions.filter((x) => !seen.has(x.id) && x.originalStart && inside(x.originalStart, window));
    out.set(master.id, { event: master, instances: [...instances, ...moved], stampedCrmId: stamp(master) });
  }
  return out;
}

function inside(isoUtc: string, window: { start: string; end: string }): boolean {
  const t = utcMs(isoUtc);
  return t >= Date.parse(window.start) && t < Date.parse(window.end);
}

function isSeriesPart(id: string, links: readonly CalendarLink[]): boolean {
  return links.some((l) => Object.values(l.exceptionIds).includes(id));
}

function withProperties(event: GraphEvent, props: { id: string; value: string }[] | undefined): OutlookItem {
  const e: GraphEvent = props ? { ...event, singleValueExtendedProperties: props } : event;
  return { event: e, instances: [], stampedCrmId: stamp(e) };
}

function stamp(e: GraphEvent): string | null {
  return e.singleValueExtendedProperties?.find((p) => p.id === CRM_ID_PROPERTY)?.value ?? null;
}

/** `@removed` ids that are really gone: Graph also reports events changed outside the window so (E3). */
async function trulyRemoved(graph: GraphEventsAdapter, removed: readonly string[], items: readonly OutlookItem[]) {
  if (removed.length === 0) return [];
  const seen = new Set(items.flatMap((i) => [i.event.id, ...i.instances.map((x) => x.id)]));
  const candidates = removed.filter((id) => !seen.has(id));
  const alive = await graph.events(candidates);
  return candidates.filter((id) => !alive.has(id) || alive.get(id)!.isCancelled);
}

/**
 * Rows with a create in flight: was the event made before the crash? (found by our stamp, A9). A
 * series comes with its instances, as in the delta: without them every occurrence would read as
 * deleted in Outlook (E8).
 */
async function locateIntents(
  graph: GraphEventsAdapter,
  links: readonly CalendarLink[],
  window: { start: string; end: string },
) {
  const crmIds = links.flatMap((l) => l.intent === "creating_in_graph" && l.crmId ? [l.crmId] : []);
  const found = await graph.locateByCrmIds(crmIds);
  const series = await seriesItems(graph, [...found.values()].flatMap((e) => e.recurrence ? [e.id] : []), window);
  const out = new Map<string, OutlookItem | null>();
  for (const crmId of crmIds) {
    const e = found.get(crmId);
    out.set(crmId, e ? series.get(e.id) ?? { event: e, instances: [], stampedCrmId: crmId } : null);
  }
  return out;
}
