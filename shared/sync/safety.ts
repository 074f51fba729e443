/** P6 thresholds: how much destruction one run may do before a person confirms it. */
export interface SafetyThresholds {
  /** Share (0–1) of the user's linked items a run may delete or archive without confirmation. */
  maxDestructiveShare: number;
  /** Below this many deletes + archives a run never pauses, whatever else it sees. */
  minDestructiveCount: number;
}

/** Defaults: pause when more than 25 % and at least 10 of a user's items would go. */
export const DEFAULT_SAFETY: SafetyThresholds = { maxDestructiveShare: 0.25, minDestructiveCount: 10 };

/** Planned removals, by the side they happen on (the other side is the one that went). */
export interface Removals {
  /** Deletes in Outlook: the CRM side of these pairs went (deleted, archived, unflagged). */
  inOutlook: number;
  /** Archives (or cancels) in the CRM: the Outlook side of these pairs went. */
  inCrm: number;
}

/** What {@link checkSyncSafety} looks at. */
export interface SafetyInput {
  /** Items linked before this run. */
  linkedCount: number;
  removals: Removals;
  /** Items the CRM listed in scope, when the run listed them completely; otherwise `undefined`. */
  crmCount: number | undefined;
  /** Items in Outlook when the read was a complete listing; `undefined` for an incremental delta. */
  outlookCompleteCount: number | undefined;
  /** A person confirmed this user's pending mass change over HTTP. */
  confirmed: boolean;
}

/** Verdict of {@link checkSyncSafety}. */
export type SafetyVerdict =
  | { ok: true }
  | { ok: false; kind: "side_empty"; side: "crm" | "outlook"; message: string }
  | { ok: false; kind: "paused"; message: string };

/**
 * P6, one rule: a run that would delete or archive fewer than `minDestructiveCount` items always
 * goes ahead. From that count on it stops until a person confirms when
 * 1. a side looks empty — its complete listing holds nothing, or every linked item is to be removed
 *    because that side went — which is refused as an error (`side_empty`), never a mass delete; or
 * 2. the removals are more than `maxDestructiveShare` of the user's linked items (`paused`).
 */
export function checkSyncSafety(input: SafetyInput, thresholds: SafetyThresholds = DEFAULT_SAFETY): SafetyVerdict {
  const total = input.removals.inOutlook + input.removals.inCrm;
  if (input.confirmed || input.linkedCount === 0 || total < thresholds.minDestructiveCount) return { ok: true };
  const n = input.linkedCount;
  if (input.crmCount === 0 || input.removals.inOutlook >= n) {
    return {
      ok: false,
      kind: "side_empty",
      side: "crm",
      message: `the CRM lists none of the ${n} linked items any more (deleted, archived or unflagged): nothing removed`,
    };
  }
  if (input.outlookCompleteCount === 0 || input.removals.inCrm >= n) {
    return {
      ok: false,
      kind: "side_empty",
      side: "outlook",
      message: `the Outlook side is empty while ${n} items are linked: nothing archived`,
    };
  }
  const share = total / n;
  if (share > thresholds.maxDestructiveShare) {
    const pct = Math.round(share * 100);
    return {
      ok: false,
      kind: "paused",
      message: `run would delete or archive ${total} of ${n} linked items (${pct} %)`,
    };
  }
  return { ok: true };
}
