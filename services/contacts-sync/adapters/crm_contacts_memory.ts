import type { Contact, ContactFields } from "@app/shared/contract";
import { type AppError, ConflictError, NotFoundError } from "@app/shared/errors";
import type { CrmContactsPort, CrmCreateRequest, CrmUpdateRequest } from "../sync/ports.ts";

/** Which operation a fault is injected into. */
export type CrmOp = "list" | "get" | "create" | "update" | "archive";

/**
 * In-memory twin of the CRM's contact contract with its preconditions: idempotency keys (a retried
 * write acts once and answers the same), `expectedVersion` (stale → `ConflictError`), 404 on
 * missing ids, versions that grow with every change. Tests edit it as CRM users would.
 */
export class CrmContactsMemory implements CrmContactsPort {
  #contacts = new Map<string, Contact>();
  #done = new Map<string, string>();
  #ids = 0;
  /** Writes that took effect (retries answered from the idempotency memory do not count). */
  writes = 0;
  /** Returns an error to throw for an operation on a contact, or undefined to let it through. */
  fault: (op: CrmOp, id: string | undefined) => AppError | undefined = () => undefined;
  /** Runs after a write took effect; throw here to simulate the process dying (crash tests). */
  afterWrite: (op: CrmOp) => void = () => {};

  constructor(readonly tenantId: string = "t1", readonly now: () => string = () => new Date(0).toISOString()) {}

  listInScope(userId: string): Promise<Contact[]> {
    return this.#guard(
      "list",
      undefined,
      () => [...this.#contacts.values()].filter((c) => !c.archived && c.syncUserIds.includes(userId)).map(clone),
    );
  }

  getMany(ids: readonly string[]): Promise<Contact[]> {
    return this.#guard("get", undefined, () => ids.flatMap((id) => this.#contacts.has(id) ? [this.get(id)!] : []));
  }

  create(req: CrmCreateRequest): Promise<Contact> {
    return this.#guard("create", undefined, () => {
      const done = this.#done.get(req.idempotencyKey);
      if (done !== undefined) return this.#existing(done);
      const c = this.add(req.fields, req.syncUserIds);
      this.#done.set(req.idempotencyKey, c.id);
      this.afterWrite("create");
      return c;
    });
  }

  update(req: CrmUpdateRequest): Promise<Contact> {
    return this.#guard("update", req.contactId, () => {
      const done = this.#done.get(req.idempotencyKey);
      if (done !== undefined) return this.#existing(done);
      const c = this.#contacts.get(req.contactId);
      if (!c) throw new NotFoundError(`contact ${req.contactId} not found`);
      if (c.version !== req.expectedVersion) {
        throw new ConflictError("version_conflict", `contact ${c.id} is at version ${c.version}`);
      }
      const out = this.edit(req.contactId, req.fields);
      this.#done.set(req.idempotencyKey, out.id);
      this.afterWrite("update");
      return out;
    });
  }

  archive(req: { contactId: string; idempotencyKey: string }): Promise<Contact> {
    return this.#guard("archive", req.contactId, () => {
      const c = this.#contacts.get(req.contactId);
      if (!c) throw new NotFoundError(`contact ${req.contactId} not found`);
      if (c.archived || this.#done.has(req.idempotencyKey)) return clone(c);
      const out = this.#change(c.id, { archived: true });
      this.#done.set(req.idempotencyKey, c.id);
      this.afterWrite("archive");
      return out;
    });
  }

  /** A CRM user creates a contact, flagged for `syncUserIds`. */
  add(fields: ContactFields, syncUserIds: string[] = []): Contact {
    const c: Contact = {
      ...structuredClone(fields),
      id: `c${++this.#ids}`,
      tenantId: this.tenantId,
      version: 1,
      archived: false,
      syncUserIds: [...syncUserIds],
      updatedAt: this.now(),
    };
    this.#contacts.set(c.id, c);
    this.writes++;
    return clone(c);
  }

  /** A CRM user edits fields. */
  edit(id: string, fields: Partial<ContactFields>): Contact {
    return this.#change(id, structuredClone(fields));
  }

  /** A CRM user archives or restores a contact. */
  setArchived(id: string, archived: boolean): Contact {
    return this.#change(id, { archived });
  }

  /** A CRM user sets or clears one user's sync flag (C3). */
  setFlag(id: string, userId: string, on: boolean): Contact {
    const c = this.#must(id);
    const others = c.syncUserIds.filter((u) => u !== userId);
    return this.#change(id, { syncUserIds: on ? [...others, userId] : others });
  }

  /** A CRM user deletes a contact. */
  remove(id: string): void {
    this.#must(id);
    this.#contacts.delete(id);
    this.writes++;
  }

  get(id: string): Contact | undefined {
    const c = this.#contacts.get(id);
    return c ? clone(c) : undefined;
  }

  all(): Contact[] {
    return [...this.#contacts.values()].map(clone);
  }

  #existing(id: string): Contact {
    const c = this.#contacts.get(id);
    if (!c) throw new NotFoundError(`contact ${id} not found`);
    return clone(c);
  }

  #change(id: string, patch: Partial<Contact>): Contact {
    const c = { ...this.#must(id), ...patch };
    c.version++;
    c.updatedAt = this.now();
    this.#contacts.set(id, c);
    this.writes++;
    return clone(c);
  }

  #must(id: string): Contact {
    const c = this.#contacts.get(id);
    if (!c) throw new RangeError(`Cannot change contact '${id}': not found`);
    return c;
  }

  #guard<T>(op: CrmOp, id: string | undefined, fn: () => T): Promise<T> {
    const err = this.fault(op, id);
    if (err) return Promise.reject(err);
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

function clone(c: Contact): Contact {
  return structuredClone(c);
}
