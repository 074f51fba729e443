import { UpstreamError } from "@app/shared/errors";
import type { ItemError, ItemResult } from "@app/shared/engine";
import { DeltaExpiredError } from "@app/shared/sync";
import type { Contact as GraphContactBody } from "@microsoft/microsoft-graph-types";
import { CRM_ID_PROPERTY_ID, crmIdStampOf } from "../sync/graph_mapping.ts";
import {
  GRAPH_BATCH_LIMIT,
  type GraphChanges,
  type GraphContact,
  type GraphContactsPort,
  type GraphContactUpdate,
} from "../sync/ports.ts";

/** Which operation a fault is injected into. */
export type GraphOp = "read" | "find" | "create" | "update" | "delete";

/**
 * In-memory twin of one Outlook contact folder with Graph's preconditions: ≤ 20 items per batch,
 * 404 on missing ids, 412 on a stale `If-Match` change key, delta cursors that can expire (410),
 * immutable ids, PATCH semantics. Tests edit it as the user would and inject faults per item.
 */
export class GraphContactsMemory implements GraphContactsPort {
  #items = new Map<string, { contact: GraphContact; seq: number }>();
  #deleted = new Map<string, number>();
  /** When each id appeared: Graph never reports an item created and deleted again within a round. */
  #born = new Map<string, number>();
  #seq = 0;
  #ids = 0;
  #epoch = 0;
  /** Graph requests made (a `$batch` counts once). */
  requests = 0;
  /** Items our writes created, changed or deleted (user edits do not count). */
  writes = 0;
  /** Returns an error for one item of an operation, or undefined to let it through. */
  fault: (op: GraphOp, id: string | undefined) => ItemError | undefined = () => undefined;
  /** Runs after a write batch took effect; throw here to simulate the process dying (crash tests). */
  afterWrite: (op: GraphOp) => void = () => {};
  /** Real delta reads do not return extended properties; set to model an adapter that expands them. */
  stampsInReads = false;

  readChanges(cursor: string | undefined): Promise<GraphChanges> {
    this.requests++;
    const [epoch, seq] = (cursor ?? "").split(":").map(Number);
    if (cursor !== undefined && (epoch !== this.#epoch || seq === undefined || Number.isNaN(seq))) {
      return Promise.reject(new DeltaExpiredError());
    }
    const since = cursor === undefined ? -1 : seq!;
    const upserts = [...this.#items.values()].filter((e) => e.seq > since).map((e) => this.#read(e.contact));
    const removedIds = cursor === undefined
      ? []
      : [...this.#deleted].filter(([id, seq]) => seq > since && !this.#items.has(id) && this.#born.get(id)! <= since)
        .map(([id]) => id);
    return Promise.resolve({
      complete: cursor === undefined,
      upserts,
      removedIds,
      nextCursor: `${this.#epoch}:${this.#seq}`,
    });
  }

  locateByCrmIds(crmIds: readonly string[]): Promise<Map<string, GraphContact>> {
    // Like the adapter: one request per id for a few, one per 1,000 contacts for many.
    this.requests += crmIds.length <= 10 ? crmIds.length : Math.max(1, Math.ceil(this.#items.size / 1_000));
    const byStamp = new Map([...this.#items.values()].map((e) => [crmIdStampOf(e.contact), e.contact]));
    const found = new Map<string, GraphContact>();
    for (const crmId of crmIds) {
      const err = this.fault("find", crmId);
      if (err) return Promise.reject(new UpstreamError("graph_failed", `find failed: ${err.message}`));
      const hit = byStamp.get(crmId);
      if (hit) found.set(crmId, this.#read(hit));
    }
    return Promise.resolve(found);
  }

  createMany(bodies: readonly GraphContactBody[]): Promise<ItemResult<GraphContact>[]> {
    this.#batch(bodies.length);
    const results = bodies.map((body): ItemResult<GraphContact> => {
      const err = this.fault("create", undefined);
      if (err) return { ok: false, error: err };
      this.writes++;
      return { ok: true, value: this.userCreate(body) };
    });
    this.afterWrite("create");
    return Promise.resolve(results);
  }

  updateMany(items: readonly GraphContactUpdate[]): Promise<ItemResult<GraphContact>[]> {
    this.#batch(items.length);
    const results = items.map((u): ItemResult<GraphContact> => {
      const err = this.fault("update", u.id);
      if (err) return { ok: false, error: err };
      const e = this.#items.get(u.id);
      if (!e) return { ok: false, error: { kind: "gone", message: `contact ${u.id} not found` } };
      if (u.changeKey !== undefined && u.changeKey !== e.contact.changeKey) {
        return { ok: false, error: { kind: "conflict", message: "ErrorIrresolvableConflict" } };
      }
      this.writes++;
      return { ok: true, value: this.userUpdate(u.id, u.body) };
    });
    this.afterWrite("update");
    return Promise.resolve(results);
  }

  deleteMany(ids: readonly string[]): Promise<ItemResult<void>[]> {
    this.#batch(ids.length);
    const results = ids.map((id): ItemResult<void> => {
      const err = this.fault("delete", id);
      if (err) return { ok: false, error: err };
      if (!this.#items.has(id)) return { ok: false, error: { kind: "gone", message: `contact ${id} not found` } };
      this.userDelete(id);
      this.writes++;
      return { ok: true, value: undefined };
    });
    this.afterWrite("delete");
    return Promise.resolve(results);
  }

  /** The user (or Outlook) creates a contact; returns it as stored. */
  userCreate(body: GraphContactBody): GraphContact {
    const id = `AAMkAGI2${String(++this.#ids).padStart(6, "0")}=`;
    const contact = { ...structuredClone(body), id, changeKey: `ck-${id}-${++this.#seq}` };
    this.#items.set(id, { contact, seq: this.#seq });
    this.#born.set(id, this.#seq);
    return this.#read(contact, true);
  }

  /** The user edits a contact (PATCH: given properties replace, others stay). */
  userUpdate(id: string, patch: GraphContactBody): GraphContact {
    const e = this.#items.get(id);
    if (!e) throw new RangeError(`Cannot update contact '${id}': not found`);
    const stamp = patch.singleValueExtendedProperties ?? e.contact.singleValueExtendedProperties;
    const contact = {
      ...e.contact,
      ...structuredClone(patch),
      singleValueExtendedProperties: stamp,
      id,
      changeKey: `ck-${id}-${++this.#seq}`,
    };
    this.#items.set(id, { contact, seq: this.#seq });
    return this.#read(contact, true);
  }

  /** The user deletes a contact. */
  userDelete(id: string): void {
    if (!this.#items.delete(id)) throw new RangeError(`Cannot delete contact '${id}': not found`);
    this.#deleted.set(id, ++this.#seq);
  }

  /** Outlook gives a contact a new id (export/import, archive mailbox): the stamp survives (C8). */
  changeId(id: string): string {
    const e = this.#items.get(id);
    if (!e) throw new RangeError(`Cannot change id of '${id}': not found`);
    this.userDelete(id);
    const { id: _old, changeKey: _ck, ...body } = e.contact;
    return this.userCreate(body).id;
  }

  /** Every cursor handed out so far now answers 410 (Graph dropped its sync state). */
  expireCursors(): void {
    this.#epoch++;
  }

  /** The folder's contents, stamps included. */
  all(): GraphContact[] {
    return [...this.#items.values()].map((e) => this.#read(e.contact, true));
  }

  get(id: string): GraphContact | undefined {
    const e = this.#items.get(id);
    return e ? this.#read(e.contact, true) : undefined;
  }

  #batch(n: number): void {
    if (n > GRAPH_BATCH_LIMIT) {
      throw new RangeError(`Cannot batch ${n} requests: Graph $batch takes ${GRAPH_BATCH_LIMIT}`);
    }
    this.requests++;
  }

  #read(c: GraphContact, withStamp = this.stampsInReads): GraphContact {
    const copy = structuredClone(c);
    if (!withStamp) delete copy.singleValueExtendedProperties;
    else if (copy.singleValueExtendedProperties) {
      copy.singleValueExtendedProperties = copy.singleValueExtendedProperties.filter((p) =>
        p.id === CRM_ID_PROPERTY_ID
      );
    }
    return copy;
  }
}
