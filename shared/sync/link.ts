/**
 * Where a link is in its life. The intent states are written *before* a remote create, so a
 * process killed between the remote write and the link write converges on restart instead of
 * creating twice: `creating_in_graph` is resolved by looking the item up by its CRM id stamp (C8),
 * `creating_in_crm` by the create's idempotency key. `held` remembers an Outlook item that is a
 * probable duplicate (C7) and waits for a person to decide.
 */
export type SyncLinkState = "synced" | "creating_in_graph" | "creating_in_crm" | "held";

/** One write attempt for an item, as shown in its sync status (last 3 kept). */
export interface SyncAttempt {
  at: string;
  direction: "to_outlook" | "to_crm";
  action: string;
  /** `gone`: the item was deleted on that side meanwhile (P9); the next run plans its delete. */
  outcome: "ok" | "failed" | "throttled" | "gone";
  message?: string;
}

/**
 * Outlook's state of a linked item seen in a delta whose actions then failed. The delta cursor moves
 * on regardless, so the change is kept here and planned again next run instead of being lost.
 */
export type PendingOutlook<C> = { removed: true } | { removed: false; changeKey: string; canonical: C };

/**
 * One row per synced pair (CRM id ⇄ Graph id) of one user, with the last synced canonical record
 * (`base`) both sides are compared against. `crmVersion` and `graphChangeKey` are the sides'
 * versions *at* `base`: equal versions mean unchanged, without comparing content.
 */
export interface SyncLink<C> {
  /** Stable key: `crm:<crmId>` or `graph:<graphId>` after the side the pair started from. */
  id: string;
  tenantId: string;
  userId: string;
  crmId: string | null;
  graphId: string | null;
  crmVersion: number | null;
  graphChangeKey: string | null;
  /** Last synced canonical record; `null` for a pair matched but never merged (first sync, C7). */
  base: C | null;
  state: SyncLinkState;
  pendingOutlook: PendingOutlook<C> | null;
  /** The Outlook item carries our id stamp (C8); false for items that came from Outlook until stamped. */
  graphStamped: boolean;
  lastError: string | null;
  /** The last {@link MAX_ATTEMPTS} write attempts, newest last. */
  attempts: SyncAttempt[];
  /** Problems reported on this item that never block it, e.g. a skipped invalid e-mail (C6). */
  warnings: SyncWarning[];
  updatedAt: string;
}

/** A problem reported on an item that never blocks it, e.g. a skipped invalid e-mail (C6). */
export interface SyncWarning {
  code: string;
  message: string;
  /** The side whose value was skipped. */
  side?: "crm" | "outlook";
}

/** How many attempts a link keeps (E7 asks for the last 3). */
export const MAX_ATTEMPTS = 3;

/** Returns `attempts` with `attempt` appended, keeping only the newest {@link MAX_ATTEMPTS}. */
export function appendAttempt(attempts: readonly SyncAttempt[], attempt: SyncAttempt): SyncAttempt[] {
  return [...attempts, attempt].slice(-MAX_ATTEMPTS);
}
