import {
  type Appointment,
  type Contact,
  type CrmEvent,
  type CrmGroup,
  type CrmUser,
  makeEnvelope,
} from "@app/shared/contract";

/** A tenant as the simulator keeps it (the CRM's own view: no sync settings here). */
export interface SimTenant {
  id: string;
  name: string;
  createdAt: string;
}

/** A group with the version its membership events carry. */
export interface StoredGroup {
  group: CrmGroup;
  version: number;
}

/** The first successful reply to an idempotent write, kept to answer its retries. */
export interface IdempotencyRecord {
  rpc: string;
  fingerprint: string;
  reply: unknown;
  at: string;
}

/** A merge as the CRM keeps it: every record as it was before, and what the merge relinked. */
export interface MergeRecord {
  id: string;
  kind: "contact" | "appointment";
  survivorBefore: Contact | Appointment;
  losersBefore: Array<Contact | Appointment>;
  /** Contact merges: appointments whose link to a loser now points at the survivor. */
  relinked: Array<{ appointmentId: string; loserId: string; hadSurvivor: boolean }>;
  at: string;
  undone: boolean;
}

/** Everything one tenant holds. Records are replaced, never mutated, so replies can be kept as they are. */
export interface TenantData {
  tenant: SimTenant;
  users: Map<string, CrmUser>;
  groups: Map<string, StoredGroup>;
  /** In creation order, which paging relies on. */
  contacts: Map<string, Contact>;
  appointments: Map<string, Appointment>;
  /** Creation sequence of each live record, for stable cursors. */
  order: Map<string, number>;
  /** Last version of deleted records (`contact:<id>`); ids are never reused. */
  tombstones: Map<string, number>;
  idempotency: Map<string, IdempotencyRecord>;
  /** Duplicate merges (D2), kept so that each can be undone (D3). */
  merges: Map<string, MergeRecord>;
  nextSeq: number;
  nextId: number;
}

/** Catalogue keys of the event subjects (`natsCatalog().subjects.crm.*`). */
export type CrmEventKey =
  | "contactCreated"
  | "contactUpdated"
  | "contactArchived"
  | "contactDeleted"
  | "contactSyncFlagChanged"
  | "appointmentCreated"
  | "appointmentUpdated"
  | "appointmentDeleted"
  | "groupMembershipChanged";

/** Which catalogue subject each event type is published on. */
export const EVENT_SUBJECT_KEY: Record<CrmEvent["type"], CrmEventKey> = {
  "crm.contact.created": "contactCreated",
  "crm.contact.updated": "contactUpdated",
  "crm.contact.archived": "contactArchived",
  "crm.contact.deleted": "contactDeleted",
  "crm.contact.sync_flag_changed": "contactSyncFlagChanged",
  "crm.appointment.created": "appointmentCreated",
  "crm.appointment.updated": "appointmentUpdated",
  "crm.appointment.deleted": "appointmentDeleted",
  "crm.group.membership_changed": "groupMembershipChanged",
};

/** A state change and the result it returns; `events` are published after the change, in order. */
export interface Changed<T> {
  value: T;
  events: CrmEvent[];
}

/** Builders of the versioned event envelopes, one per change. */
export const events = {
  contact(type: "crm.contact.created" | "crm.contact.updated" | "crm.contact.archived", c: Contact): CrmEvent {
    return makeEnvelope(type, 1, c.tenantId, { contact: c });
  },
  contactDeleted(tenantId: string, contactId: string, version: number): CrmEvent {
    return makeEnvelope("crm.contact.deleted", 1, tenantId, { contactId, version });
  },
  syncFlag(c: Contact, userId: string, enabled: boolean): CrmEvent {
    return makeEnvelope("crm.contact.sync_flag_changed", 1, c.tenantId, {
      contactId: c.id,
      userId,
      enabled,
      version: c.version,
    });
  },
  appointment(type: "crm.appointment.created" | "crm.appointment.updated", a: Appointment): CrmEvent {
    return makeEnvelope(type, 1, a.tenantId, { appointment: a });
  },
  appointmentDeleted(tenantId: string, appointmentId: string, version: number): CrmEvent {
    return makeEnvelope("crm.appointment.deleted", 1, tenantId, { appointmentId, version });
  },
  membership(g: StoredGroup): CrmEvent {
    return makeEnvelope("crm.group.membership_changed", 1, g.group.tenantId, {
      groupId: g.group.id,
      memberIds: g.group.memberIds,
      version: g.version,
    });
  },
};

/** An empty tenant. */
export function newTenantData(tenant: SimTenant): TenantData {
  return {
    tenant,
    users: new Map(),
    groups: new Map(),
    contacts: new Map(),
    appointments: new Map(),
    order: new Map(),
    tombstones: new Map(),
    idempotency: new Map(),
    merges: new Map(),
    nextSeq: 1,
    nextId: 1,
  };
}

/** A fresh id with the given prefix that no live or deleted record of the tenant has. */
export function freshId(t: TenantData, prefix: string): string {
  while (true) {
    const id = `${prefix}-${t.nextId++}`;
    if (!isTaken(t, id)) return id;
  }
}

/** True when a live or deleted record (of any kind) already has this id. */
export function isTaken(t: TenantData, id: string): boolean {
  return t.users.has(id) || t.groups.has(id) || t.contacts.has(id) || t.appointments.has(id) ||
    t.tombstones.has(`contact:${id}`) || t.tombstones.has(`appointment:${id}`);
}

/** Structural equality of JSON-like values (records compare field by field). */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

/** JSON with object keys sorted, so equal values always give equal strings. */
export function stableStringify(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, value) =>
      value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value,
  );
}
