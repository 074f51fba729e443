// The contact planner's case table: what happens to a pair, from the state of its CRM side, its
// Outlook side and its link row (in the manner of vdirsyncer's `_get_actions`). Every decision of
// the planner is a row here; `plan.ts` only computes the states and carries the decisions out.
import type { ContactsDirection } from "@app/shared/contract";

/** The CRM side of a pair: in the user's scope (its version as linked, or newer), or not (C3, C5). */
export type CrmState = "same" | "changed" | "absent";

/**
 * The Outlook side of a pair: for a link row, `same` (nothing new since the last sync), `changed`
 * (read or kept on the row after a failed write), `moved` (found under another id by its stamp, C8),
 * `removed` (a delta `@removed`, or a delete kept on the row), `missing` (absent from a complete
 * listing and not found by stamp); for a create intent, `found` (the create reached Outlook) or
 * `none`; for an unlinked Outlook contact, `copy` (stamped with a linked CRM id), `stamped` (with the
 * id of an unlinked CRM contact) or `unstamped`.
 */
export type OutlookState =
  | "same"
  | "changed"
  | "moved"
  | "removed"
  | "missing"
  | "found"
  | "none"
  | "copy"
  | "stamped"
  | "unstamped";

/**
 * The link row: `clean` and `dirty` are synced rows (dirty: its last write failed, or it lacks its
 * base or the Outlook stamp; a change kept on the row shows as Outlook `changed`); `creating_in_graph`, `creating_in_crm` and `held` are intents and held duplicates;
 * `none`: no row (an Outlook contact never linked).
 */
export type LinkState = "clean" | "dirty" | "creating_in_graph" | "creating_in_crm" | "held" | "none";

/** What the planner does with a pair. */
export type PairCase =
  /** Nothing moved on either side and the row is clean. */
  | "nothing"
  /** Merge field by field against the base (C9) and write what differs to each side. */
  | "merge"
  /** Merge under the Outlook id the stamp lookup found (C8). */
  | "relink"
  /** A create that reached Outlook before a crash: link it and merge instead of creating twice. */
  | "adopt"
  /** Link an unlinked Outlook contact to the CRM contact its stamp names (C8: the row was lost). */
  | "link_by_stamp"
  | "create_in_graph"
  | "delete_in_graph"
  | "archive_in_crm"
  /** Drop the row: neither side holds the pair any more. */
  | "unlink"
  /** A copy of a synced contact carrying its stamp: importing it would duplicate (warned, ignored). */
  | "ignore_copy"
  /** Unresolved: offered to first-sync matching (C7); see {@link MATCH_CASES}. */
  | "match";

type Any<T> = T | readonly T[] | "*";
type Row = readonly [Any<LinkState>, Any<CrmState>, Any<OutlookState>, Any<ContactsDirection>, PairCase];

const PRESENT = ["same", "changed"] as const;
const SYNCED = ["clean", "dirty"] as const;

/** First matching row wins. */
const PAIR_CASES: readonly Row[] = [
  // link               crm        outlook                 direction        case
  [SYNCED, "absent", ["removed", "missing"], "*", "unlink"], // C5: gone on both sides
  [SYNCED, "absent", "*", "*", "delete_in_graph"], // C5: deleted, archived or unflagged in the CRM
  [SYNCED, PRESENT, "removed", "two-way", "archive_in_crm"], // C5: an Outlook delete archives
  [SYNCED, PRESENT, "removed", "crm-to-outlook", "create_in_graph"], // C4: one-way re-creates
  [SYNCED, PRESENT, "missing", "*", "match"], // C8: never archived by omission; matched, else re-created
  ["clean", "same", "same", "*", "nothing"],
  [SYNCED, PRESENT, "moved", "*", "relink"], // C8
  [SYNCED, PRESENT, "*", "*", "merge"], // C9
  ["creating_in_graph", PRESENT, "none", "*", "create_in_graph"],
  ["creating_in_graph", "absent", "none", "*", "unlink"],
  ["creating_in_graph", "absent", "found", "*", "delete_in_graph"],
  ["creating_in_graph", PRESENT, "found", "*", "adopt"],
  ["held", "*", "removed", "*", "unlink"],
  [["held", "creating_in_crm"], "*", "*", "*", "match"],
  ["none", "*", "copy", "*", "ignore_copy"],
  ["none", PRESENT, "stamped", "*", "link_by_stamp"],
  ["none", "*", "*", "*", "match"],
];

/** What the planner does with an item after matching. */
export type MatchCase =
  /** Link two contacts found to be one (C7) and merge them from an empty base. */
  | "link"
  /** A linked contact missing from a complete listing matched an unstamped one: relink (C8). */
  | "relink"
  /** A CRM create whose Outlook contact was deleted before a crash: archive the orphan (C5). */
  | "archive_orphan"
  /** A probable duplicate: held for a person (C7, A9). */
  | "hold"
  | "create_in_graph"
  | "create_in_crm"
  /** An Outlook contact one-way mode leaves where it is (C4): listed, its row dropped. */
  | "not_imported"
  /** Nothing to sync any more: its row, if any, is dropped. */
  | "drop"
  /** A CRM contact that is a probable duplicate of an Outlook one waits for a person. */
  | "wait";

/** What first-sync matching (C7) found for an item offered to it. */
export type MatchState = "paired" | "duplicate" | "unmatched";
/** The item: an Outlook contact still there or deleted meanwhile (only intent rows can be), or a CRM contact. */
export type PoolState = "present" | "removed" | "crm";
/** Whether the CRM contact was a linked one missing from a complete listing (C8). */
export type GoneState = "gone" | "new";

type MatchRow = readonly [Any<MatchState>, Any<PoolState>, Any<GoneState>, Any<ContactsDirection>, MatchCase];

/** First matching row wins. */
const MATCH_CASES: readonly MatchRow[] = [
  // matching     item       crm      direction         case
  ["paired", "removed", "*", "*", "archive_orphan"],
  ["paired", "present", "gone", "*", "relink"],
  ["paired", "present", "new", "*", "link"],
  ["duplicate", "present", "*", "two-way", "hold"],
  ["unmatched", "present", "*", "two-way", "create_in_crm"],
  ["unmatched", "present", "*", "crm-to-outlook", "not_imported"],
  ["*", ["present", "removed"], "*", "*", "drop"],
  // A linked contact missing from Outlook is re-created unless it was relinked (C8, never archived).
  ["*", "crm", "gone", "*", "create_in_graph"],
  ["unmatched", "crm", "new", "*", "create_in_graph"],
  ["*", "crm", "*", "*", "wait"],
];

/** The case of a pair: the first row of {@link PAIR_CASES} its states match. */
export function pairCase(link: LinkState, crm: CrmState, outlook: OutlookState, dir: ContactsDirection): PairCase {
  const row = PAIR_CASES.find(([l, c, o, d]) => is(l, link) && is(c, crm) && is(o, outlook) && is(d, dir));
  if (!row) throw new RangeError(`no contact case for link ${link}, crm ${crm}, outlook ${outlook}`);
  return row[4];
}

/** The case of an item after matching: the first row of {@link MATCH_CASES} it matches. */
export function matchCase(m: MatchState, item: PoolState, crm: GoneState, dir: ContactsDirection): MatchCase {
  const row = MATCH_CASES.find(([a, b, c, d]) => is(a, m) && is(b, item) && is(c, crm) && is(d, dir));
  if (!row) throw new RangeError(`no match case for ${m}, item ${item}, crm ${crm}`);
  return row[4];
}

function is<T extends string>(pattern: Any<T>, value: T): boolean {
  return pattern === "*" || pattern === value || (Array.isArray(pattern) && pattern.includes(value));
}
