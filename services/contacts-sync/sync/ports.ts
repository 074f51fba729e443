import type { Contact as CrmContact, ContactFields } from "@app/shared/contract";
import type { ItemResult, LinkWriter } from "@app/shared/engine";
import type { SyncLink } from "@app/shared/sync";
import type { Contact as GraphContactBody } from "@microsoft/microsoft-graph-types";
import type { CanonicalContact } from "./canonical.ts";

/** An Outlook contact as read: the Graph shape with its immutable id and change key. */
export type GraphContact = GraphContactBody & { id: string; changeKey: string };

/** A link row of the contacts engine. */
export type ContactLink = SyncLink<CanonicalContact>;

/** One read of the user's Outlook folder. */
export interface GraphChanges {
  /** True for a complete listing (no cursor given, or after a 410): absence then means "not in the folder". */
  complete: boolean;
  /** Created or changed contacts (latest state; an id appears once). */
  upserts: GraphContact[];
  /** Ids deleted since the cursor (`@removed`); empty for a complete listing. */
  removedIds: string[];
  /** Cursor to store once the run's changes are applied (the delta link). */
  nextCursor: string;
}

/** A contact to update; `changeKey` is sent as `If-Match` and a mismatch answers `conflict` (412). */
export interface GraphContactUpdate {
  id: string;
  body: GraphContactBody;
  changeKey?: string;
}

/** Graph `$batch` takes at most 20 requests. */
export const GRAPH_BATCH_LIMIT = 20;

/**
 * The user's chosen Outlook contact folder (bound to one mailbox and folder). Immutable ids are
 * requested on every call (C8). A non-2xx read is an error, never an empty result.
 */
export interface GraphContactsPort {
  /** Delta from `cursor`, or a complete listing when `cursor` is undefined; throws `DeltaExpiredError` on 410. */
  readChanges(cursor: string | undefined): Promise<GraphChanges>;
  /**
   * The contacts stamped with these CRM ids (C8), keyed by CRM id; ids without one are absent. A few
   * are looked up with one extended-property `$filter` each, many with one paged listing of the folder.
   */
  locateByCrmIds(crmIds: readonly string[]): Promise<Map<string, GraphContact>>;
  /** Creates ≤ {@link GRAPH_BATCH_LIMIT} contacts; one result per body, in order. */
  createMany(bodies: readonly GraphContactBody[]): Promise<ItemResult<GraphContact>[]>;
  /** Updates ≤ {@link GRAPH_BATCH_LIMIT} contacts; returns each contact after the write. */
  updateMany(items: readonly GraphContactUpdate[]): Promise<ItemResult<GraphContact>[]>;
  /** Deletes ≤ {@link GRAPH_BATCH_LIMIT} contacts; `gone` means already gone. */
  deleteMany(ids: readonly string[]): Promise<ItemResult<void>[]>;
}

/** A CRM create: once per idempotency key, flagged for the given users. */
export interface CrmCreateRequest {
  fields: ContactFields;
  syncUserIds: string[];
  idempotencyKey: string;
}

/** A CRM update, refused with `ConflictError` (`version_conflict`) when `expectedVersion` is stale. */
export interface CrmUpdateRequest {
  contactId: string;
  expectedVersion: number;
  fields: ContactFields;
  idempotencyKey: string;
}

/**
 * The tenant's CRM contacts (bound to one tenant). Failures throw `AppError`s: `RetryableError`
 * (throttled, with `retryAfterMs`), `ConflictError`, `NotFoundError`, `UpstreamError`.
 */
export interface CrmContactsPort {
  /** Every non-archived contact on which `userId`'s sync flag is set (C3). */
  listInScope(userId: string): Promise<CrmContact[]>;
  /** The contacts that still exist among `ids` (archived or unflagged included); missing ones were deleted. */
  getMany(ids: readonly string[]): Promise<CrmContact[]>;
  create(request: CrmCreateRequest): Promise<CrmContact>;
  update(request: CrmUpdateRequest): Promise<CrmContact>;
  /** Archives (an Outlook delete never deletes in the CRM, C5). Archiving an archived contact is a no-op. */
  archive(request: { contactId: string; idempotencyKey: string }): Promise<CrmContact>;
}

/** The user's delta cursor as a run finds it. */
export interface CursorState {
  /** The delta cursor of the chosen folder; `undefined` for the first sync of this folder. */
  cursor: string | undefined;
  /** The cursor on record was taken in another folder: the user chose a new one (its links point into the old). */
  otherFolder: boolean;
  /** Outlook ids we created after the cursor was taken: a delta from it reports each, unless deleted (P9). */
  created: string[];
}

/**
 * One user's link rows and delta cursor (bound to one tenant, user and folder). Rows are unique by
 * id, by CRM id and by Graph id: an upsert breaking that throws `ConflictError`.
 */
export interface LinkStorePort extends LinkWriter<ContactLink> {
  /** Every row of the user. */
  list(): Promise<ContactLink[]>;
  /**
   * The rows an incremental run involves: those of these CRM and Graph ids, and every row that is
   * not cleanly synced (intents, failed writes, kept Outlook changes). Held rows come only by id.
   */
  involved(q: { crmIds: readonly string[]; graphIds: readonly string[] }): Promise<ContactLink[]>;
  /** Rows in a state other than `synced` (held duplicates, intents): a matching run needs them all (C7). */
  unsynced(): Promise<ContactLink[]>;
  /** Every CRM id linked for the user, so matching never offers a linked contact again (C7). */
  linkedCrmIds(): Promise<Set<string>>;
  /** Rows in state `synced` (the P6 share is taken of these). */
  countSynced(): Promise<number>;
  getByCrmId(crmId: string): Promise<ContactLink | undefined>;
  getByGraphId(graphId: string): Promise<ContactLink | undefined>;
  /** Writes rows in one transaction. */
  upsertMany(links: readonly ContactLink[]): Promise<void>;
  delete(id: string): Promise<void>;
  getCursor(): Promise<CursorState>;
  /** Stores the cursor for the folder, with the ids created since it was taken. */
  setCursor(cursor: string, created: readonly string[]): Promise<void>;
  /** Adds ids created since the stored cursor (a partial run keeps its cursor). */
  addCreated(created: readonly string[]): Promise<void>;
}
