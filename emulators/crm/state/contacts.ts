import type { Appointment, Contact, ContactFields, ContactFieldsPatch, CrmEvent } from "@app/shared/contract";
import { ConflictError, NotFoundError } from "@app/shared/errors";
import { type Changed, events, freshId, isTaken, sameJson, type TenantData } from "./model.ts";
import { type Page, pageOf } from "./paging.ts";
import { throwIfIssues, unknownUsers } from "./references.ts";

/** A contact to create; `id` only when the caller (admin surface) wants a known one. */
export interface NewContact {
  id?: string;
  fields: ContactFields;
  syncUserIds: string[];
  archived?: boolean;
}

/** The live contact, or a {@link NotFoundError} (deleted ones included). */
export function liveContact(t: TenantData, id: string): Contact {
  const c = t.contacts.get(id);
  if (!c) throw new NotFoundError(`contact "${id}" not found in tenant "${t.tenant.id}"`);
  return c;
}

/** Refuses a write whose `expectedVersion` is not the record's version. */
export function checkVersion(kind: string, r: { id: string; version: number }, expected: number | undefined): void {
  if (expected !== undefined && expected !== r.version) {
    throw new ConflictError(
      "version_mismatch",
      `${kind} "${r.id}" is at version ${r.version}, not ${expected}`,
      { details: { currentVersion: r.version } },
    );
  }
}

/** Creates a contact at version 1. */
export function createContact(t: TenantData, input: NewContact, now: Date): Changed<Contact> {
  const syncUserIds = [...new Set(input.syncUserIds)];
  throwIfIssues(unknownUsers(t, syncUserIds, "syncUserIds"), "contact");
  if (input.id !== undefined && isTaken(t, input.id)) {
    throw new ConflictError("already_exists", `id "${input.id}" is already used in tenant "${t.tenant.id}"`);
  }
  const id = input.id ?? freshId(t, "con");
  const contact: Contact = {
    ...input.fields,
    id,
    tenantId: t.tenant.id,
    version: 1,
    archived: input.archived ?? false,
    syncUserIds,
    updatedAt: now.toISOString(),
  };
  t.contacts.set(id, contact);
  t.order.set(id, t.nextSeq++);
  return { value: contact, events: [events.contact("crm.contact.created", contact)] };
}

function replace(t: TenantData, next: Contact, now: Date): Contact {
  const c = { ...next, version: next.version + 1, updatedAt: now.toISOString() };
  t.contacts.set(c.id, c);
  return c;
}

/** Replaces the given fields; a patch that changes nothing keeps the version and publishes nothing. */
export function updateContact(
  t: TenantData,
  id: string,
  patch: ContactFieldsPatch,
  expectedVersion: number | undefined,
  now: Date,
): Changed<Contact> {
  const current = liveContact(t, id);
  checkVersion("contact", current, expectedVersion);
  const merged = { ...current, ...stripUndefined(patch) };
  if (sameJson(merged, current)) return { value: current, events: [] };
  const c = replace(t, merged, now);
  return { value: c, events: [events.contact("crm.contact.updated", c)] };
}

/** Archives (`crm.contact.archived`) or restores (`crm.contact.updated`) a contact. */
export function setContactArchived(
  t: TenantData,
  id: string,
  archived: boolean,
  expectedVersion: number | undefined,
  now: Date,
): Changed<Contact> {
  const current = liveContact(t, id);
  checkVersion("contact", current, expectedVersion);
  if (current.archived === archived) return { value: current, events: [] };
  const c = replace(t, { ...current, archived }, now);
  return { value: c, events: [events.contact(archived ? "crm.contact.archived" : "crm.contact.updated", c)] };
}

/** Sets or clears one user's sync flag on a contact (C3); the contact's version grows. */
export function setSyncFlag(t: TenantData, id: string, userId: string, enabled: boolean, now: Date): Changed<Contact> {
  const current = liveContact(t, id);
  throwIfIssues(unknownUsers(t, [userId], "userId").map((i) => ({ ...i, path: "userId" })), "sync flag");
  if (current.syncUserIds.includes(userId) === enabled) return { value: current, events: [] };
  const syncUserIds = enabled ? [...current.syncUserIds, userId] : current.syncUserIds.filter((u) => u !== userId);
  const c = replace(t, { ...current, syncUserIds }, now);
  return { value: c, events: [events.syncFlag(c, userId, enabled)] };
}

/**
 * Deletes a contact for good and unlinks it from appointments (each of those gets a new version).
 * Deleting a contact that is already gone answers `false` and publishes nothing.
 */
export function deleteContact(
  t: TenantData,
  id: string,
  expectedVersion: number | undefined,
  now: Date,
): Changed<boolean> {
  const current = t.contacts.get(id);
  if (!current) return { value: false, events: [] };
  checkVersion("contact", current, expectedVersion);
  t.contacts.delete(id);
  t.order.delete(id);
  t.tombstones.set(`contact:${id}`, current.version + 1);
  const out: CrmEvent[] = [events.contactDeleted(t.tenant.id, id, current.version + 1)];
  for (const a of t.appointments.values()) {
    if (!a.contacts.some((c) => c.contactId === id)) continue;
    const next: Appointment = {
      ...a,
      contacts: a.contacts.filter((c) => c.contactId !== id),
      version: a.version + 1,
      updatedAt: now.toISOString(),
    };
    t.appointments.set(a.id, next);
    out.push(events.appointment("crm.appointment.updated", next));
  }
  return { value: true, events: out };
}

/** Filters of a contact listing (C3): flagged for one user, archived ones only when asked. */
export interface ContactFilter {
  syncUserId?: string;
  includeArchived: boolean;
  cursor: string | null;
  limit: number;
}

/** A page of contacts in creation order. */
export function listContacts(t: TenantData, f: ContactFilter): Page<Contact> {
  return pageOf(t.contacts.values(), (id) => t.order.get(id) ?? 0, {
    cursor: f.cursor,
    limit: f.limit,
    keep: (c) =>
      (f.includeArchived || !c.archived) && (f.syncUserId === undefined || c.syncUserIds.includes(f.syncUserId)),
  });
}

/** The object without keys whose value is `undefined` (a patch's absent fields). */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
