// In-memory CRM and Outlook calendars for planner tests: they apply a plan's actions with the same
// preconditions the real sides enforce (versions, idempotency keys, transactionIds) and can fail
// writes on request. Test-only.
import type { Appointment, AppointmentFields } from "@app/shared/contract";
import type { PairOutcome } from "@app/shared/engine";
import { type GraphEvent, GraphEventSchema, type GraphEventWrite, stampOf } from "./graph_event.ts";
import { planCalendar } from "./plan.ts";
import { graphInstances } from "./_test_series.ts";
import { epochOf, ianaZone, normaliseLocal } from "./time_zone.ts";
import { settleCalendarPair } from "./settle.ts";
import type { CalendarAction, CalendarLink, CalendarPlan, CalendarPlanInput, OutlookItem } from "./types.ts";

export const NOW = "2026-06-01T08:00:00Z";
export const WINDOW = { start: "2026-05-01T00:00:00Z", end: "2027-06-01T00:00:00Z" };

/** Both sides and every member's links. */
export class World {
  crm = new Map<string, Appointment>();
  crmKeys = new Map<string, string>();
  groups = new Map<string, string[]>();
  calendars = new Map<string, Map<string, GraphEvent>>();
  links = new Map<string, Map<string, CalendarLink>>();
  private seq = 0;
  /** Fails a write when it returns true. */
  failWrite: (a: CalendarAction) => boolean = () => false;
  /** The process dies right after this write succeeded: the run stops before settling the pair. */
  crashAfter: (a: CalendarAction) => boolean = () => false;
  settings = { allowAttendees: false, timeZone: "Europe/Berlin" };
  colleagues = new Map<string, string>();
  /** The window the calendarView lists (E3); series masters are always listed. */
  window = WINDOW;
  contacts = new Map<string, { name: string; email?: string }>();
  firstSync = new Map<string, boolean>();
  /** Occurrence writes per series master (Outlook drops them when the pattern or time changes). */
  occEdits = new Map<string, CalendarAction[]>();

  constructor(readonly users: string[]) {
    for (const u of users) {
      this.calendars.set(u, new Map());
      this.links.set(u, new Map());
    }
  }

  nextId(prefix: string): string {
    return `${prefix}${++this.seq}`;
  }

  crmCreate(fields: AppointmentFields): Appointment {
    const a: Appointment = { ...fields, id: this.nextId("apt-"), tenantId: "t1", version: 1, updatedAt: NOW };
    this.crm.set(a.id, a);
    return a;
  }

  crmUpdate(id: string, patch: Partial<AppointmentFields>): void {
    const a = this.crm.get(id)!;
    this.crm.set(id, { ...a, ...patch, version: a.version + 1 });
  }

  graphCreate(user: string, input: GraphEventWrite | Record<string, unknown>): GraphEvent {
    const write = input as GraphEventWrite & Record<string, unknown>;
    const id = this.nextId("evt-");
    const e = GraphEventSchema.parse({
      ...write,
      id,
      changeKey: "1",
      iCalUId: `ical-${id}`,
      originalStartTimeZone: write.start?.timeZone,
      originalEndTimeZone: write.end?.timeZone,
      body: write.body ?? { contentType: "text", content: "" },
    });
    this.calendars.get(user)!.set(id, e);
    return e;
  }

  graphUpdate(user: string, id: string, write: GraphEventWrite): GraphEvent {
    const cal = this.calendars.get(user)!;
    const e = cal.get(id)!;
    const props = [...(e.singleValueExtendedProperties ?? [])];
    for (const p of write.singleValueExtendedProperties ?? []) {
      const i = props.findIndex((q) => q.id === p.id);
      if (i >= 0) props[i] = p;
      else props.push(p);
    }
    if (write.recurrence !== undefined || write.start) this.occEdits.delete(id);
    const next = GraphEventSchema.parse({
      ...e,
      ...write,
      ...(write.start ? { originalStartTimeZone: write.start.timeZone } : {}),
      singleValueExtendedProperties: props,
      changeKey: String(Number(e.changeKey ?? 0) + 1),
    });
    cal.set(id, next);
    return next;
  }

  /** The planner input of one member (complete listings). */
  input(user: string): CalendarPlanInput {
    const links = [...this.links.get(user)!.values()];
    const linked = new Set(links.map((l) => l.crmId).filter((x): x is string => !!x));
    const cal = this.calendars.get(user)!;
    const item = (e: GraphEvent): OutlookItem => ({
      event: e,
      instances: e.recurrence
        ? graphInstances(e, e as GraphEventWrite, this.occEdits.get(e.id) ?? [], this.window)
        : [],
      stampedCrmId: stampOf(e),
    });
    const located = new Map<string, OutlookItem | null>();
    for (const l of links) {
      if (l.intent === "creating_in_graph" && l.crmId) {
        const hit = [...cal.values()].find((e) => stampOf(e) === l.crmId);
        located.set(l.crmId, hit ? item(hit) : null);
      }
    }
    const shared = new Map<string, string>();
    for (const [u, rows] of this.links) {
      if (u === user) continue;
      for (const r of rows.values()) if (r.iCalUId && r.crmId && !r.attendeeCopy) shared.set(r.iCalUId, r.crmId);
    }
    return {
      tenantId: "t1",
      userId: user,
      now: NOW,
      window: this.window,
      firstSync: this.firstSync.get(user) ?? true,
      crm: {
        appointments: [...this.crm.values()].filter((a) => linked.has(a.id) || this.takesPart(a, user)),
        deletedIds: [...linked].filter((id) => !this.crm.has(id)),
        complete: true,
      },
      groups: this.groups,
      outlook: { items: [...cal.values()].filter((e) => this.listed(e)).map(item), removedIds: [], complete: true },
      links,
      located,
      sharedMeetings: shared,
      colleagues: this.colleagues,
      directory: { contacts: this.contacts },
      settings: this.settings,
    };
  }

  /** Whether calendarView over the window shows the event. */
  listed(e: GraphEvent): boolean {
    if (e.recurrence) return true;
    const at = (t: { dateTime: string; timeZone: string }) =>
      e.isAllDay
        ? Date.parse(`${normaliseLocal(t.dateTime)}Z`)
        : epochOf(normaliseLocal(t.dateTime), ianaZone(t.timeZone, "UTC"));
    return at(e.start) < Date.parse(this.window.end) && at(e.end) > Date.parse(this.window.start);
  }

  takesPart(a: Appointment, user: string): boolean {
    return a.organizerId === user || a.participantIds.includes(user) ||
      a.groupIds.some((g) => this.groups.get(g)?.includes(user));
  }

  /** Plans and applies one member's run like the engine: pre row, actions in order, settle. */
  run(user: string): CalendarPlan {
    const plan = planCalendar(this.input(user));
    const rows = this.links.get(user)!;
    for (const pair of plan.pairs) {
      if (pair.pre) rows.set(pair.pre.id, pair.pre);
      const values: unknown[] = [];
      let outcome: PairOutcome<CalendarAction> = { status: "done", values };
      for (const action of pair.actions) {
        if (this.failWrite(action)) {
          outcome = { status: "failed", values, failure: { action, error: { kind: "failed", message: "injected" } } };
          break;
        }
        const r = this.apply(user, action, values);
        if (!r.ok) {
          outcome = { status: "failed", values, failure: { action, error: { kind: r.error, message: r.error } } };
          break;
        }
        values.push(r.value);
        if (this.crashAfter(action)) {
          this.firstSync.set(user, false);
          return plan; // died: the pre row (or the old row) is all that was kept
        }
      }
      const row = settleCalendarPair(pair, outcome, NOW);
      if (pair.before && (!row || row.id !== pair.before.id)) rows.delete(pair.before.id);
      if (pair.pre && (!row || row.id !== pair.pre.id)) rows.delete(pair.pre.id);
      if (row) rows.set(row.id, row);
    }
    this.firstSync.set(user, false);
    return plan;
  }

  private apply(
    user: string,
    a: CalendarAction,
    earlier: unknown[],
  ): { ok: true; value: unknown } | { ok: false; error: "gone" | "conflict" } {
    const cal = this.calendars.get(user)!;
    switch (a.kind) {
      case "createInGraph": {
        const dup = [...cal.values()].find((e) => e.transactionId === a.transactionId);
        return { ok: true, value: dup ?? this.graphCreate(user, a.body) };
      }
      case "updateInGraph":
        if (!cal.has(a.graphId)) return { ok: false, error: "gone" };
        return { ok: true, value: this.graphUpdate(user, a.graphId, a.body) };
      case "stampInGraph": {
        const crmId = a.crmId ?? (earlier[0] as Appointment).id;
        if (!cal.has(a.graphId)) return { ok: false, error: "gone" };
        return {
          ok: true,
          value: this.graphUpdate(user, a.graphId, {
            singleValueExtendedProperties: [{
              id: "String {5b6c2f0e-7d1a-4a43-9c1e-2a8f6a1c0d11} Name CrmAppointmentId",
              value: crmId,
            }],
          }),
        };
      }
      case "deleteInGraph":
        cal.delete(a.graphId);
        return { ok: true, value: undefined };
      case "updateOccurrenceInGraph":
      case "cancelOccurrenceInGraph": {
        const master = a.seriesMasterId ?? (earlier[a.createdBy ?? -1] as GraphEvent | undefined)?.id;
        if (!master) throw new Error("an occurrence write of a new series names its create");
        if (!cal.has(master)) return { ok: false, error: "gone" };
        this.occEdits.set(master, [...(this.occEdits.get(master) ?? []), { ...a, seriesMasterId: master }]);
        return { ok: true, value: undefined };
      }
      case "createInCrm": {
        const known = this.crmKeys.get(a.idempotencyKey);
        if (known && this.crm.has(known)) return { ok: true, value: this.crm.get(known) };
        const created = this.crmCreate(a.fields);
        this.crmKeys.set(a.idempotencyKey, created.id);
        return { ok: true, value: created };
      }
      case "updateInCrm": {
        const cur = this.crm.get(a.crmId);
        if (!cur) return { ok: false, error: "gone" };
        if (cur.version !== a.expectedVersion) return { ok: false, error: "conflict" };
        this.crmUpdate(a.crmId, a.patch as Partial<AppointmentFields>);
        return { ok: true, value: this.crm.get(a.crmId) };
      }
      case "cancelInCrm": {
        const cur = this.crm.get(a.crmId);
        if (!cur) return { ok: true, value: undefined };
        this.crmUpdate(a.crmId, { cancelled: true });
        return { ok: true, value: this.crm.get(a.crmId) };
      }
      case "removeParticipantInCrm": {
        const cur = this.crm.get(a.crmId);
        if (!cur) return { ok: true, value: undefined };
        this.crmUpdate(a.crmId, { participantIds: cur.participantIds.filter((p) => p !== a.userId) });
        return { ok: true, value: this.crm.get(a.crmId) };
      }
      case "addParticipantInCrm": {
        const cur = this.crm.get(a.crmId);
        if (!cur) return { ok: false, error: "gone" };
        this.crmUpdate(a.crmId, { participantIds: [...new Set([...cur.participantIds, a.userId])] });
        return { ok: true, value: this.crm.get(a.crmId) };
      }
    }
  }

  /** Runs every member until a whole round plans no action (at most `rounds`). */
  settle(rounds = 6): number {
    for (let i = 0; i < rounds; i++) {
      let acted = 0;
      for (const u of this.users) acted += this.run(u).pairs.reduce((n, p) => n + p.actions.length, 0);
      if (acted === 0) return i;
    }
    return rounds;
  }
}

/** Fields of a plain appointment for tests. */
export function apptFields(over: Partial<AppointmentFields> = {}): AppointmentFields {
  return {
    subject: "Viewing",
    location: "Via Roma 1",
    description: "",
    start: { dateTime: "2026-06-10T09:00:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2026-06-10T10:00:00", timeZone: "Europe/Berlin" },
    allDay: false,
    organizerId: "giulia",
    participantIds: ["giulia"],
    groupIds: [],
    contacts: [],
    resources: [],
    reminderMinutes: 15,
    private: false,
    cancelled: false,
    series: null,
    ...over,
  };
}
