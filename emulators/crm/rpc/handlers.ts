import type { crmRpc, CrmRpcName } from "@app/shared/contract";
import type { z } from "zod";
import type { CrmSimulatorState } from "../core.ts";
import {
  cancelAppointment,
  createAppointment,
  deleteAppointment,
  listAppointments,
  liveAppointment,
  removeParticipant,
  updateAppointment,
} from "../state/appointments.ts";
import {
  createContact,
  deleteContact,
  listContacts,
  liveContact,
  setContactArchived,
  updateContact,
} from "../state/contacts.ts";
import { runIdempotent } from "../state/idempotency.ts";
import { mergeAppointments, mergeContacts, unmergeAppointments, unmergeContacts } from "../state/merges.ts";
import type { Changed, TenantData } from "../state/model.ts";

type Req<K extends CrmRpcName> = z.output<(typeof crmRpc)[K]["request"]>;
type Rep<K extends CrmRpcName> = z.output<(typeof crmRpc)[K]["reply"]>;

/** What a handler tells the serve loop about the call, for the request log. */
export interface CallNotes {
  replayed: boolean;
  recordId?: string;
}

/** One handler per `crm.rpc.*` subject, fed the parsed request. */
export type CrmRpcHandlers = { [K in CrmRpcName]: (req: Req<K>, notes: CallNotes) => Promise<Rep<K>> };

/** The CRM side of every request/reply subject, over the simulator's state. */
export function crmRpcHandlers(state: CrmSimulatorState): CrmRpcHandlers {
  const store = state.store;

  // Writes run once per idempotency key; their events are in the stream before the reply goes out.
  async function write<T>(
    rpc: CrmRpcName,
    req: { tenantId: string; idempotencyKey: string },
    notes: CallNotes,
    apply: (t: TenantData, now: Date) => Changed<T>,
  ): Promise<T> {
    const t = store.tenant(req.tenantId);
    const now = store.now();
    const r = runIdempotent(t, rpc, req, () => apply(t, now), now);
    notes.replayed = r.replayed;
    return await state.commit(r);
  }

  return {
    contactsList: (req) => Promise.resolve(listContacts(store.tenant(req.tenantId), req)),
    contactGet: (req) => Promise.resolve({ contact: liveContact(store.tenant(req.tenantId), req.contactId) }),
    contactsGetMany: (req) => {
      const t = store.tenant(req.tenantId);
      return Promise.resolve(getMany(req.ids, (id) => t.contacts.get(id)));
    },
    contactCreate: async (req, notes) => {
      const contact = await write(
        "contactCreate",
        req,
        notes,
        (t, now) => createContact(t, { fields: req.fields, syncUserIds: req.syncUserIds }, now),
      );
      notes.recordId = contact.id;
      return { contact };
    },
    contactUpdate: async (req, notes) => ({
      contact: await write(
        "contactUpdate",
        req,
        notes,
        (t, now) => updateContact(t, req.contactId, req.fields, req.expectedVersion, now),
      ),
    }),
    contactArchive: async (req, notes) => ({
      contact: await write(
        "contactArchive",
        req,
        notes,
        (t, now) => setContactArchived(t, req.contactId, true, req.expectedVersion, now),
      ),
    }),
    contactDelete: async (req, notes) => ({
      deleted: await write(
        "contactDelete",
        req,
        notes,
        (t, now) => deleteContact(t, req.contactId, req.expectedVersion, now),
      ),
    }),
    appointmentsList: (req) => Promise.resolve(listAppointments(store.tenant(req.tenantId), req)),
    appointmentGet: (req) =>
      Promise.resolve({ appointment: liveAppointment(store.tenant(req.tenantId), req.appointmentId) }),
    appointmentsGetMany: (req) => {
      const t = store.tenant(req.tenantId);
      return Promise.resolve(getMany(req.ids, (id) => t.appointments.get(id)));
    },
    appointmentCreate: async (req, notes) => {
      const appointment = await write(
        "appointmentCreate",
        req,
        notes,
        (t, now) => createAppointment(t, { fields: req.fields }, "fields", now),
      );
      notes.recordId = appointment.id;
      return { appointment };
    },
    appointmentUpdate: async (req, notes) => ({
      appointment: await write(
        "appointmentUpdate",
        req,
        notes,
        (t, now) => updateAppointment(t, req.appointmentId, req.fields, req.expectedVersion, "fields", now),
      ),
    }),
    appointmentCancel: async (req, notes) => ({
      appointment: await write(
        "appointmentCancel",
        req,
        notes,
        (t, now) => cancelAppointment(t, req.appointmentId, req.expectedVersion, now),
      ),
    }),
    appointmentRemoveParticipant: async (req, notes) => ({
      appointment: await write(
        "appointmentRemoveParticipant",
        req,
        notes,
        (t, now) => removeParticipant(t, req.appointmentId, req.userId, req.expectedVersion, now),
      ),
    }),
    appointmentDelete: async (req, notes) => ({
      deleted: await write(
        "appointmentDelete",
        req,
        notes,
        (t) => deleteAppointment(t, req.appointmentId, req.expectedVersion),
      ),
    }),
    usersList: (req) => Promise.resolve({ items: [...store.tenant(req.tenantId).users.values()] }),
    groupsList: (req) =>
      Promise.resolve({ items: [...store.tenant(req.tenantId).groups.values()].map((g) => g.group) }),
    contactsMerge: (req, notes) => write("contactsMerge", req, notes, (t, now) => mergeContacts(t, req, now)),
    contactsUnmerge: (req, notes) => write("contactsUnmerge", req, notes, (t, now) => unmergeContacts(t, req, now)),
    appointmentsMerge: (req, notes) =>
      write("appointmentsMerge", req, notes, (t, now) => mergeAppointments(t, req, now)),
    appointmentsUnmerge: (req, notes) =>
      write("appointmentsUnmerge", req, notes, (t, now) => unmergeAppointments(t, req, now)),
  };
}

/** A batch get: the records found, in request order (each id once), and the ids that are not. */
function getMany<T>(ids: readonly string[], get: (id: string) => T | undefined): { items: T[]; notFound: string[] } {
  const items: T[] = [];
  const notFound: string[] = [];
  for (const id of new Set(ids)) {
    const r = get(id);
    if (r === undefined) notFound.push(id);
    else items.push(r);
  }
  return { items, notFound };
}
