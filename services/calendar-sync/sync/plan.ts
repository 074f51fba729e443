/**
 * The calendar planner (pure): canonicalise both sides once, classify every pair in the one case
 * table, emit actions; link bookkeeping in the pair rows (E1–E12, A9, P6).
 * @module
 */
import { caseOf, crmStateOf, linkStateOf, outlookStateOf } from "./cases.ts";
import { HANDLERS, type PlanContext } from "./handlers.ts";
import { pairUp } from "./pairs.ts";
import type { CalendarPlan, CalendarPlanInput } from "./types.ts";

/** Plans one member's run. */
export function planCalendar(input: CalendarPlanInput): CalendarPlan {
  const ctx: PlanContext = {
    input,
    report: {
      conflicts: [],
      preview: { linked: [], createInOutlook: [], createInCrm: [], held: [], skipped: [] },
      suspended: [],
      warnings: [],
    },
    removals: { inOutlook: 0, inCrm: 0 },
  };
  const pairs = pairUp(input).map((p) => {
    const name = caseOf(crmStateOf(p), outlookStateOf(p, input), linkStateOf(p));
    return HANDLERS[name](p, ctx);
  });
  return { pairs, removals: ctx.removals, report: ctx.report };
}
