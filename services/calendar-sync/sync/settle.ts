/**
 * Settling a pair after the engine applied it: the row to keep, with the ids and versions the
 * writes returned (pure; the engine then appends attempts and `lastError`).
 * @module
 */
import type { PairOutcome } from "@app/shared/engine";
import { createdOnly } from "./rows.ts";
import type { CalendarAction, CalendarLink, CalendarPairPlan, CrmWriteValue, GraphWriteValue } from "./types.ts";

function asGraph(v: unknown): GraphWriteValue | undefined {
  return v && typeof v === "object" && typeof (v as GraphWriteValue).id === "string" ? v as GraphWriteValue : undefined;
}
function asCrm(v: unknown): CrmWriteValue | undefined {
  const c = v as CrmWriteValue | undefined;
  return c && typeof c === "object" && typeof c.id === "string" && typeof c.version === "number" ? c : undefined;
}

function absorb(row: CalendarLink, actions: readonly CalendarAction[], values: readonly unknown[]): CalendarLink {
  const out = { ...row };
  actions.forEach((a, i) => {
    if (i >= values.length) return;
    const v = values[i];
    if (a.kind === "createInGraph") {
      const g = asGraph(v);
      if (g) {
        Object.assign(out, {
          graphId: g.id,
          graphChangeKey: g.changeKey ?? null,
          iCalUId: g.iCalUId ?? out.iCalUId,
          intent: null,
        });
      }
    } else if (a.kind === "updateInGraph") {
      const g = asGraph(v);
      if (g?.changeKey) out.graphChangeKey = g.changeKey;
    } else if (a.kind === "createInCrm") {
      const c = asCrm(v);
      if (c) Object.assign(out, { crmId: c.id, crmVersion: c.version, intent: null });
    } else if (a.kind === "updateInCrm" || a.kind === "cancelInCrm" || a.kind === "addParticipantInCrm") {
      const c = asCrm(v);
      if (c) out.crmVersion = c.version;
    }
  });
  return out;
}

/** The row to persist once a pair is done, failed or deferred (`null`: delete it). */
export function settleCalendarPair(
  pair: CalendarPairPlan,
  outcome: PairOutcome<CalendarAction>,
  now: string,
): CalendarLink | null {
  if (outcome.status === "done") {
    return pair.after ? { ...absorb(pair.after, pair.actions, outcome.values), updatedAt: now } : null;
  }
  const kept = pair.onFailure ?? (outcome.values.length ? pair.pre ?? pair.after : null);
  if (!kept) return null;
  const row = absorb(kept, pair.actions, outcome.values);
  const created = pair.actions.findIndex((a) => a.kind === "createInGraph");
  if (created >= 0 && created < outcome.values.length && pair.after?.base) {
    // The event exists now, without the occurrence writes that failed after it.
    row.base = createdOnly(pair.after.base);
  }
  row.state = outcome.status === "failed" ? "error" : "pending";
  row.updatedAt = now;
  const f = outcome.failure;
  if (f?.error.kind === "gone" && (f.action.kind === "updateInGraph" || f.action.kind === "stampInGraph")) {
    row.outlookRemoved = true; // P9: planned as an Outlook delete next run
  }
  return row;
}
