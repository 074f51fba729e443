/** P6 thresholds: how much destruction one run may do before a person confirms it. */
export interface SafetyThresholds {
  /** Share (0–1) of the user's linked items a run may delete or archive without confirmation. */
  maxDestructiveShare: number;
  /** Below this many deletes + archives a run never pauses, whatever the share. */
  minDestructiveCount: number;
}

/** Defaults: pause when more than 25 % and at least 10 of a user's items would go. */
export const DEFAULT_SAFETY: SafetyThresholds = { maxDestructiveShare: 0.25, minDestructiveCount: 10 };

/** What {@link checkSyncSafety} looks at. */
export interface SafetyInput {
  /** Items linked before this run. */
  linkedCount: number;
  /** Planned deletes and archives on either side. */
  destructiveCount: number;
  /** Items the CRM says are in scope now. */
  crmCount: number;
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
 * P6: a side that suddenly looks empty while links exist is an error (never a mass delete), and a
 * run deleting or archiving more than the allowed share of a user's items pauses until confirmed.
 */
export function checkSyncSafety(input: SafetyInput, thresholds: SafetyThresholds = DEFAULT_SAFETY): SafetyVerdict {
  if (input.confirmed || input.linkedCount === 0) return { ok: true };
  if (input.crmCount === 0) {
    return {
      ok: false,
      kind: "side_empty",
      side: "crm",
      message: `CRM lists no contacts in scope while ${input.linkedCount} are linked`,
    };
  }
  if (input.outlookCompleteCount === 0) {
    return {
      ok: false,
      kind: "side_empty",
      side: "outlook",
      message: `Outlook folder is empty while ${input.linkedCount} items are linked`,
    };
  }
  const share = input.destructiveCount / input.linkedCount;
  if (input.destructiveCount >= thresholds.minDestructiveCount && share > thresholds.maxDestructiveShare) {
    const pct = Math.round(share * 100);
    return {
      ok: false,
      kind: "paused",
      message: `run would delete or archive ${input.destructiveCount} of ${input.linkedCount} linked items (${pct} %)`,
    };
  }
  return { ok: true };
}
