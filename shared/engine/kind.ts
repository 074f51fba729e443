// The one interface a sync kind (contacts, calendar) implements to run on the shared engine. The
// engine owns everything around a run — scheduling, the user's context and token, the Graph budget,
// P6 safety, A10 confirmation, applying actions with retries, progress, outcomes, status routes —
// and asks the kind only what is specific to its records.
import type { Client } from "@microsoft/microsoft-graph-client";
import type { ZodObject } from "zod";
import type { CrmEvent, SyncUserContext } from "../contract/mod.ts";
import type { SyncAttempt } from "../sync/link.ts";
import type { Removals } from "../sync/safety.ts";

/**
 * Why one remote write failed, in the engine's one vocabulary (adapters map Graph statuses and CRM
 * error codes to it, once, at their boundary):
 * - `throttled`: 429/503 or CRM `retryable`; retried in the run after `retryAfterMs`, then next run.
 * - `gone`: 404 / `ErrorItemNotFound` / CRM `not_found`. For an executor with `goneIsDone` (deletes,
 *   archives) the write is done; otherwise the item is deleted on that side (P9): the kind's
 *   {@link KindRun.settle} keeps that on the row and the engine runs the user again at once, so the
 *   delete goes through the planner and the P6 safety check like a delta `@removed`.
 * - `conflict`: 412 / `version_mismatch`: the item changed since it was read; the next run merges.
 * - `failed`: anything else; recorded on the row and retried next run.
 */
export type ItemError =
  | { kind: "throttled"; retryAfterMs: number; message: string }
  | { kind: "gone"; message: string }
  | { kind: "conflict"; message: string }
  | { kind: "failed"; message: string; status?: number };

/** The result of one item of a remote write, in request order. */
export type ItemResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ItemError };

/** One action of a plan. Kinds are verb + side (`createInGraph`, `archiveInCrm`). */
export interface EngineAction {
  kind: string;
}

/**
 * The link-row fields the engine reads and writes; a kind's link type extends it. One row per
 * synced pair (or intent, or held item) of one user.
 */
export interface EngineLink {
  /** Stable key of the row within the user. */
  id: string;
  lastError: string | null;
  /** The last write attempts, newest last (E7 shows 3). */
  attempts: SyncAttempt[];
  updatedAt: string;
}

/**
 * What happens to one pair (one link row): an optional row written before any remote write (an
 * intent, or a freshly matched pair, so a crash never loses it), the actions in order, the row
 * after they all succeed (`null`: row deleted) and the row kept when one fails.
 */
export interface PairPlan<L extends EngineLink, A extends EngineAction> {
  key: string;
  before: L | undefined;
  pre: L | undefined;
  actions: A[];
  after: L | null;
  onFailure: L | null;
}

/** The part of a plan the engine acts on; the kind adds its own report (conflicts, preview). */
export interface KindPlan<L extends EngineLink, A extends EngineAction> {
  pairs: PairPlan<L, A>[];
  /** Planned deletes in Outlook and archives (or cancels) in the CRM (P6). */
  removals: Removals;
}

/** One item handed to an executor: the action and what the pair's earlier actions returned. */
export interface ExecItem<A extends EngineAction> {
  action: A;
  /** Values returned by the pair's earlier actions, by action index (e.g. the CRM id a create returned). */
  earlier: readonly unknown[];
}

/**
 * Writes one kind of remote action. Executors return one {@link ItemResult} per item and throw only
 * for what is not an item failure (a bug, the process dying): that fails the run.
 */
export interface ActionExecutor<A extends EngineAction> {
  /** The side written, for attempts and metrics. */
  side: "crm" | "outlook";
  /** Items per call: 1 for CRM writes, ≤ 20 for a Graph `$batch`. */
  batchSize: number;
  /** A target already gone counts as done (deletes, archives, cancels). */
  goneIsDone?: boolean;
  /**
   * For creates in Outlook: the id of the created item. Graph never reports an item created and
   * deleted again between two delta rounds, so the next run checks these ids came back (P9).
   */
  createdId?(value: unknown): string | undefined;
  run(items: readonly ExecItem<A>[]): Promise<ItemResult[]>;
}

/** The kind's executors and the order the applier runs action kinds in (CRM writes first, as a rule). */
export interface ActionExecutors<A extends EngineAction> {
  order: readonly A["kind"][];
  byKind: { readonly [K in A["kind"]]?: ActionExecutor<A> };
}

/** Writes link rows of one user; each call is one transaction. */
export interface LinkWriter<L extends EngineLink> {
  upsertMany(rows: readonly L[]): Promise<void>;
  delete(key: string): Promise<void>;
}

/** How a pair ended, for {@link KindRun.settle}. */
export interface PairOutcome<A extends EngineAction> {
  /** `deferred`: the run stopped (chunk deadline, shutdown) before the pair's remaining actions. */
  status: "done" | "failed" | "deferred";
  /** Values returned by the actions that succeeded, by action index. */
  values: readonly unknown[];
  /** The action that failed and why (status `failed`). */
  failure?: { action: A; error: ItemError };
}

/** What a run reads: both sides and the links involved, plus what the engine needs for P6 and A10. */
export interface KindRead {
  /** Both sides were listed in full (first sync, lost cursor, reconciliation). */
  complete: boolean;
  /** Items of this user linked before the run (P6: the share is taken of these). */
  linkedCount: number;
  /** Items the CRM lists in scope, when its listing was complete (P6 empty-side guard). */
  crmCount?: number;
  /** Items in the Outlook folder or calendar, when that listing was complete (P6 empty-side guard). */
  outlookCount?: number;
  /** This is the first sync of the chosen folder or calendar (A10). */
  firstSync: boolean;
  /** Something changed on either side (adaptive poll: the user counts as active). */
  changed: boolean;
}

/** Which part of the world a run reads. */
export interface ReadScope {
  /** `reconcile`: complete listings of both sides compared with every link (P9). */
  mode: "incremental" | "reconcile";
  /**
   * CRM records the triggers recorded for this user since the last run (ids and versions from the
   * CRM's events); `full` when an event named no record (a group change) and a listing is needed.
   */
  crmChanges: { ids: ReadonlyMap<string, number>; full: boolean };
}

/**
 * The engine's view of one run of one user, given to {@link SyncKind.open}. Everything is bound to
 * the user: the Graph client spends the mailbox's shared budget (P7), the clock and sleep are faked
 * in tests.
 */
export interface RunSession {
  tenantId: string;
  userId: string;
  runId: string;
  user: SyncUserContext;
  /** The chosen folder or calendar ({@link SyncKind.target}). */
  targetId: string;
  graph: Client;
  now(): string;
  sleep(ms: number): Promise<void>;
}

/**
 * One run's ports, bound to one user. The engine calls `read`, then the pure `plan`, then applies
 * the plan's pairs through `executors` and `links` (settling each row with `settle`), then `commit`.
 * A dry run (A9 preview) stops after `plan`.
 */
export interface KindRun<L extends EngineLink, A extends EngineAction, R extends KindRead, P extends KindPlan<L, A>> {
  /** Reads both sides and the links involved: only what changed, or everything for `reconcile`. */
  read(scope: ReadScope): Promise<R>;
  /** Pure: canonicalise both sides once, classify each pair, emit actions (no I/O). */
  plan(read: R): P;
  executors: ActionExecutors<A>;
  links: LinkWriter<L>;
  /**
   * The row to persist once a pair is done, failed or deferred (`null`: delete it). The engine then
   * appends the attempts and sets `lastError`. A `gone` failure must leave the item as deleted on
   * that side on the row, so the next run plans its delete (P9).
   */
  settle(pair: PairPlan<L, A>, outcome: PairOutcome<A>, now: string): L | null;
  /**
   * After every pair was applied (not after a paused, refused or partial run): store the delta
   * cursor and anything else the next run starts from. `created` are the remote ids the run created
   * in Outlook (a create deleted again before the next delta round is never reported by Graph, P9).
   */
  commit(read: R, applied: { createdInOutlook: readonly string[] }): Promise<void>;
  /** After a partial run: remember `created` until the cursor moves (see `commit`). */
  remember?(created: readonly string[]): Promise<void>;
  /** The status and preview report of a plan (JSON; conflicts, warnings, what would be created…). */
  report(plan: P): Record<string, unknown>;
}

/** A user's choice for this kind: the folder or calendar, and whether the kind is switched on. */
export interface TargetChoice {
  enabled: boolean;
  /** The chosen folder or calendar id, `null` until chosen (A4). */
  targetId: string | null;
}

/** Users and records one CRM event concerns, for the triggers to record (P3). */
export interface CrmEventRoute {
  userId: string;
  /** The record to fetch next run, with the event's version; `undefined`: a listing is needed. */
  recordId?: string;
  version?: number;
}

/**
 * A sync kind: everything the engine needs to know about contacts or appointments. Implement it,
 * hand it to `startSyncEngine()`, and the service gets scheduling, triggers, subscriptions, the
 * Graph budget, safety, apply, reconciliation, metrics and the status routes.
 */
export interface SyncKind<
  L extends EngineLink = EngineLink,
  A extends EngineAction = EngineAction,
  R extends KindRead = KindRead,
  P extends KindPlan<L, A> = KindPlan<L, A>,
> {
  /** Route segment and label: `contacts`, `calendar` (`/v1/users/{id}/contacts/status`). */
  readonly name: string;
  /** Human name for messages ("contact sync"). */
  readonly title: string;
  /** What the user chooses in Outlook ("contact folder", "calendar"). */
  readonly targetTitle: string;
  /** The user's target and switch for this kind. */
  target(user: SyncUserContext): TargetChoice;
  /** The CRM event consumer's filter and the users and records an event concerns. */
  crmEvents: {
    /** Whether this kind cares about the event type (`crm.contact.*`). */
    accepts(event: CrmEvent): boolean;
    /**
     * Users whose Outlook the event can change, with the record to fetch. `linkedUsers` answers
     * who is linked to a CRM record (deleted records name no user themselves).
     */
    route(event: CrmEvent, linkedUsers: (crmId: string) => Promise<string[]>): Promise<CrmEventRoute[]>;
  };
  /** The Graph resource change notifications are subscribed on for a target (P3). */
  subscriptionResource(targetId: string): string;
  /** Opens one run's ports. */
  open(session: RunSession): KindRun<L, A, R, P>;
  /** The OpenAPI schema of {@link KindRun.report} (status and preview responses are typed with it). */
  readonly reportSchema: ZodObject;
  /** Users linked to a CRM record (for deletes, which name no user) — from the kind's link table. */
  linkedUsers(tenantId: string, crmId: string): Promise<string[]>;
  /** The CRM version a user's link holds for a record, to skip the echo of our own write; `undefined` when none. */
  linkedVersion(tenantId: string, userId: string, crmId: string): Promise<number | undefined>;
  /**
   * The change key a user's clean link holds for an Outlook item (by its immutable id), so the
   * notification of our own write starts no run; `undefined` when none. Optional.
   */
  linkedChangeKey?(tenantId: string, userId: string, graphId: string): Promise<string | undefined>;
  /** Link counts for status. */
  linkCounts(tenantId: string, userId: string): Promise<LinkCounts>;
  /** One item's status (last 3 attempts, warnings), by CRM id; `undefined` when not linked for the user. */
  item(tenantId: string, userId: string, crmId: string): Promise<ItemStatus | undefined>;
}

/** A user's links as status counts them. */
export interface LinkCounts {
  total: number;
  synced: number;
  /** Rows whose last write failed. */
  failing: number;
  /** Probable duplicates waiting for a person (C7). */
  held: number;
}

/** One item's sync status (E7-style: last 3 attempts). */
export interface ItemStatus {
  crmId: string | null;
  graphId: string | null;
  /** `suspended`: the kind stopped syncing the item until something changes (calendar: organizer removed, E5). */
  status: "synced" | "pending" | "error" | "suspended";
  state: string;
  lastError: string | null;
  attempts: SyncAttempt[];
  warnings: { code: string; message: string; side?: "crm" | "outlook" }[];
  updatedAt: string;
}
