// The calendar kind's ports for one run (see `KindRun`): read both sides → the core's pure planner
// → (the engine checks P6/A10 and applies through the executors) → settle rows → store the cursor.
import type { KindRun } from "@app/shared/engine";
import {
  type CalendarAction,
  type CalendarLink,
  type CalendarPlan,
  planCalendar,
  settleCalendarPair,
} from "../sync/mod.ts";
import { calendarExecutors } from "./executors.ts";
import { type CalendarRead, type CalendarReadDeps, readCalendar } from "./read.ts";

/** One run of one user's calendar, bound to its ports. */
export function calendarRun(d: CalendarReadDeps): KindRun<CalendarLink, CalendarAction, CalendarRead, CalendarPlan> {
  return {
    read: (scope) => readCalendar(d, scope),
    plan: (read) => planCalendar(read.input),
    executors: calendarExecutors({
      tenantId: d.tenantId,
      userId: d.userId,
      graph: d.graph,
      crm: d.crm,
      timeZone: d.timeZone,
    }),
    links: d.links,
    settle: settleCalendarPair,
    commit: (read, applied) => d.links.setCursor(read.cursor.window, read.cursor.next, applied.createdInOutlook),
    remember: (created) => d.links.addCreated(created),
    report: (plan) => ({ ...plan.report }),
  };
}
