// The calendar's remote writes as the engine runs them: one executor per action kind, each mapping
// its adapter's answers to the engine's one error vocabulary (ItemError) at this boundary.
import {
  type ActionExecutor,
  type ActionExecutors,
  crmExecutor,
  type ExecItem,
  graphExecutor,
  type ItemResult,
} from "@app/shared/engine";
import { deriveIdempotencyKey } from "@app/shared/sync";
import type { CrmAppointmentsNats } from "../adapters/crm_appointments_nats.ts";
import type { GraphEventsAdapter } from "../adapters/graph_events.ts";
import { BATCH_LIMIT } from "@app/shared/graph";
import { type CalendarAction, CRM_ID_PROPERTY, type GraphEvent } from "../sync/mod.ts";
import { epochOf, localOf, utcMs } from "../sync/time_zone.ts";

type Of<K extends CalendarAction["kind"]> = Extract<CalendarAction, { kind: K }>;

/** CRM writes first (a create's id is stamped in Outlook after), then Outlook's in `$batch`es. */
export const CALENDAR_ACTION_ORDER = [
  "createInCrm",
  "updateInCrm",
  "cancelInCrm",
  "removeParticipantInCrm",
  "addParticipantInCrm",
  "createInGraph",
  "updateInGraph",
  "stampInGraph",
  "updateOccurrenceInGraph",
  "cancelOccurrenceInGraph",
  "deleteInGraph",
] as const satisfies readonly CalendarAction["kind"][];

/** What the executors write through, bound to one user. */
export interface CalendarWriters {
  tenantId: string;
  userId: string;
  graph: GraphEventsAdapter;
  crm: CrmAppointmentsNats;
  /** The user's zone, when a series master names none. */
  timeZone: string;
}

/** The executors of every remote calendar action. */
export function calendarExecutors(w: CalendarWriters): ActionExecutors<CalendarAction> {
  const key = (...parts: string[]) => deriveIdempotencyKey("calendar", w.tenantId, w.userId, ...parts);
  const crm = <K extends CalendarAction["kind"]>(call: (a: Of<K>) => Promise<unknown>, goneIsDone = false) =>
    crmExecutor<CalendarAction>((a) => call(a as Of<K>), goneIsDone);
  const graph = (
    call: (items: readonly ExecItem<CalendarAction>[]) => Promise<ItemResult[]>,
    extra: Partial<ActionExecutor<CalendarAction>> = {},
  ) => graphExecutor<CalendarAction>(BATCH_LIMIT, call, extra);
  const occurrences = new OccurrenceFinder(w.graph);
  return {
    order: CALENDAR_ACTION_ORDER,
    byKind: {
      // Keyed by the Outlook event: a create retried after a crash returns the appointment made before.
      createInCrm: crm<"createInCrm">((a) => w.crm.create({ fields: a.fields, idempotencyKey: a.idempotencyKey })),
      updateInCrm: crm<"updateInCrm">(async (a) =>
        w.crm.update({
          appointmentId: a.crmId,
          expectedVersion: a.expectedVersion,
          fields: a.patch,
          idempotencyKey: await key("update", a.crmId, String(a.expectedVersion)),
        })
      ),
      cancelInCrm: crm<"cancelInCrm">(
        async (a) => w.crm.cancel({ appointmentId: a.crmId, idempotencyKey: await key("cancel", a.crmId) }),
        true,
      ),
      removeParticipantInCrm: crm<"removeParticipantInCrm">(
        async (a) =>
          w.crm.removeParticipant({
            appointmentId: a.crmId,
            userId: a.userId,
            idempotencyKey: await key("leave", a.crmId, a.userId),
          }),
        true,
      ),
      addParticipantInCrm: crm<"addParticipantInCrm">(async (a) =>
        w.crm.addParticipant({
          appointmentId: a.crmId,
          userId: a.userId,
          idempotencyKey: await key("join", a.crmId, a.userId),
        })
      ),
      // The create's transactionId comes from the intent row: a POST retried after a crash makes one event.
      createInGraph: graph((items) =>
        w.graph.createMany(items.map((i) => {
          const a = i.action as Of<"createInGraph">;
          return { body: a.body, crmId: a.crmId, transactionId: a.transactionId };
        })), { createdId: (v) => (v as GraphEvent | undefined)?.id }),
      updateInGraph: graph((items) =>
        w.graph.updateMany(items.map((i) => {
          const a = i.action as Of<"updateInGraph">;
          return { id: a.graphId, body: a.body, ...(a.changeKey ? { changeKey: a.changeKey } : {}) };
        }))
      ),
      // An event that came from Outlook (or matched on first sync) gets our stamp with the CRM id (A9).
      stampInGraph: graph((items) =>
        w.graph.updateMany(items.map((i) => {
          const a = i.action as Of<"stampInGraph">;
          const created = i.earlier.find((v) => typeof (v as { version?: unknown } | undefined)?.version === "number");
          const crmId = a.crmId ?? (created as { id: string } | undefined)?.id ?? "";
          return { id: a.graphId, body: { singleValueExtendedProperties: [{ id: CRM_ID_PROPERTY, value: crmId }] } };
        }))
      ),
      updateOccurrenceInGraph: graph(async (items) => {
        const ids = await occurrences.ids(items.map(occurrenceRef));
        const results: ItemResult[] = new Array(items.length);
        const todo = items.flatMap((i, n) => {
          const id = ids[n];
          if (id === undefined) {
            results[n] = { ok: false, error: { kind: "gone", message: "the occurrence is not in the series" } };
            return [];
          }
          return [{ n, id, body: (i.action as Of<"updateOccurrenceInGraph">).body }];
        });
        const written = await w.graph.updateMany(todo.map((t) => ({ id: t.id, body: t.body })));
        todo.forEach((t, k) => results[t.n] = written[k]!);
        return results;
      }),
      cancelOccurrenceInGraph: graph(async (items) => {
        const ids = await occurrences.ids(items.map(occurrenceRef));
        const results: ItemResult[] = new Array(items.length);
        const todo = items.flatMap((_, n) => {
          const id = ids[n];
          if (id === undefined) {
            results[n] = { ok: true, value: undefined }; // already cancelled (not listed) or outside the series
            return [];
          }
          return [{ n, id }];
        });
        const deleted = await w.graph.deleteMany(todo.map((t) => t.id));
        todo.forEach((t, k) => results[t.n] = deleted[k]!);
        return results;
      }, { goneIsDone: true }),
      deleteInGraph: graph(
        (items) => w.graph.deleteMany(items.map((i) => (i.action as Of<"deleteInGraph">).graphId)),
        { goneIsDone: true },
      ),
    },
  };
}

/** An occurrence as an action names it; a series created earlier in the pair is named by that create's answer. */
export interface OccurrenceRef {
  seriesMasterId: string | undefined;
  originalStart: string;
  timeZone: string;
  occurrenceId?: string;
}

export function occurrenceRef(i: ExecItem<CalendarAction>): OccurrenceRef {
  const a = i.action as Of<"updateOccurrenceInGraph"> | Of<"cancelOccurrenceInGraph">;
  // The pair's createInGraph, by its index: other earlier answers (a CRM update's appointment) have ids too.
  const created = a.createdBy === undefined ? undefined : i.earlier[a.createdBy] as GraphEvent | undefined;
  return {
    seriesMasterId: a.seriesMasterId ?? created?.id,
    originalStart: a.originalStart,
    timeZone: a.timeZone,
    ...(a.occurrenceId ? { occurrenceId: a.occurrenceId } : {}),
  };
}

/**
 * Finds occurrence ids by original start (E8: identity is the original start, never the position):
 * the series' instances around the original start, matched on the wall clock in the series' zone.
 */
class OccurrenceFinder {
  constructor(private readonly graph: GraphEventsAdapter) {}

  async ids(refs: readonly OccurrenceRef[]): Promise<(string | undefined)[]> {
    const out: (string | undefined)[] = [];
    for (const r of refs) {
      if (r.occurrenceId) {
        out.push(r.occurrenceId);
        continue;
      }
      if (!r.seriesMasterId) {
        out.push(undefined);
        continue;
      }
      const at = epochOf(r.originalStart, r.timeZone);
      const around = {
        start: new Date(at - 86_400_000).toISOString(),
        end: new Date(at + 2 * 86_400_000).toISOString(),
      };
      const wanted = r.originalStart.slice(0, 19);
      const hit = (await this.graph.instances(r.seriesMasterId, around)).find((i) =>
        i.originalStart && localOf(utcMs(i.originalStart), r.timeZone) === wanted
      );
      out.push(hit?.id);
    }
    return out;
  }
}
