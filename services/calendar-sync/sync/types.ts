/**
 * The calendar core's vocabulary: the canonical appointment both sides are mapped to once, the link
 * row (one per CRM appointment × member calendar), the actions a plan emits and the planner's input
 * and output. Pure types; see /work/wt/calendar-notes.md for the agreed interface (E1–E12, A9, P6).
 * @module
 */
import type {
  Appointment,
  AppointmentFields,
  AppointmentFieldsPatch,
  AppointmentResource,
  RecurrencePattern,
} from "@app/shared/contract";
import type { EngineLink, KindPlan, PairPlan } from "@app/shared/engine";
import type { SyncWarning } from "@app/shared/sync";
import type { GraphEvent, GraphEventWrite } from "./graph_event.ts";

/** A wall-clock local date-time with seconds, `YYYY-MM-DDTHH:mm:ss`, in a named IANA zone. */
export type LocalDateTime = string;
/** A calendar date `YYYY-MM-DD`. */
export type LocalDate = string;

/**
 * When an appointment happens. Timed: wall-clock start/end in one IANA zone (DST-correct, E11).
 * All-day: dates only, end exclusive — they never shift in any zone (E11).
 */
export type When =
  | { allDay: false; start: LocalDateTime; end: LocalDateTime; timeZone: string }
  | { allDay: true; startDate: LocalDate; endDate: LocalDate; timeZone: string };

/** One occurrence that differs from its pattern, keyed by its ORIGINAL start (never position, E8). */
export interface CanonicalException {
  cancelled: boolean;
  subject?: string;
  location?: string;
  description?: string;
  /** Moved/retimed occurrence: local date-times in the series' zone. */
  start?: LocalDateTime;
  end?: LocalDateTime;
}

/** A recurring series: normalised pattern, range and exceptions by original local start (E8). */
export interface CanonicalSeries {
  pattern: RecurrencePattern;
  range: {
    type: "endDate" | "noEnd" | "numbered";
    startDate: LocalDate;
    endDate?: LocalDate;
    numberOfOccurrences?: number;
  };
  /** Key: original start `YYYY-MM-DDTHH:mm:ss` in the series' zone. */
  exceptions: Record<LocalDateTime, CanonicalException>;
}

/** A linked contact as the event shows it (body + extended property, or attendee when allowed, E9). */
export interface CanonicalContact {
  contactId: string;
  optional: boolean;
}

/**
 * The canonical appointment: what is compared field by field (three-way merge with the link's
 * snapshot). CRM-only fields (organizer, participants, groups) ride along so Outlook writes never
 * lose them; Outlook never changes them except through E6/E12 actions.
 */
export interface CanonicalAppointment {
  subject: string;
  location: string;
  description: string;
  when: When;
  /** Minutes as last set on the side that set it; compared after rounding to the CRM's choices (E11). */
  reminderMinutes: number | null;
  private: boolean;
  cancelled: boolean;
  contacts: CanonicalContact[];
  resources: AppointmentResource[];
  series: CanonicalSeries | null;
  /** CRM-only, sorted. */
  organizerId: string | null;
  participantIds: string[];
  groupIds: string[];
}

/** Fields of {@link CanonicalAppointment} that sync between the sides (three-way merged). */
export const SYNCED_FIELDS = [
  "subject",
  "location",
  "description",
  "when",
  "reminderMinutes",
  "private",
  "cancelled",
  "contacts",
  "resources",
  "series",
] as const;
export type SyncedField = typeof SYNCED_FIELDS[number];

/** E7 status of one (appointment, member) row. */
export type CalendarLinkState = "synced" | "pending" | "error" | "suspended";

/** Why this member holds a copy (E3/E4): organizer, direct participant or group member. */
export type MemberRole = "organizer" | "participant" | "group";

/**
 * One row per CRM appointment × member calendar (E4), or per Outlook event not yet in the CRM.
 * `id` is `crm:<crmId>` or `graph:<graphId>` after the side the pair started from.
 */
export interface CalendarLink extends EngineLink {
  tenantId: string;
  userId: string;
  crmId: string | null;
  crmVersion: number | null;
  /** This member's event id; for a series the series master's id (E8). */
  graphId: string | null;
  graphChangeKey: string | null;
  iCalUId: string | null;
  /** Ids of this member's exception/occurrence events by original local start (E8 identity). */
  exceptionIds: Record<LocalDateTime, string>;
  /** Last synced canonical snapshot (three-way merge base); `null` for a pair matched but never merged. */
  base: CanonicalAppointment | null;
  state: CalendarLinkState;
  /** Crash-safe intents written before a remote create (resolved by stamp / idempotency key). */
  intent: "creating_in_graph" | "creating_in_crm" | null;
  /** transactionId sent with the Graph create (A9). */
  transactionId: string | null;
  /** Created with real attendees (E10): the only case Microsoft mails invitations. */
  invited: boolean;
  role: MemberRole | null;
  /** E12: this member's copy is an attendee copy of a colleague's meeting (never written to). */
  attendeeCopy: boolean;
  /** The event was removed in Outlook while the pair's actions failed; replanned next run (P9). */
  outlookRemoved: boolean;
  warnings: SyncWarning[];
}

/** Why a copy leaves this member's Outlook. `left_scope` never happens: leaving the window is no delete (E3). */
export type GraphDeleteReason = "crm_deleted" | "crm_cancelled" | "member_left" | "duplicate" | "replaced";

/** One step of a plan (verb + side). Link bookkeeping lives in {@link PairPlan} rows, not here. */
export type CalendarAction =
  | { kind: "createInGraph"; crmId: string; transactionId: string; withAttendees: boolean; body: GraphEventWrite }
  | { kind: "updateInGraph"; graphId: string; changeKey?: string; body: GraphEventWrite }
  /** Adds our CRM-id stamp (A9). `crmId` `null`: the id the pair's earlier `createInCrm` returned. */
  | { kind: "stampInGraph"; graphId: string; crmId: string | null }
  | { kind: "deleteInGraph"; graphId: string; crmId: string | null; reason: GraphDeleteReason }
  /**
   * Writes one modified occurrence, found by its original start (local, in `timeZone`, E8).
   * `seriesMasterId` `null`: the id returned by the pair's `createInGraph` at index `createdBy`.
   */
  | {
    kind: "updateOccurrenceInGraph";
    seriesMasterId: string | null;
    createdBy?: number;
    originalStart: LocalDateTime;
    timeZone: string;
    occurrenceId?: string;
    body: GraphEventWrite;
  }
  /** Cancels (deletes) one occurrence, found by its original start (E8); `seriesMasterId` as above. */
  | {
    kind: "cancelOccurrenceInGraph";
    seriesMasterId: string | null;
    createdBy?: number;
    originalStart: LocalDateTime;
    timeZone: string;
    occurrenceId?: string;
  }
  | { kind: "createInCrm"; graphId: string; idempotencyKey: string; fields: AppointmentFields }
  | { kind: "updateInCrm"; crmId: string; expectedVersion: number; patch: AppointmentFieldsPatch }
  | { kind: "cancelInCrm"; crmId: string; expectedVersion: number }
  | { kind: "removeParticipantInCrm"; crmId: string; userId: string; expectedVersion: number }
  /** E12: a linked colleague's attendee copy joins the CRM appointment as a participant. */
  | { kind: "addParticipantInCrm"; crmId: string; userId: string };

/** What executors return, read by `settleCalendarPair`: Graph writes return the event, CRM writes the appointment. */
export interface GraphWriteValue {
  id: string;
  changeKey?: string | null;
  iCalUId?: string | null;
}
/** See {@link GraphWriteValue}. */
export interface CrmWriteValue {
  id: string;
  version: number;
}

/** One pair's plan as the engine applies it. */
export type CalendarPairPlan = PairPlan<CalendarLink, CalendarAction>;

/** An Outlook item as the planner sees it: a single event, or a series master with its in-window instances. */
export interface OutlookItem {
  event: GraphEvent;
  /** Occurrences and exceptions of a series master inside the window (calendarView), any order. */
  instances: GraphEvent[];
  /** This member's CRM-id stamp (extended property, A9), when present. */
  stampedCrmId: string | null;
}

/** Everything {@link planCalendar} decides from — one user (member calendar) per run. */
export interface CalendarPlanInput {
  tenantId: string;
  userId: string;
  /** ISO instant stamped on rows; also "now" for E10 (future starts only). */
  now: string;
  /** Window instants [start of today − includePastDays, horizon] (E3); see `syncWindow()`. */
  window: { start: string; end: string };
  /** This is the first sync of the chosen calendar (A9/A10/E10: never invite). */
  firstSync: boolean;
  crm: {
    /** Appointments this user takes part in (organizer, participant, group) touching the window. */
    appointments: readonly Appointment[];
    /** Linked ids the CRM reports deleted (E6). Linked ids neither listed nor deleted left scope. */
    deletedIds: readonly string[];
    /** The CRM listing was complete (linked ids missing from it left this user's scope). */
    complete: boolean;
  };
  /** Group id → member user ids now (E4). */
  groups: ReadonlyMap<string, readonly string[]>;
  outlook: {
    items: readonly OutlookItem[];
    /** Ids removed since the last delta (`@removed`), inside the window. */
    removedIds: readonly string[];
    complete: boolean;
  };
  links: readonly CalendarLink[];
  /** Stamp look-ups for rows with an intent (crash recovery): crmId → event found or `null`. */
  located: ReadonlyMap<string, OutlookItem | null>;
  /** E12: iCalUId → CRM id already linked by another user of the tenant. */
  sharedMeetings: ReadonlyMap<string, string>;
  /** E12: lower-case e-mail → user id of linked colleagues of the tenant. */
  colleagues: ReadonlyMap<string, string>;
  /** Names/e-mails for the body block and attendees (E9). */
  directory: { contacts: ReadonlyMap<string, { name: string; email?: string }> };
  settings: {
    /** Tenant switch (E10): real attendees for CRM-created, future, post-link appointments. */
    allowAttendees: boolean;
    /** The user's own zone, for new all-day events and the window. */
    timeZone: string;
  };
}

/** A field both sides changed differently; the CRM wins, recorded for status (E7). */
export interface CalendarConflict {
  crmId: string;
  graphId: string;
  field: SyncedField;
}

/** Report beside the plan: status, preview (A9) and notes. */
export interface CalendarReport {
  conflicts: CalendarConflict[];
  preview: {
    linked: { crmId: string; graphId: string; by: "icaluid" | "stamp" | "subject_start" }[];
    createInOutlook: string[];
    createInCrm: string[];
    held: { graphId: string; reason: string }[];
    skipped: { id: string; reason: string }[];
  };
  suspended: string[];
  /** Series edits Graph cannot carry with their exceptions, etc. (E8). */
  warnings: { crmId: string | null; graphId: string | null; code: string; message: string }[];
}

/** The planner's result: the engine's plan plus the calendar report. */
export type CalendarPlan = KindPlan<CalendarLink, CalendarAction> & { report: CalendarReport };

/** Signature of the planner (pure). */
export type PlanCalendar = (input: CalendarPlanInput) => CalendarPlan;
