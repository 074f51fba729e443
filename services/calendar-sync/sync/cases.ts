/**
 * Step 2 of the planner: the ONE case table. Each pair is classified by its CRM state, its Outlook
 * state and its link state; the first matching row names what happens (like vdirsyncer's
 * `_get_actions`). The handlers in `handlers.ts` turn a case into actions and rows.
 * @module
 */
import type { PairState } from "./pairs.ts";
import type { CalendarPlanInput } from "./types.ts";

/** CRM side of a pair. */
export type CrmState =
  | "none" //        never in the CRM (Outlook-born, not imported yet)
  | "unchanged" //   linked, not read this run: the snapshot stands
  | "in" //          in scope for this member
  | "cancelled" //   in scope, cancelled (E6): no copy in Outlook
  | "outside" //     left the window (E3): never a delete
  | "left" //        member no longer takes part (E4 membership, participant removed)
  | "suspended" //   organizer removed (E5)
  | "deleted"; //    deleted in the CRM (E6)

/** Outlook side of a pair. */
export type OutlookState =
  | "none" //       no event
  | "unchanged" //  linked, not in this delta
  | "present" //    read this run
  | "removed" //    deleted, cancelled or declined in Outlook (E4, E6)
  | "shared" //     an attendee copy of a meeting another member linked (E12)
  | "waiting" //    an attendee copy of a colleague's meeting not in the CRM yet (E12)
  | "duplicate"; // a second copy stamped with an id linked elsewhere

/** Link side of a pair. */
export type LinkState = "none" | "linked" | "creatingInGraph" | "creatingInCrm";

/** What happens to a pair. */
export type CaseName =
  | "nothing"
  | "keep"
  | "suspend"
  | "forget"
  | "createInOutlook"
  | "createInCrm"
  | "firstLink"
  | "joinShared"
  | "merge"
  | "deleteInOutlook"
  | "cancelCopy"
  | "outlookRemoved"
  | "deleteDuplicate"
  | "hold"
  | "skip";

type Cell<T extends string> = T | "*" | readonly T[];
type Row = readonly [Cell<CrmState>, Cell<OutlookState>, Cell<LinkState>, CaseName];

/**
 * The case table, first match wins. Read a row as "CRM is …, Outlook is …, link is … → case".
 */
export const CASE_TABLE: readonly Row[] = [
  ["*", "duplicate", "*", "deleteDuplicate"],
  ["suspended", "*", "*", "suspend"],
  [["deleted", "left"], ["none", "removed"], "*", "forget"],
  [["deleted", "left"], "*", ["linked", "creatingInGraph"], "deleteInOutlook"],
  [["deleted", "left"], "*", "*", "nothing"],
  ["outside", "*", "none", "nothing"],
  ["outside", "removed", "*", "keep"], // leaving the window is no delete (E3)
  ["outside", "*", "*", "merge"], // a CRM edit that moved it out still reaches its copy
  ["none", "shared", "none", "joinShared"],
  ["none", "waiting", "none", "hold"],
  ["none", "present", ["none", "creatingInCrm"], "createInCrm"],
  ["none", "*", "*", "forget"],
  ["unchanged", "removed", "linked", "outlookRemoved"],
  ["unchanged", "present", "linked", "merge"],
  ["unchanged", "*", "*", "keep"],
  ["cancelled", ["present", "unchanged"], "linked", "cancelCopy"],
  ["cancelled", "*", "none", "skip"], // cancelled before it was ever synced: nothing to write
  ["cancelled", "*", "*", "keep"],
  ["in", ["present", "shared"], "none", "firstLink"],
  ["in", "waiting", "none", "hold"],
  ["in", "none", "*", "createInOutlook"],
  ["in", "removed", "linked", "outlookRemoved"],
  ["in", "removed", "*", "createInOutlook"],
  ["in", ["present", "unchanged"], "*", "merge"],
  ["*", "*", "*", "nothing"],
];

const fits = <T extends string>(cell: Cell<T>, v: T) =>
  cell === "*" || cell === v || (Array.isArray(cell) && cell.includes(v));

/** The case of one (CRM, Outlook, link) state triple. */
export function caseOf(crm: CrmState, outlook: OutlookState, link: LinkState): CaseName {
  for (const [c, o, l, name] of CASE_TABLE) if (fits(c, crm) && fits(o, outlook) && fits(l, link)) return name;
  return "nothing";
}

/** CRM state of a pair. */
export function crmStateOf(p: PairState): CrmState {
  if (p.crmDeleted) return "deleted";
  if (!p.crm) return p.link?.crmId ? "unchanged" : "none";
  if (p.crm.organizerRemoved) return "suspended";
  if (!p.crm.role) return "left";
  if (!p.crm.inWindow) return "outside";
  return p.crm.canon.cancelled ? "cancelled" : "in";
}

/** Outlook state of a pair. */
export function outlookStateOf(p: PairState, input: CalendarPlanInput): OutlookState {
  if (p.duplicateOf) return "duplicate";
  const e = p.outlook?.event;
  if (!e) {
    if (p.outlookRemoved) return "removed";
    return p.link?.graphId ? "unchanged" : "none";
  }
  const declined = e.responseStatus?.response === "declined";
  if (p.link && (e.isCancelled || declined)) return "removed";
  if (!p.link && (e.isCancelled || declined)) return "none";
  if (!p.link && !p.crm) {
    if (p.sharedCrmId) {
      const mine = input.links.some((l) => l.crmId === p.sharedCrmId);
      return mine ? "none" : "shared";
    }
    const organizer = e.organizer?.emailAddress.address?.toLowerCase();
    if (
      !e.isOrganizer && organizer && input.colleagues.has(organizer) && input.colleagues.get(organizer) !== input.userId
    ) {
      return "waiting";
    }
  }
  return "present";
}

/** Link state of a pair. */
export function linkStateOf(p: PairState): LinkState {
  if (!p.link) return "none";
  if (p.link.intent === "creating_in_graph") return p.outlook ? "linked" : "creatingInGraph";
  if (p.link.intent === "creating_in_crm") return "creatingInCrm";
  return "linked";
}
