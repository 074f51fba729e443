import type { ConflictPolicy, Contact as CrmContact, ContactFields, ContactsDirection } from "@app/shared/contract";
import type { KindPlan, PairPlan as EnginePairPlan } from "@app/shared/engine";
import type { FieldConflict, Removals, SyncWarning } from "@app/shared/sync";
import type { Contact as GraphContactBody } from "@microsoft/microsoft-graph-types";
import type { CanonicalContact } from "./canonical.ts";
import type { MatchedPair, ProbableDuplicate } from "./match.ts";
import type { ContactLink, GraphContact } from "./ports.ts";

/** Why a linked CRM contact left the user's scope (C5); all three remove it from that user's Outlook. */
export type OutOfScopeReason = "deleted" | "archived" | "unflagged" | "unknown";

/** Everything {@link planContactSync} decides from. */
export interface ContactPlanInput {
  tenantId: string;
  userId: string;
  /** ISO timestamp stamped on the rows the plan writes. */
  now: string;
  crm: {
    /** Non-archived CRM contacts with this user's sync flag set (C3). */
    inScope: readonly CrmContact[];
    /** Known reasons for linked contacts missing from `inScope`, for reporting. */
    outOfScope?: ReadonlyMap<string, OutOfScopeReason>;
  };
  outlook: { complete: boolean; upserts: readonly GraphContact[]; removedIds: readonly string[] };
  /**
   * Results of the CRM-id stamp lookups the runner made (C8) for the crm ids
   * `crmIdsToLocate()` named: the contact found, or `null` when none carries the stamp.
   */
  located: ReadonlyMap<string, GraphContact | null>;
  links: readonly ContactLink[];
  settings: {
    direction: ContactsDirection;
    conflictPolicy: ConflictPolicy;
    /** Country for phone numbers without a prefix when matching (C7). */
    defaultCountry?: string;
  };
}

/** One step of a plan. Kinds are verb + side; link-only kinds touch no remote system. */
export type ContactAction =
  | { kind: "createInGraph"; crmId: string; body: GraphContactBody }
  | { kind: "updateInGraph"; graphId: string; changeKey?: string; body: GraphContactBody }
  | { kind: "deleteInGraph"; graphId: string; reason: OutOfScopeReason }
  /** Stamps the CRM id on an Outlook contact that did not come from us (C8); `null`: the id the CRM create returns. */
  | { kind: "stampInGraph"; graphId: string; crmId: string | null }
  | { kind: "createInCrm"; graphId: string; fields: ContactFields }
  | { kind: "updateInCrm"; crmId: string; expectedVersion: number; fields: ContactFields }
  | { kind: "archiveInCrm"; crmId: string }
  | { kind: "link"; crmId: string; graphId: string }
  | { kind: "relinkByCrmId"; crmId: string; graphId: string }
  | { kind: "unlink"; crmId: string | null; graphId: string | null }
  | { kind: "hold"; graphId: string };

/** What happens to one pair (one link row), as the engine applies it. */
export type PairPlan = EnginePairPlan<ContactLink, ContactAction>;

/** A field conflict of one pair (C9), as recorded. */
export interface ContactConflict extends FieldConflict {
  crmId: string;
  graphId: string;
}

/** A warning about one item (C6): never blocks it. */
export interface ItemWarning extends SyncWarning {
  crmId: string | null;
  graphId: string | null;
}

/** The preview (A9): what a run would do, for a person to read before the first sync. */
export interface ContactSyncPreview {
  /** Existing contacts linked to each other instead of copied (C7), or found again by their stamp (C8). */
  linked: (Omit<MatchedPair, "by"> & { by: MatchedPair["by"] | "crm_id_stamp" })[];
  createInOutlook: string[];
  createInCrm: string[];
  probableDuplicates: ProbableDuplicate[];
  /** Items with skipped values (invalid e-mails, surplus phones): synced without them (C6). */
  invalid: ItemWarning[];
  /** Outlook contacts not imported because contacts sync one way (C4). */
  notImported: string[];
}

/** The whole plan. Dry-run is the plan: nothing in it has been written. */
export interface ContactPlan extends KindPlan<ContactLink, ContactAction> {
  pairs: PairPlan[];
  conflicts: ContactConflict[];
  warnings: ItemWarning[];
  preview: ContactSyncPreview;
  /** Planned deletes in Outlook plus archives in the CRM (P6). */
  destructiveCount: number;
  removals: Removals;
}

/** Every action of a plan, in order. */
export function planActions(plan: ContactPlan): ContactAction[] {
  return plan.pairs.flatMap((p) => p.actions);
}

/** Outlook state of a linked item as the planner sees it. */
export type OutlookSide =
  | { kind: "unchanged" }
  | { kind: "present"; item: GraphContact; relinked: boolean }
  | { kind: "pending"; changeKey: string; canonical: CanonicalContact }
  | { kind: "removed" }
  | { kind: "gone" };
