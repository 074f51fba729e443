/**
 * The calendar planner (pure): canonicalise both sides once, classify every pair in the one case
 * table, emit actions; link bookkeeping in the pair rows (E1–E12, A9, P6).
 * @module
 */
import { caseOf, crmStateOf, linkStateOf, outlookStateOf } from "./cases.ts";
import { HANDLERS, type PlanContext } from "./handlers.ts";
import { pairUp } from "./pairs.ts";
import type { CalendarAction, CalendarPairPlan, CalendarPlan, CalendarPlanInput } from "./types.ts";

/** Points occurrence writes of a just-created series at the index of their pair's `createInGraph`. */
function bindCreated(pair: CalendarPairPlan): CalendarPairPlan {
  const at = pair.actions.findIndex((a) => a.kind === "createInGraph");
  if (at < 0) return pair;
  const actions = pair.actions.map((a): CalendarAction =>
    (a.kind === "updateOccurrenceInGraph" || a.kind === "cancelOccurrenceInGraph") && a.seriesMasterId === null
      ? { ...a, createdBy: at }
      : a
  );
  return { ...pair, actions };
}

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
    return bindCreated(HANDLERS[name](p, ctx));
  });
  return { pairs, removals: ctx.removals, report: ctx.report };
}
