import { type AppError, ConflictError } from "@app/shared/errors";
import type { ContactLink, CursorState, LinkStorePort } from "../sync/ports.ts";

/**
 * In-memory twin of one user's link store: rows unique by id, CRM id and Graph id (a breach throws
 * `ConflictError` and writes nothing, as the real unique indexes and transaction do).
 */
export class LinkStoreMemory implements LinkStorePort {
  #rows = new Map<string, ContactLink>();
  #cursor: string | undefined;
  #created: string[] = [];
  /** The folder the stored cursor belongs to; tests change it to model a newly chosen folder. */
  cursorFolder = "f1";
  folder = "f1";
  /** Row writes made (cursor writes are counted apart: a run after our own writes reads their echoes and moves it). */
  writes = 0;
  cursorWrites = 0;
  /** Returns an error to throw before a write, or undefined to let it through. */
  fault: (op: "upsert" | "delete" | "cursor") => AppError | Error | undefined = () => undefined;

  list(): Promise<ContactLink[]> {
    return Promise.resolve([...this.#rows.values()].map((r) => structuredClone(r)));
  }

  involved(q: { crmIds: readonly string[]; graphIds: readonly string[] }): Promise<ContactLink[]> {
    const crm = new Set(q.crmIds), graph = new Set(q.graphIds);
    return Promise.resolve(
      [...this.#rows.values()].filter((r) =>
        (r.crmId !== null && crm.has(r.crmId)) || (r.graphId !== null && graph.has(r.graphId)) ||
        (r.state !== "synced" && r.state !== "held") || r.lastError !== null || r.pendingOutlook !== null
      ).map((r) => structuredClone(r)),
    );
  }

  unsynced(): Promise<ContactLink[]> {
    return Promise.resolve([...this.#rows.values()].filter((r) => r.state !== "synced").map((r) => structuredClone(r)));
  }

  linkedCrmIds(): Promise<Set<string>> {
    return Promise.resolve(new Set([...this.#rows.values()].flatMap((r) => r.crmId === null ? [] : [r.crmId])));
  }

  countSynced(): Promise<number> {
    return Promise.resolve([...this.#rows.values()].filter((r) => r.state === "synced").length);
  }

  getByCrmId(crmId: string): Promise<ContactLink | undefined> {
    return Promise.resolve(this.#find((r) => r.crmId === crmId));
  }

  getByGraphId(graphId: string): Promise<ContactLink | undefined> {
    return Promise.resolve(this.#find((r) => r.graphId === graphId));
  }

  upsertMany(links: readonly ContactLink[]): Promise<void> {
    const err = this.fault("upsert");
    if (err) return Promise.reject(err);
    const next = new Map(this.#rows);
    for (const l of links) next.set(l.id, structuredClone(l));
    const crm = new Set<string>(), graph = new Set<string>();
    for (const r of next.values()) {
      if (r.crmId !== null && crm.has(r.crmId)) return Promise.reject(dup("crm", r.crmId));
      if (r.graphId !== null && graph.has(r.graphId)) return Promise.reject(dup("graph", r.graphId));
      if (r.crmId !== null) crm.add(r.crmId);
      if (r.graphId !== null) graph.add(r.graphId);
    }
    this.#rows = next;
    this.writes += links.length;
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    const err = this.fault("delete");
    if (err) return Promise.reject(err);
    if (this.#rows.delete(id)) this.writes++;
    return Promise.resolve();
  }

  getCursor(): Promise<CursorState> {
    const mine = this.#cursor !== undefined && this.cursorFolder === this.folder;
    return Promise.resolve({
      cursor: mine ? this.#cursor : undefined,
      otherFolder: this.#cursor !== undefined && !mine,
      created: mine ? [...this.#created] : [],
    });
  }

  setCursor(cursor: string, created: readonly string[]): Promise<void> {
    const err = this.fault("cursor");
    if (err) return Promise.reject(err);
    if (cursor !== this.#cursor || this.cursorFolder !== this.folder) this.cursorWrites++;
    this.#cursor = cursor;
    this.cursorFolder = this.folder;
    this.#created = [...created];
    return Promise.resolve();
  }

  addCreated(created: readonly string[]): Promise<void> {
    this.#created.push(...created);
    return Promise.resolve();
  }

  #find(pred: (r: ContactLink) => boolean): ContactLink | undefined {
    for (const r of this.#rows.values()) if (pred(r)) return structuredClone(r);
    return undefined;
  }
}

function dup(side: string, id: string): ConflictError {
  return new ConflictError("link_not_unique", `another link already holds ${side} id ${id}`);
}
