import { chunk } from "@app/shared/sync";
import type { NatsConnection } from "@nats-io/nats-core";
import type { z } from "zod";
import {
  type Appointment,
  type AppointmentFields,
  type AppointmentFieldsPatch,
  AppointmentPageSchema,
  AppointmentReplySchema,
  AppointmentsReplySchema,
  ContactReplySchema,
  type CrmGroup,
  type CrmUser,
  DeletedReplySchema,
  GET_MANY_LIMIT,
  GroupListSchema,
  type ListAppointmentsRequestSchema,
  UserListSchema,
} from "@app/shared/contract";
import { NotFoundError } from "@app/shared/errors";
import { callRpc, type NatsCatalog } from "@app/shared/nats";

/** One CRM write: every write carries the engine's idempotency key (same key, same effect). */
interface Write {
  idempotencyKey: string;
}

/**
 * The tenant's CRM appointments, users and groups over the NATS contract (`crm.rpc.*`,
 * docs/crm-contract.md). Replies are zod-parsed by `callRpc`; CRM error codes arrive as typed
 * errors (`ConflictError` for `version_mismatch` and `participant_via_group`, `NotFoundError`,
 * `RetryableError`); a malformed reply is an error, never an empty list.
 */
export class CrmAppointmentsNats {
  constructor(
    private readonly nc: NatsConnection,
    private readonly catalog: NatsCatalog,
    private readonly tenantId: string,
    private readonly options: { pageSize?: number; timeoutMs?: number } = {},
  ) {}

  get #rpc() {
    return this.catalog.subjects.crm.rpc;
  }

  get #timeout() {
    return { timeoutMs: this.options.timeoutMs ?? 10_000 };
  }

  /** Every appointment `userId` takes part in (organizer, participant or group member) meeting the window (E3). */
  async list(userId: string, window: { from: string; to: string }): Promise<Appointment[]> {
    const out: Appointment[] = [];
    let cursor: string | null = null;
    do {
      const req: z.input<typeof ListAppointmentsRequestSchema> = {
        tenantId: this.tenantId,
        cursor,
        limit: this.options.pageSize ?? 1_000,
        userId,
        from: window.from,
        to: window.to,
      };
      const page = await callRpc(this.nc, this.#rpc.appointmentsList, req, AppointmentPageSchema, this.#timeout);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  /**
   * The appointments that still exist among `ids` (cancelled ones included); missing ones were
   * deleted in the CRM. One `crm.rpc.appointments.get_many` per {@link GET_MANY_LIMIT} ids (P8).
   */
  async getMany(ids: readonly string[]): Promise<Appointment[]> {
    const out: Appointment[] = [];
    for (const slice of chunk([...new Set(ids)], GET_MANY_LIMIT)) {
      const req = { tenantId: this.tenantId, ids: slice };
      const r = await callRpc(this.nc, this.#rpc.appointmentsGetMany, req, AppointmentsReplySchema, this.#timeout);
      out.push(...r.items);
    }
    return out;
  }

  /** Creates an appointment once per idempotency key. */
  async create(req: Write & { fields: AppointmentFields }): Promise<Appointment> {
    const body = { tenantId: this.tenantId, idempotencyKey: req.idempotencyKey, fields: req.fields };
    return (await callRpc(this.nc, this.#rpc.appointmentCreate, body, AppointmentReplySchema, this.#timeout))
      .appointment;
  }

  /** Replaces the given fields; refused (`ConflictError`) when `expectedVersion` is stale. */
  async update(
    req: Write & { appointmentId: string; expectedVersion?: number; fields: AppointmentFieldsPatch },
  ): Promise<Appointment> {
    const body = { tenantId: this.tenantId, ...req };
    return (await callRpc(this.nc, this.#rpc.appointmentUpdate, body, AppointmentReplySchema, this.#timeout))
      .appointment;
  }

  /** Cancels (an Outlook delete or cancel by the organizer or sole participant, E6). */
  async cancel(req: Write & { appointmentId: string; expectedVersion?: number }): Promise<Appointment> {
    const body = { tenantId: this.tenantId, ...req };
    return (await callRpc(this.nc, this.#rpc.appointmentCancel, body, AppointmentReplySchema, this.#timeout))
      .appointment;
  }

  /** One of several participants left in Outlook (E6). */
  async removeParticipant(
    req: Write & { appointmentId: string; userId: string; expectedVersion?: number },
  ): Promise<Appointment> {
    const body = { tenantId: this.tenantId, ...req };
    return (await callRpc(
      this.nc,
      this.#rpc.appointmentRemoveParticipant,
      body,
      AppointmentReplySchema,
      this.#timeout,
    )).appointment;
  }

  /**
   * Adds a user as a participant (E12: a linked colleague's attendee copy of the same meeting). The
   * contract has no dedicated call: the current list is read and replaced at that version; a user
   * already taking part changes nothing.
   */
  async addParticipant(req: Write & { appointmentId: string; userId: string }): Promise<Appointment> {
    const [current] = await this.getMany([req.appointmentId]);
    if (!current) throw new NotFoundError(`appointment ${req.appointmentId} is gone`);
    if (current.organizerId === req.userId || current.participantIds.includes(req.userId)) return current;
    return await this.update({
      idempotencyKey: req.idempotencyKey,
      appointmentId: req.appointmentId,
      expectedVersion: current.version,
      fields: { participantIds: [...current.participantIds, req.userId] },
    });
  }

  /** Deletes (duplicate resolution only, D2); `false` when it was already gone. */
  async delete(req: Write & { appointmentId: string; expectedVersion?: number }): Promise<boolean> {
    const body = { tenantId: this.tenantId, ...req };
    return (await callRpc(this.nc, this.#rpc.appointmentDelete, body, DeletedReplySchema, this.#timeout)).deleted;
  }

  /** Names and e-mails of linked contacts, for the body block or attendees (E9); deleted ones are absent. */
  async contacts(ids: readonly string[]): Promise<Map<string, { name: string; email?: string }>> {
    const out = new Map<string, { name: string; email?: string }>();
    for (const contactId of new Set(ids)) {
      try {
        const { contact } = await callRpc(
          this.nc,
          this.#rpc.contactGet,
          { tenantId: this.tenantId, contactId },
          ContactReplySchema,
          this.#timeout,
        );
        const name = [contact.givenName, contact.familyName].filter(Boolean).join(" ") || contact.id;
        const email = contact.emails[0]?.address;
        out.set(contactId, email ? { name, email } : { name });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return out;
  }

  /** The tenant's users (linked colleagues are found among them, E12). */
  async users(): Promise<CrmUser[]> {
    return (await callRpc(this.nc, this.#rpc.usersList, { tenantId: this.tenantId }, UserListSchema, this.#timeout))
      .items;
  }

  /** The tenant's groups with their members (E4). */
  async groups(): Promise<CrmGroup[]> {
    return (await callRpc(this.nc, this.#rpc.groupsList, { tenantId: this.tenantId }, GroupListSchema, this.#timeout))
      .items;
  }
}
