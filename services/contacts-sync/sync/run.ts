import type { ConflictPolicy, ContactsDirection } from "@app/shared/contract";
import { checkSyncSafety, DEFAULT_SAFETY, DeltaExpiredError, type SafetyThresholds } from "@app/shared/sync";
import { applyContactPlan, type ItemFailure } from "./apply.ts";
import { crmIdsToLocate, planContactSync } from "./plan.ts";
import {
  type ContactAction,
  type ContactConflict,
  type ContactPlan,
  type ContactSyncPreview,
  countActions,
  type ItemWarning,
  type OutOfScopeReason,
  planActions,
} from "./plan_types.ts";
import type { CrmContactsPort, GraphChanges, GraphContact, GraphContactsPort, LinkStorePort } from "./ports.ts";

/** The ports and clock one run uses, all bound to one user. */
export interface ContactSyncDeps {
  graph: GraphContactsPort;
  crm: CrmContactsPort;
  links: LinkStorePort;
  now: () => string;
  sleep: (ms: number) => Promise<void>;
}

/** Who to sync and how. */
export interface ContactSyncRequest {
  tenantId: string;
  userId: string;
  direction: ContactsDirection;
  conflictPolicy: ConflictPolicy;
  defaultCountry?: string;
  safety?: SafetyThresholds;
  /** A person confirmed a paused mass change (P6). */
  confirmed?: boolean;
  /** Plan only: read both sides, write nothing (A9 preview). */
  dryRun?: boolean;
}

/** What a run did, for status and metrics. */
export interface ContactSyncSummary {
  status: "completed" | "dry_run" | "paused" | "refused";
  /** Why the run paused (mass change) or was refused (a side looks empty), P6. */
  reason?: string;
  /** The read was a complete listing (first sync, or the delta cursor expired). */
  complete: boolean;
  planned: Partial<Record<ContactAction["kind"], number>>;
  done: Partial<Record<ContactAction["kind"], number>>;
  failures: ItemFailure[];
  conflicts: ContactConflict[];
  warnings: ItemWarning[];
  preview: ContactSyncPreview;
  plan: ContactPlan;
}

/**
 * One contact sync run for one user: read both sides → look up lost links by stamp (C8) → plan →
 * safety check (P6) → apply → store the delta cursor. Running it again with nothing changed
 * plans nothing and writes nothing.
 */
export async function runContactSync(deps: ContactSyncDeps, req: ContactSyncRequest): Promise<ContactSyncSummary> {
  const links = await deps.links.list();
  const outlook = await readOutlook(deps.graph, await deps.links.getCursor());
  const inScope = await deps.crm.listInScope(req.userId);

  const inScopeIds = new Set(inScope.map((c) => c.id));
  const missing = links.flatMap((l) =>
    l.state === "synced" && l.crmId !== null && !inScopeIds.has(l.crmId) ? [l.crmId] : []
  );
  const outOfScope = new Map<string, OutOfScopeReason>(missing.map((id) => [id, "deleted"]));
  if (missing.length > 0) {
    for (const c of await deps.crm.getMany(missing)) {
      outOfScope.set(c.id, c.archived ? "archived" : c.syncUserIds.includes(req.userId) ? "unknown" : "unflagged");
    }
  }
  const wanted = crmIdsToLocate(links, outlook);
  const found = wanted.length > 0 ? await deps.graph.locateByCrmIds(wanted) : new Map<string, GraphContact>();
  const located = new Map<string, GraphContact | null>(wanted.map((id) => [id, found.get(id) ?? null]));

  const plan = planContactSync({
    tenantId: req.tenantId,
    userId: req.userId,
    now: deps.now(),
    crm: { inScope, outOfScope },
    outlook,
    located,
    links,
    settings: { direction: req.direction, conflictPolicy: req.conflictPolicy, defaultCountry: req.defaultCountry },
  });
  const summary: ContactSyncSummary = {
    status: "completed",
    complete: outlook.complete,
    planned: countActions(planActions(plan)),
    done: {},
    failures: [],
    conflicts: plan.conflicts,
    warnings: plan.warnings,
    preview: plan.preview,
    plan,
  };
  if (req.dryRun) return { ...summary, status: "dry_run" };

  const verdict = checkSyncSafety({
    linkedCount: links.filter((l) => l.state === "synced").length,
    destructiveCount: plan.destructiveCount,
    crmCount: inScope.length,
    outlookCompleteCount: outlook.complete ? outlook.upserts.length : undefined,
    confirmed: req.confirmed ?? false,
  }, req.safety ?? DEFAULT_SAFETY);
  // Neither paused nor refused runs move the cursor: the same changes are read again next time.
  if (!verdict.ok) {
    return { ...summary, status: verdict.kind === "paused" ? "paused" : "refused", reason: verdict.message };
  }

  const applied = await applyContactPlan(plan, { ...deps, tenantId: req.tenantId, userId: req.userId });
  await deps.links.setCursor(outlook.nextCursor);
  return { ...summary, done: applied.done, failures: applied.failures };
}

/** Delta from the stored cursor; an expired cursor (410) falls back to a complete listing. */
async function readOutlook(graph: GraphContactsPort, cursor: string | undefined): Promise<GraphChanges> {
  try {
    return await graph.readChanges(cursor);
  } catch (err) {
    if (!(err instanceof DeltaExpiredError)) throw err;
    return await graph.readChanges(undefined);
  }
}
