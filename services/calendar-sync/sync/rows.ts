/**
 * Link rows: fresh rows, and the shared shape of "nothing happens" plans. Bookkeeping only; remote
 * writes are actions.
 * @module
 */
import type { CalendarLink, CalendarPairPlan, CalendarPlanInput, CanonicalAppointment } from "./types.ts";

/** A new link row for this member with everything unset. */
export function newLink(input: CalendarPlanInput, id: string, patch: Partial<CalendarLink>): CalendarLink {
  return {
    id,
    tenantId: input.tenantId,
    userId: input.userId,
    crmId: null,
    crmVersion: null,
    graphId: null,
    graphChangeKey: null,
    iCalUId: null,
    exceptionIds: {},
    base: null,
    state: "synced",
    intent: null,
    transactionId: null,
    invited: false,
    role: null,
    attendeeCopy: false,
    outlookRemoved: false,
    warnings: [],
    lastError: null,
    attempts: [],
    updatedAt: input.now,
    ...patch,
  };
}

/** The row changed by `patch`, stamped `now`. */
export function withRow(link: CalendarLink, patch: Partial<CalendarLink>, now: string): CalendarLink {
  return { ...link, ...patch, updatedAt: now };
}

/** A plan with no action: the row stays (or, without one, nothing is written). */
export function noChange(key: string, link: CalendarLink | undefined): CalendarPairPlan {
  return { key, before: link, pre: undefined, actions: [], after: link ?? null, onFailure: link ?? null };
}

/**
 * The snapshot right after a `createInGraph` alone: Outlook has the series without exceptions until
 * the occurrence writes that follow succeed, so a failure there replans them instead of reading
 * their absence as an Outlook edit.
 */
export function createdOnly(c: CanonicalAppointment): CanonicalAppointment {
  return c.series ? { ...c, series: { ...c.series, exceptions: {} } } : c;
}
