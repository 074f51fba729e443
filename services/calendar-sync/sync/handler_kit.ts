/**
 * What the case handlers share: the plan context, the CRM's limits and the one canonicalisation of
 * the Outlook side of a pair.
 * @module
 */
import { reminderChoice } from "./reminder.ts";
import { graphToCanonical, originalStartOf } from "./graph_mapping.ts";
import type { PairState } from "./pairs.ts";
import type {
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

/** Turns one classified pair into its plan. */
export type Handler = (p: PairState, ctx: PlanContext) => CalendarPairPlan;

const CRM_LIMITS = { subject: 255, location: 500, description: 32_000 } as const;

/** A canonical record as the CRM can hold it: reminder on a fixed choice, texts within limits. */
export function forCrm(c: CanonicalAppointment): CanonicalAppointment {
  return {
    ...c,
    reminderMinutes: reminderChoice(c.reminderMinutes),
    subject: c.subject.slice(0, CRM_LIMITS.subject),
    location: c.location.slice(0, CRM_LIMITS.location),
    description: c.description.slice(0, CRM_LIMITS.description),
  };
}

/** The Outlook side canonicalised, with CRM-only parts from `crm`. */
export function outlookCanon(
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

/** Ids of a series' in-window occurrences by original local start (E8 identity). */
export function occurrenceIdsOf(item: OutlookItem | undefined, zone: string, allDay: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const inst of item?.instances ?? []) {
    const k = originalStartOf(inst, zone, allDay);
    if (k) out[k] = inst.id;
  }
  return out;
}

/** Adds a status warning about the pair. */
export function warn(ctx: PlanContext, p: PairState, code: string, message: string) {
  ctx.report.warnings.push({
    crmId: p.link?.crmId ?? p.crm?.appt.id ?? null,
    graphId: p.link?.graphId ?? p.outlook?.event.id ?? null,
    code,
    message,
  });
}
