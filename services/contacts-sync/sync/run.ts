import type { ConflictPolicy, ContactsDirection } from "@app/shared/contract";
import { type KindRead, type KindRun, type ReadScope, runSync, type RunSyncOptions } from "@app/shared/engine";
import type { ItemFailure } from "@app/shared/engine";
import { DeltaExpiredError, type SafetyThresholds } from "@app/shared/sync";
import { contactExecutors } from "./executors.ts";
import { crmIdsToLocate, planContactSync } from "./plan.ts";
import type {
  ContactAction,
  ContactConflict,
  ContactPlan,
  ContactSyncPreview,
  ItemWarning,
  OutOfScopeReason,
} from "./plan_types.ts";
import type {
  ContactLink,
  CrmContactsPort,
  GraphChanges,
  GraphContact,
  GraphContactsPort,
  LinkStorePort,
} from "./ports.ts";
import type { Contact as CrmContact } from "@app/shared/contract";
import { contactReport } from "./report.ts";
import { settleContactPair } from "./settle.ts";

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
  /** A person confirmed a paused mass change (P6) or the first sync (A10). */
  confirmed?: boolean;
  /** Plan only: read both sides, write nothing (A9 preview). */
  dryRun?: boolean;
  /** `reconcile`: complete listings of both sides (P9). */
  mode?: ReadScope["mode"];
  /** A10: the first sync of a newly chosen folder waits for the user's confirmation. */
  firstSyncNeedsConfirmation?: boolean;
  /** The engine's run controls: chunk deadline, stop signal, progress. */
  control?: Pick<RunSyncOptions, "deadline" | "signal" | "onProgress">;
}

/** What one run read: both sides, the links involved, and what the engine checks (P6, A10). */
export interface ContactRead extends KindRead {
  outlook: GraphChanges;
  inScope: CrmContact[];
  outOfScope: Map<string, OutOfScopeReason>;
  located: Map<string, GraphContact | null>;
  links: ContactLink[];
}

/** What a run did, for status and metrics. */
export interface ContactSyncSummary {
  status: "completed" | "partial" | "dry_run" | "paused" | "refused" | "awaiting_confirmation";
  /** Why the run paused (mass change), was refused (a side looks empty) or waits (A10). */
  reason?: string;
  /** The read was a complete listing (first sync, or the delta cursor expired). */
  complete: boolean;
  planned: Partial<Record<ContactAction["kind"], number>>;
  done: Partial<Record<ContactAction["kind"], number>>;
  failures: ItemFailure[];
  conflicts: ContactConflict[];
  warnings: ItemWarning[];
  preview: ContactSyncPreview;
  /** An item was gone on a write (P9): the user runs again so its delete is planned. */
  goneOnWrite: boolean;
  /** Something changed on either side (adaptive poll). */
  changed: boolean;
  plan: ContactPlan;
}

/**
 * The contacts kind's ports for one run (see `KindRun`): read both sides → look up lost links by
 * stamp (C8) → plan → (the engine checks and applies) → store the delta cursor.
 */
export function contactsRun(
  deps: ContactSyncDeps,
  req: ContactSyncRequest,
): KindRun<ContactLink, ContactAction, ContactRead, ContactPlan> {
  return {
    read: (scope) => readBothSides(deps, req, scope),
    plan: (read) =>
      planContactSync({
        tenantId: req.tenantId,
        userId: req.userId,
        now: deps.now(),
        crm: { inScope: read.inScope, outOfScope: read.outOfScope },
        outlook: read.outlook,
        located: read.located,
        links: read.links,
        settings: { direction: req.direction, conflictPolicy: req.conflictPolicy, defaultCountry: req.defaultCountry },
      }),
    executors: contactExecutors({ tenantId: req.tenantId, userId: req.userId, graph: deps.graph, crm: deps.crm }),
    links: deps.links,
    settle: settleContactPair,
    commit: (read, applied) => deps.links.setCursor(read.outlook.nextCursor, applied.createdInOutlook),
    remember: (created) => deps.links.addCreated(created),
    report: contactReport,
  };
}

/**
 * One contact sync run for one user through the engine's pipeline. Running it again with nothing
 * changed plans nothing and writes nothing.
 */
export async function runContactSync(deps: ContactSyncDeps, req: ContactSyncRequest): Promise<ContactSyncSummary> {
  const s = await runSync(contactsRun(deps, req), {
    scope: { mode: req.mode ?? "incremental", crmChanges: { ids: new Map(), full: true } },
    now: deps.now,
    sleep: deps.sleep,
    dryRun: req.dryRun,
    confirmed: req.confirmed,
    firstSyncNeedsConfirmation: req.firstSyncNeedsConfirmation,
    safety: req.safety,
    ...req.control,
  });
  return {
    status: s.status,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    complete: s.complete,
    planned: s.planned,
    done: s.done,
    failures: s.failures,
    conflicts: s.plan.conflicts,
    warnings: s.plan.warnings,
    preview: s.plan.preview,
    goneOnWrite: s.goneOnWrite,
    changed: s.read.changed,
    plan: s.plan,
  };
}

async function readBothSides(deps: ContactSyncDeps, req: ContactSyncRequest, scope: ReadScope): Promise<ContactRead> {
  const cursor = await deps.links.getCursor();
  const links = await deps.links.list();
  const outlook = withUnreportedDeletes(
    await readOutlook(deps.graph, scope.mode === "reconcile" ? undefined : cursor.cursor),
    cursor.created,
  );
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
  const linkedCount = links.filter((l) => l.state === "synced").length;
  return {
    complete: outlook.complete,
    linkedCount,
    crmCount: inScope.length,
    outlookCount: outlook.complete ? outlook.upserts.length : undefined,
    firstSync: cursor.cursor === undefined,
    changed: outlook.upserts.length > 0 || outlook.removedIds.length > 0,
    outlook,
    inScope,
    outOfScope,
    located,
    links,
  };
}

/**
 * P9: Graph never reports an item created and deleted again between two delta rounds. Every contact
 * we created after the cursor was taken must come back in the delta from it; one that does not was
 * deleted in Outlook, and is read as a delta `@removed` (archived through the P6 check).
 */
export function withUnreportedDeletes(outlook: GraphChanges, created: readonly string[]): GraphChanges {
  if (outlook.complete || created.length === 0) return outlook;
  const seen = new Set([...outlook.upserts.map((c) => c.id), ...outlook.removedIds]);
  const lost = created.filter((id) => !seen.has(id));
  return lost.length === 0 ? outlook : { ...outlook, removedIds: [...outlook.removedIds, ...lost] };
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
