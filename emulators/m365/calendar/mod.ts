// The calendar module of the Microsoft 365 emulator: calendars, events with recurrence,
// instances, calendarView and its delta, and the admin API for seeding and the mail log.
import type { GraphModule } from "../module.ts";
import type { Mailbox } from "../state/mailbox.ts";
import { calendarAdminRoutes } from "./admin.ts";
import { CALENDAR_KIND, EVENT_KIND } from "./events.ts";
import { calendarRoutes } from "./routes_calendars.ts";
import { eventRoutes } from "./routes_events.ts";
import { viewRoutes } from "./routes_views.ts";

export { CalendarMailbox } from "./events.ts";

/** The calendar GraphModule; the core registers it next to contacts. */
export const calendarModule: GraphModule = {
  name: "calendar",
  mailboxRoutes(routes, ctx) {
    calendarRoutes(routes, ctx);
    eventRoutes(routes, ctx);
    viewRoutes(routes, ctx);
  },
  adminRoutes(routes, ctx) {
    calendarAdminRoutes(routes, ctx);
  },
  subscriptionResources: [
    {
      pattern: /^events$/i,
      kind: EVENT_KIND,
      scopes: ["Calendars.Read"],
      entitySet: "Events",
      odataType: "#Microsoft.Graph.Event",
      resolveFolder: () => "*",
    },
    {
      pattern: /^calendars\/([^/]+)\/events$/i,
      kind: EVENT_KIND,
      scopes: ["Calendars.Read"],
      entitySet: "Events",
      odataType: "#Microsoft.Graph.Event",
      resolveFolder: (m: RegExpMatchArray, mailbox: Mailbox) =>
        m[1]!.toLowerCase() === "calendar"
          ? mailbox.folders.defaultOf(CALENDAR_KIND, "Calendar").id
          : mailbox.folders.get(m[1]!, CALENDAR_KIND)?.id,
    },
  ],
};
