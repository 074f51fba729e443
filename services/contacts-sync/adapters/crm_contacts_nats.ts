import { chunk } from "@app/shared/sync";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  type Contact,
  ContactPageSchema,
  ContactReplySchema,
  ContactsReplySchema,
  GET_MANY_LIMIT,
  type ListContactsRequestSchema,
} from "@app/shared/contract";
import { callRpc, type NatsCatalog } from "@app/shared/nats";
import type { z } from "zod";
import type { CrmContactsPort, CrmCreateRequest, CrmUpdateRequest } from "../sync/ports.ts";

/**
 * The tenant's CRM contacts over the NATS contract (`crm.rpc.*`, docs/crm-contract.md). Every
 * write carries the engine's idempotency key; errors arrive as typed errors (conflict, not found,
 * retryable), a malformed reply is an error, never an empty list.
 */
export class CrmContactsNats implements CrmContactsPort {
  constructor(
    private readonly nc: NatsConnection,
    private readonly catalog: NatsCatalog,
    private readonly tenantId: string,
    private readonly options: { pageSize?: number; timeoutMs?: number } = {},
  ) {}

  get #rpc() {
    return this.catalog.subjects.crm.rpc;
  }

  async listInScope(userId: string): Promise<Contact[]> {
    const out: Contact[] = [];
    let cursor: string | null = null;
    do {
      const req: z.input<typeof ListContactsRequestSchema> = {
        tenantId: this.tenantId,
        cursor,
        limit: this.options.pageSize ?? 500,
        syncUserId: userId,
        includeArchived: false,
      };
      const page = await callRpc(this.nc, this.#rpc.contactsList, req, ContactPageSchema, this.#timeout);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  /** One `crm.rpc.contacts.get_many` per {@link GET_MANY_LIMIT} ids (P8); ids not found were deleted. */
  async getMany(ids: readonly string[]): Promise<Contact[]> {
    const out: Contact[] = [];
    for (const slice of chunk([...new Set(ids)], GET_MANY_LIMIT)) {
      const req = { tenantId: this.tenantId, ids: slice };
      const r = await callRpc(this.nc, this.#rpc.contactsGetMany, req, ContactsReplySchema, this.#timeout);
      out.push(...r.items);
    }
    return out;
  }

  async create(req: CrmCreateRequest): Promise<Contact> {
    const body = {
      tenantId: this.tenantId,
      idempotencyKey: req.idempotencyKey,
      fields: req.fields,
      syncUserIds: req.syncUserIds,
    };
    return (await callRpc(this.nc, this.#rpc.contactCreate, body, ContactReplySchema, this.#timeout)).contact;
  }

  async update(req: CrmUpdateRequest): Promise<Contact> {
    const body = {
      tenantId: this.tenantId,
      idempotencyKey: req.idempotencyKey,
      contactId: req.contactId,
      expectedVersion: req.expectedVersion,
      fields: req.fields,
    };
    return (await callRpc(this.nc, this.#rpc.contactUpdate, body, ContactReplySchema, this.#timeout)).contact;
  }

  async archive(req: { contactId: string; idempotencyKey: string }): Promise<Contact> {
    const body = { tenantId: this.tenantId, idempotencyKey: req.idempotencyKey, contactId: req.contactId };
    return (await callRpc(this.nc, this.#rpc.contactArchive, body, ContactReplySchema, this.#timeout)).contact;
  }

  get #timeout() {
    return { timeoutMs: this.options.timeoutMs ?? 10_000 };
  }
}
