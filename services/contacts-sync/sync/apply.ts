import type { Contact as CrmContact } from "@app/shared/contract";
import { AppError, NotFoundError, RetryableError } from "@app/shared/errors";
import { appendAttempt, chunk, deriveIdempotencyKey, jsonEquals, type SyncAttempt } from "@app/shared/sync";
import { crmContactToCanonical } from "./crm_mapping.ts";
import { crmIdStampBody } from "./graph_mapping.ts";
import {
  type ContactLink,
  type CrmContactsPort,
  GRAPH_BATCH_LIMIT,
  type GraphContact,
  type GraphContactsPort,
  type GraphItemError,
  type GraphItemResult,
  type LinkStorePort,
} from "./ports.ts";
import { type ContactAction, type ContactPlan, type PairPlan, REMOTE_ACTION_KINDS } from "./plan_types.ts";

/** What the applier writes through, and how it tells time. */
export interface ApplyDeps {
  tenantId: string;
  userId: string;
  graph: GraphContactsPort;
  crm: CrmContactsPort;
  links: LinkStorePort;
  now: () => string;
  /** Waits before retrying a throttled write; tests pass a fake. */
  sleep: (ms: number) => Promise<void>;
  /** Tries per item for throttled writes within one run (default 3); later ones wait for the next run. */
  maxTries?: number;
}

/** One failed item of a run: retried next run. */
export interface ItemFailure {
  key: string;
  action: ContactAction["kind"];
  message: string;
}

/** What {@link applyContactPlan} did. */
export interface ApplyResult {
  done: Partial<Record<ContactAction["kind"], number>>;
  failures: ItemFailure[];
}

type CrmAction = Extract<ContactAction, { kind: "createInCrm" | "updateInCrm" | "archiveInCrm" }>;
type GraphAction = Extract<
  ContactAction,
  { kind: "createInGraph" | "updateInGraph" | "stampInGraph" | "deleteInGraph" }
>;

interface PairState {
  plan: PairPlan;
  remaining: number;
  failed: string | undefined;
  attempts: SyncAttempt[];
  crm: CrmContact | undefined;
  graph: GraphContact | undefined;
}

/**
 * Executes a plan action by action through the ports, persisting each link row as its pair's
 * actions commit. Intent rows go first, so a crash between a remote create and its row converges on
 * the next run. A failed item is recorded on its row (last 3 attempts) and retried next run; it
 * never fails the run. Anything that is not an `AppError` (a bug, the process dying) propagates.
 */
export async function applyContactPlan(plan: ContactPlan, deps: ApplyDeps): Promise<ApplyResult> {
  const result: ApplyResult = { done: {}, failures: [] };
  const states = plan.pairs.map((p): PairState => ({
    plan: p,
    remaining: p.actions.filter((a) => REMOTE_ACTION_KINDS.has(a.kind)).length,
    failed: undefined,
    attempts: [],
    crm: undefined,
    graph: undefined,
  }));
  const commit = async (batch: PairState[]) => {
    const rows: ContactLink[] = [];
    for (const s of batch) {
      const row = finalRow(s, deps.now());
      if (row) rows.push(row);
      else if (s.plan.before || s.plan.pre) await deps.links.delete(s.plan.key);
      if (s.failed === undefined) {
        for (const a of s.plan.actions) result.done[a.kind] = (result.done[a.kind] ?? 0) + 1;
      }
    }
    if (rows.length > 0) await deps.links.upsertMany(rows);
  };

  // Link-only pairs and intent rows first: nothing remote is created without its row.
  await commit(states.filter((s) => s.remaining === 0));
  const pres = states.filter((s) => s.remaining > 0 && s.plan.pre).map((s) => s.plan.pre!);
  for (const rows of chunk(pres, 500)) await deps.links.upsertMany(rows);

  for (const s of states) {
    for (const a of s.plan.actions) {
      if (s.failed !== undefined || !isCrmAction(a)) continue;
      await applyCrmAction(s, a, deps);
      s.remaining--;
      if (s.failed !== undefined) s.remaining = 0;
      if (s.remaining === 0) await commit([s]);
    }
  }

  for (const kind of ["createInGraph", "updateInGraph", "stampInGraph", "deleteInGraph"] as const) {
    const items = states.flatMap((s) =>
      s.failed === undefined
        ? s.plan.actions.filter((a): a is GraphAction => a.kind === kind).map((a) => ({ s, a }))
        : []
    );
    for (const batch of chunk(items, GRAPH_BATCH_LIMIT)) {
      await applyGraphBatch(batch, deps);
      const finished = new Set<PairState>();
      for (const { s } of batch) {
        s.remaining--;
        if (s.failed !== undefined) s.remaining = 0;
        if (s.remaining === 0) finished.add(s);
      }
      await commit([...finished]);
    }
  }

  for (const s of states) {
    if (s.failed !== undefined) {
      const action = s.attempts.findLast((a) => a.outcome !== "ok")?.action ?? "unknown";
      result.failures.push({ key: s.plan.key, action: action as ContactAction["kind"], message: s.failed });
    }
  }
  return result;
}

function isCrmAction(a: ContactAction): a is CrmAction {
  return a.kind === "createInCrm" || a.kind === "updateInCrm" || a.kind === "archiveInCrm";
}

async function applyCrmAction(s: PairState, a: CrmAction, deps: ApplyDeps): Promise<void> {
  const maxTries = deps.maxTries ?? 3;
  for (let attempt = 1;; attempt++) {
    try {
      s.crm = await callCrm(a, deps);
      s.attempts.push({ at: deps.now(), direction: "to_crm", action: a.kind, outcome: "ok" });
      return;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err instanceof NotFoundError && a.kind === "archiveInCrm") {
        // Deleted in the CRM meanwhile: nothing left to archive.
        s.attempts.push({ at: deps.now(), direction: "to_crm", action: a.kind, outcome: "ok", message: err.message });
        return;
      }
      const throttled = err instanceof RetryableError;
      s.attempts.push({
        at: deps.now(),
        direction: "to_crm",
        action: a.kind,
        outcome: throttled ? "throttled" : "failed",
        message: err.message,
      });
      if (!throttled || attempt >= maxTries) {
        s.failed = err.message;
        return;
      }
      await deps.sleep(err.retryAfterMs);
    }
  }
}

async function callCrm(a: CrmAction, deps: ApplyDeps): Promise<CrmContact> {
  const key = (...parts: string[]) => deriveIdempotencyKey("contacts", deps.tenantId, deps.userId, ...parts);
  switch (a.kind) {
    case "createInCrm":
      // Keyed by the Outlook id: the create retried after a crash returns the contact made before it.
      return await deps.crm.create({
        fields: a.fields,
        syncUserIds: [deps.userId],
        idempotencyKey: await key("create", a.graphId),
      });
    case "updateInCrm":
      return await deps.crm.update({
        contactId: a.crmId,
        expectedVersion: a.expectedVersion,
        fields: a.fields,
        idempotencyKey: await key("update", a.crmId, String(a.expectedVersion)),
      });
    case "archiveInCrm":
      return await deps.crm.archive({ contactId: a.crmId, idempotencyKey: await key("archive", a.crmId) });
  }
}

async function applyGraphBatch(batch: { s: PairState; a: GraphAction }[], deps: ApplyDeps): Promise<void> {
  const maxTries = deps.maxTries ?? 3;
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const results = await callGraph(pending, deps);
    const throttled: typeof batch = [];
    let waitMs = 0;
    pending.forEach(({ s, a }, i) => {
      const r = results[i] ?? { ok: false, error: { kind: "other", status: 0, message: "no result" } };
      const ok = r.ok || (a.kind === "deleteInGraph" && r.error.kind === "not_found");
      if (ok) {
        if (r.ok && r.value) s.graph = r.value;
        s.attempts.push({ at: deps.now(), direction: "to_outlook", action: a.kind, outcome: "ok" });
        return;
      }
      const error = (r as { error: GraphItemError }).error;
      const isThrottled = error.kind === "throttled";
      s.attempts.push({
        at: deps.now(),
        direction: "to_outlook",
        action: a.kind,
        outcome: isThrottled ? "throttled" : "failed",
        message: error.message,
      });
      if (isThrottled && attempt < maxTries) {
        throttled.push({ s, a });
        waitMs = Math.max(waitMs, error.retryAfterMs);
      } else s.failed = error.message;
    });
    if (throttled.length > 0) await deps.sleep(waitMs);
    pending = throttled;
  }
}

async function callGraph(
  items: { s: PairState; a: GraphAction }[],
  deps: ApplyDeps,
): Promise<GraphItemResult<GraphContact | void>[]> {
  const actions = items.map((x) => x.a);
  try {
    switch (actions[0]!.kind) {
      case "createInGraph":
        return await deps.graph.createMany(actions.flatMap((a) => a.kind === "createInGraph" ? [a.body] : []));
      case "updateInGraph":
        return await deps.graph.updateMany(
          actions.flatMap((a) =>
            a.kind === "updateInGraph"
              ? [{ id: a.graphId, body: a.body, ...(a.changeKey ? { changeKey: a.changeKey } : {}) }]
              : []
          ),
        );
      case "stampInGraph":
        return await deps.graph.updateMany(
          items.flatMap(({ s, a }) =>
            a.kind === "stampInGraph" ? [{ id: a.graphId, body: crmIdStampBody(a.crmId ?? s.crm!.id) }] : []
          ),
        );
      case "deleteInGraph":
        return await deps.graph.deleteMany(actions.flatMap((a) => a.kind === "deleteInGraph" ? [a.graphId] : []));
    }
  } catch (err) {
    // The batch request itself failed: every item failed with it.
    if (!(err instanceof AppError)) throw err;
    const error: GraphItemError = err instanceof RetryableError
      ? { kind: "throttled", retryAfterMs: err.retryAfterMs, message: err.message }
      : { kind: "other", status: err.status, message: err.message };
    return actions.map(() => ({ ok: false, error }));
  }
}

/** The row to persist once a pair is done: `after` filled with what the writes returned, or `onFailure`. */
function finalRow(s: PairState, now: string): ContactLink | null {
  const p = s.plan;
  if (s.failed !== undefined && s.crm && p.actions[0]?.kind === "createInCrm" && p.after) {
    // The CRM contact exists; only stamping it in Outlook failed. Link it now, stamp next run.
    const row = { ...p.after, crmId: s.crm.id, crmVersion: s.crm.version, graphStamped: false };
    return { ...row, attempts: s.attempts.reduce(appendAttempt, row.attempts), lastError: s.failed, updatedAt: now };
  }
  if (s.failed !== undefined) {
    const keep = p.onFailure ?? p.before;
    if (!keep) return null;
    return {
      ...keep,
      attempts: s.attempts.reduce(appendAttempt, keep.attempts),
      lastError: s.failed,
      updatedAt: now,
    };
  }
  if (p.after === null) return null;
  const row: ContactLink = { ...p.after, attempts: s.attempts.reduce(appendAttempt, p.after.attempts), updatedAt: now };
  if (s.graph) {
    row.graphId = s.graph.id;
    row.graphChangeKey = s.graph.changeKey;
  }
  if (s.crm) {
    row.crmId = s.crm.id;
    // Echo check: when the CRM stored something other than what we sent, compare next run instead of trusting the version.
    const same = row.base !== null && jsonEquals(crmContactToCanonical(s.crm).canonical, row.base);
    row.crmVersion = same ? s.crm.version : null;
  }
  return row;
}
