// The calendar kind of the shared engine: what is specific to appointments (the chosen calendar, CRM
// appointment and group events, adapters, the core's planner, the report). Scheduling, safety (P6),
// A10, apply and status are the engine's.
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { NatsConnection } from "@nats-io/nats-core";
import { z } from "zod";
import type { CrmEvent } from "@app/shared/contract";
import type { CrmEventRoute, SyncKind } from "@app/shared/engine";
import type { NatsCatalog } from "@app/shared/nats";
import { CrmAppointmentsNats } from "./adapters/crm_appointments_nats.ts";
import { GraphEventsAdapter } from "./adapters/graph_events.ts";
import { EventLinkQueries } from "./adapters/link_queries.ts";
import { EventLinkStorePg } from "./adapters/link_store_pg.ts";
import type { CalendarSyncSchema } from "./db/schema.ts";
import { calendarRun } from "./run/calendar_run.ts";
import type { CalendarRead } from "./run/read.ts";
import type { CalendarAction, CalendarLink, CalendarPlan } from "./sync/mod.ts";

const Ids = z.array(z.string());
/** OpenAPI shape of the calendar report (status summaries and the A9 preview). */
export const CalendarReportSchema = z.object({
  conflicts: z.array(z.object({ crmId: z.string(), graphId: z.string(), field: z.string() })),
  preview: z.object({
    linked: z.array(z.object({ crmId: z.string(), graphId: z.string(), by: z.string() })),
    createInOutlook: Ids,
    createInCrm: Ids,
    held: z.array(z.object({ graphId: z.string(), reason: z.string() })),
    skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  }),
  /** Appointments whose sync is suspended for this user: the organizer left them in the CRM (E5). */
  suspended: Ids,
  warnings: z.array(z.object({
    crmId: z.string().nullable(),
    graphId: z.string().nullable(),
    code: z.string(),
    message: z.string(),
  })),
});

/**
 * The users and record a CRM appointment or group event concerns: everyone taking part now
 * (organizer, participants; group members need a listing) and everyone holding a copy.
 */
export async function routeCalendarEvent(
  event: CrmEvent,
  linkedUsers: (crmId: string) => Promise<string[]>,
  groupMembers: (tenantId: string, groupIds: readonly string[]) => Promise<string[]>,
): Promise<CrmEventRoute[]> {
  switch (event.type) {
    case "crm.appointment.created":
    case "crm.appointment.updated": {
      const a = event.data.appointment;
      const members = a.groupIds.length > 0 ? await groupMembers(event.tenantId, a.groupIds) : [];
      const users = new Set([a.organizerId, ...a.participantIds, ...members, ...await linkedUsers(a.id)]);
      const routes: CrmEventRoute[] = [...users].map((userId) => ({ userId, recordId: a.id, version: a.version }));
      return routes;
    }
    case "crm.appointment.deleted": {
      const { appointmentId, version } = event.data;
      return (await linkedUsers(appointmentId)).map((userId) => ({ userId, recordId: appointmentId, version }));
    }
    case "crm.group.membership_changed":
      // Members now get copies; former members lose theirs: a listing decides for each.
      return event.data.memberIds.map((userId) => ({ userId }));
    default:
      return [];
  }
}

/** Options of {@link calendarKind}. */
export interface CalendarKindOptions {
  db: PostgresJsDatabase<CalendarSyncSchema>;
  nc: NatsConnection;
  catalog: NatsCatalog;
  horizonDays: number;
  defaultTimeZone: string;
}

/** The calendar kind, bound to calendar-sync's database and NATS (E1: always two-way). */
export function calendarKind(
  o: CalendarKindOptions,
): SyncKind<CalendarLink, CalendarAction, CalendarRead, CalendarPlan> {
  const queries = new EventLinkQueries(o.db);
  const groupMembers = async (tenantId: string, groupIds: readonly string[]) => {
    const groups = await new CrmAppointmentsNats(o.nc, o.catalog, tenantId).groups();
    return groups.filter((g) => groupIds.includes(g.id)).flatMap((g) => g.memberIds);
  };
  return {
    name: "calendar",
    title: "calendar sync",
    targetTitle: "calendar",
    target: (u) => ({ enabled: u.settings.calendar.enabled, targetId: u.settings.calendar.calendarId }),
    crmEvents: {
      accepts: (e) => e.type.startsWith("crm.appointment.") || e.type.startsWith("crm.group."),
      route: (e, linked) => routeCalendarEvent(e, linked, groupMembers),
    },
    subscriptionResource: () => "/me/events",
    reportSchema: CalendarReportSchema,
    open: (s) =>
      calendarRun({
        tenantId: s.tenantId,
        userId: s.userId,
        user: s.user,
        graph: new GraphEventsAdapter(s.graph, s.targetId),
        crm: new CrmAppointmentsNats(o.nc, o.catalog, s.tenantId),
        links: new EventLinkStorePg(o.db, s.tenantId, s.userId, s.targetId),
        queries,
        now: s.now,
        horizonDays: o.horizonDays,
        timeZone: o.defaultTimeZone,
        allowAttendees: s.user.calendarAttendees ?? false,
      }),
    linkedUsers: (t, crmId) => queries.usersLinkedTo(t, crmId),
    linkedVersion: (t, u, crmId) => queries.linkedVersion(t, u, crmId),
    linkedChangeKey: (t, u, graphId) => queries.linkedChangeKey(t, u, graphId),
    linkCounts: (t, u) => queries.linkCounts(t, u),
    item: (t, u, crmId) => queries.item(t, u, crmId),
  };
}
