/**
 * Step 1 of the planner: canonicalise the CRM side once, decide each appointment's scope for this
 * member (E3–E5), and pair every link, CRM appointment and Outlook item exactly once — with first
 * sync matching (A9: stamp, iCalUId, subject + start) and shared meetings (E12).
 * @module
 */
import type { Appointment } from "@app/shared/contract";
import { crmToCanonical } from "./crm_mapping.ts";
import { endEpoch, eventZone, graphWhen, startEpoch } from "./graph_mapping.ts";
import { epochOf } from "./time_zone.ts";
import { whenBounds } from "./crm_mapping.ts";
import type { CalendarLink, CalendarPlanInput, CanonicalAppointment, MemberRole, OutlookItem } from "./types.ts";

/** The CRM side of a pair, canonicalised once. */
export interface CrmSide {
  appt: Appointment;
  canon: CanonicalAppointment;
  /** This member's role, or `null` when they no longer take part. */
  role: MemberRole | null;
  /** E5: the organizer was removed from the appointment. */
  organizerRemoved: boolean;
  inWindow: boolean;
  /** Everyone who takes part (organizer, participants, group members). */
  people: string[];
}

/** One pair: link, CRM side and Outlook side as read this run. */
export interface PairState {
  key: string;
  link: CalendarLink | undefined;
  crm: CrmSide | undefined;
  crmDeleted: boolean;
  outlook: OutlookItem | undefined;
  outlookRemoved: boolean;
  matchedBy?: "stamp" | "icaluid" | "subject_start";
  /** E12: an attendee copy whose CRM appointment another member linked (id) but this member is not in yet. */
  sharedCrmId?: string;
  /** A second Outlook copy of an already linked appointment (crash duplicates, C8-style). */
  duplicateOf?: string;
}

/** Who takes part in an appointment, and as what, for one user (E3, E4, E5). */
export function crmSide(appt: Appointment, input: CalendarPlanInput): CrmSide {
  const canon = crmToCanonical(appt);
  const groupMembers = new Set(appt.groupIds.flatMap((g) => input.groups.get(g) ?? []));
  const people = [...new Set([appt.organizerId, ...appt.participantIds, ...groupMembers])].sort();
  const u = input.userId;
  const role: MemberRole | null = appt.organizerId === u
    ? "organizer"
    : appt.participantIds.includes(u)
    ? "participant"
    : groupMembers.has(u)
    ? "group"
    : null;
  const organizerRemoved = !appt.participantIds.includes(appt.organizerId) && !groupMembers.has(appt.organizerId);
  return { appt, canon, role, organizerRemoved, inWindow: inWindow(canon, input.window), people };
}

/** The appointment (or series) touches the window (E3). */
export function inWindow(c: CanonicalAppointment, window: { start: string; end: string }): boolean {
  return startEpoch(c) < Date.parse(window.end) && endEpoch(c) > Date.parse(window.start);
}

function outlookStartKey(item: OutlookItem, zone: string): string {
  const w = graphWhen(item.event, eventZone(item.event, zone));
  return w.allDay ? `d:${w.startDate}` : `t:${epochOf(w.start, w.timeZone)}`;
}

function crmStartKey(c: CanonicalAppointment): string {
  return c.when.allDay ? `d:${c.when.startDate}` : `t:${epochOf(whenBounds(c.when).start, c.when.timeZone)}`;
}

const subjectKey = (s: string) => s.trim().toLowerCase();

/**
 * Crash between a CRM create and its row (the create's id never reached the row): the row with
 * intent `creating_in_crm` claims the one unlinked appointment of this organizer with its subject
 * and start, which is that create — instead of that appointment being copied back to Outlook.
 */
function claimCreatedInCrm(
  pairs: PairState[],
  crmById: ReadonlyMap<string, CrmSide>,
  usedCrm: Set<string>,
  userId: string,
): void {
  for (const p of pairs) {
    const link = p.link;
    if (!link || link.intent !== "creating_in_crm" || link.crmId || !link.base) continue;
    const want = `${subjectKey(link.base.subject.slice(0, 255))}|${crmStartKey(link.base)}`;
    const hits = [...crmById].filter(([id, side]) =>
      !usedCrm.has(id) && side.appt.organizerId === userId &&
      `${subjectKey(side.canon.subject)}|${crmStartKey(side.canon)}` === want
    );
    if (hits.length !== 1) continue;
    const [id, side] = hits[0]!;
    usedCrm.add(id);
    p.link = { ...link, crmId: id, crmVersion: side.appt.version, intent: null };
    p.crm = side;
  }
}

/** Pairs links, CRM appointments and Outlook items, each exactly once. */
export function pairUp(input: CalendarPlanInput): PairState[] {
  const crmById = new Map(input.crm.appointments.map((a) => [a.id, crmSide(a, input)]));
  const deleted = new Set(input.crm.deletedIds);
  const outlookById = new Map(input.outlook.items.map((i) => [i.event.id, i]));
  const removed = new Set(input.outlook.removedIds);
  const usedCrm = new Set<string>();
  const usedGraph = new Set<string>();
  const pairs: PairState[] = [];

  for (const link of input.links) {
    let outlook = link.graphId ? outlookById.get(link.graphId) : undefined;
    if (link.intent === "creating_in_graph" && link.crmId && input.located.has(link.crmId)) {
      outlook = input.located.get(link.crmId) ?? undefined;
    }
    const crm = link.crmId ? crmById.get(link.crmId) : undefined;
    if (link.crmId) usedCrm.add(link.crmId);
    if (outlook) usedGraph.add(outlook.event.id);
    if (link.graphId) usedGraph.add(link.graphId);
    const gone = !outlook && !!link.graphId &&
      (removed.has(link.graphId) || link.outlookRemoved || input.outlook.complete);
    pairs.push({
      key: link.id,
      link,
      crm,
      crmDeleted: !!link.crmId && deleted.has(link.crmId),
      outlook,
      outlookRemoved: gone,
    });
  }

  claimCreatedInCrm(pairs, crmById, usedCrm, input.userId);

  // Outlook items stamped with an id already linked to another event: duplicates of a crash.
  const linkedGraphByCrm = new Map(input.links.filter((l) => l.crmId && l.graphId).map((l) => [l.crmId!, l.graphId!]));
  const unlinkedCrm = new Map([...crmById].filter(([id]) => !usedCrm.has(id)));
  const bySubjectStart = new Map<string, string>();
  for (const [id, side] of unlinkedCrm) {
    const k = `${subjectKey(side.canon.subject)}|${crmStartKey(side.canon)}`;
    if (!bySubjectStart.has(k)) bySubjectStart.set(k, id);
  }

  for (const item of input.outlook.items) {
    const id = item.event.id;
    if (usedGraph.has(id)) continue;
    usedGraph.add(id);
    const base: PairState = {
      key: `graph:${id}`,
      link: undefined,
      crm: undefined,
      crmDeleted: false,
      outlook: item,
      outlookRemoved: false,
    };
    const stamp = item.stampedCrmId;
    if (stamp && linkedGraphByCrm.has(stamp) && linkedGraphByCrm.get(stamp) !== id) {
      pairs.push({ ...base, duplicateOf: stamp });
      continue;
    }
    let crmId: string | undefined;
    let by: PairState["matchedBy"];
    if (stamp && unlinkedCrm.has(stamp)) [crmId, by] = [stamp, "stamp"];
    const shared = item.event.iCalUId ? input.sharedMeetings.get(item.event.iCalUId) : undefined;
    if (!crmId && shared && unlinkedCrm.has(shared)) [crmId, by] = [shared, "icaluid"];
    if (!crmId && !stamp) {
      const k = `${subjectKey(item.event.subject ?? "")}|${outlookStartKey(item, input.settings.timeZone)}`;
      const hit = bySubjectStart.get(k);
      if (hit && unlinkedCrm.has(hit)) [crmId, by] = [hit, "subject_start"];
    }
    if (crmId) {
      const crm = unlinkedCrm.get(crmId)!;
      unlinkedCrm.delete(crmId);
      usedCrm.add(crmId);
      pairs.push({ ...base, key: `crm:${crmId}`, crm, crmDeleted: false, matchedBy: by });
      continue;
    }
    pairs.push(shared ? { ...base, sharedCrmId: shared } : base);
  }

  for (const [id, crm] of unlinkedCrm) {
    pairs.push({
      key: `crm:${id}`,
      link: undefined,
      crm,
      crmDeleted: false,
      outlook: undefined,
      outlookRemoved: false,
    });
  }
  return pairs;
}
