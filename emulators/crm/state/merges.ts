// Duplicate merges (D2) and their undo (D3), each one change: every record involved is checked
// before anything is written, so a refused merge changes nothing.
import {
  type Appointment,
  type AppointmentFields,
  AppointmentFieldsSchema,
  type Contact,
  type ContactFields,
  ContactFieldsSchema,
  type CrmEvent,
  type MergeAppointmentsRequest,
  type MergeContactsRequest,
} from "@app/shared/contract";
import { ConflictError, NotFoundError, ValidationError } from "@app/shared/errors";
import { liveAppointment, updateAppointment } from "./appointments.ts";
import { checkVersion, liveContact } from "./contacts.ts";
import { type Changed, events, freshId, type MergeRecord, type TenantData } from "./model.ts";

type MergedContacts = { mergeId: string; survivor: Contact; losers: Contact[] };

function distinctLosers(survivorId: string, loserIds: string[]): void {
  const issues = loserIds.flatMap((id, i) =>
    id === survivorId || loserIds.indexOf(id) !== i
      ? [{ path: `losers.${i}`, message: id === survivorId ? "is the survivor" : "named twice" }]
      : []
  );
  if (issues.length) throw new ValidationError(`invalid merge: ${issues.map((x) => x.path).join(", ")}`, issues);
}

function contactFields(c: Contact): ContactFields {
  return ContactFieldsSchema.parse(c);
}

function replaceContact(t: TenantData, next: Contact, now: Date): Contact {
  const c = { ...next, version: next.version + 1, updatedAt: now.toISOString() };
  t.contacts.set(c.id, c);
  return c;
}

/** Merges contacts into the survivor: its fields, everyone's sync flags; losers archived; appointments relinked. */
export function mergeContacts(t: TenantData, req: MergeContactsRequest, now: Date): Changed<MergedContacts> {
  distinctLosers(req.survivorId, req.losers.map((l) => l.contactId));
  const survivor = liveContact(t, req.survivorId);
  checkVersion("contact", survivor, req.expectedVersion);
  const losers = req.losers.map((l) => {
    const c = liveContact(t, l.contactId);
    checkVersion("contact", c, l.expectedVersion);
    return c;
  });
  const loserIds = new Set(losers.map((c) => c.id));
  const syncUserIds = [...new Set([survivor, ...losers].flatMap((c) => c.syncUserIds))];
  const out: CrmEvent[] = [];
  const merged = replaceContact(t, { ...survivor, ...req.fields, syncUserIds, archived: false }, now);
  out.push(events.contact("crm.contact.updated", merged));
  const archived = losers.map((c) => {
    const a = c.archived ? c : replaceContact(t, { ...c, archived: true }, now);
    if (a !== c) out.push(events.contact("crm.contact.archived", a));
    return a;
  });
  const relinked: MergeRecord["relinked"] = [];
  for (const a of t.appointments.values()) {
    const hit = a.contacts.find((c) => loserIds.has(c.contactId));
    if (!hit) continue;
    const hadSurvivor = a.contacts.some((c) => c.contactId === survivor.id);
    const contacts = hadSurvivor
      ? a.contacts.filter((c) => !loserIds.has(c.contactId))
      : a.contacts.flatMap((c) =>
        c === hit ? [{ ...c, contactId: survivor.id }] : loserIds.has(c.contactId) ? [] : [c]
      );
    for (const c of a.contacts) {
      if (loserIds.has(c.contactId)) relinked.push({ appointmentId: a.id, loserId: c.contactId, hadSurvivor });
    }
    const next: Appointment = { ...a, contacts, version: a.version + 1, updatedAt: now.toISOString() };
    t.appointments.set(a.id, next);
    out.push(events.appointment("crm.appointment.updated", next));
  }
  const mergeId = freshId(t, "merge");
  t.merges.set(mergeId, {
    id: mergeId,
    kind: "contact",
    survivorBefore: survivor,
    losersBefore: losers,
    relinked,
    at: now.toISOString(),
    undone: false,
  });
  return { value: { mergeId, survivor: merged, losers: archived }, events: out };
}

function merge(t: TenantData, mergeId: string, kind: MergeRecord["kind"]): MergeRecord {
  const m = t.merges.get(mergeId);
  if (!m || m.kind !== kind) throw new NotFoundError(`${kind} merge "${mergeId}" not found in tenant "${t.tenant.id}"`);
  return m;
}

/** Undoes a contact merge: survivor and losers as they were, appointments linked to their loser again. */
export function unmergeContacts(
  t: TenantData,
  req: { mergeId: string; expectedSurvivorVersion?: number },
  now: Date,
): Changed<{ survivor: Contact; restored: Contact[] }> {
  const m = merge(t, req.mergeId, "contact");
  const before = m.survivorBefore as Contact;
  const survivor = liveContact(t, before.id);
  const losersBefore = m.losersBefore as Contact[];
  if (m.undone) return { value: { survivor, restored: losersBefore.map((l) => liveContact(t, l.id)) }, events: [] };
  checkVersion("contact", survivor, req.expectedSurvivorVersion);
  const current = losersBefore.map((l) => {
    const c = t.contacts.get(l.id);
    if (!c) throw new ConflictError("merged_record_deleted", `contact "${l.id}" was deleted since the merge`);
    return c;
  });
  const out: CrmEvent[] = [];
  const back = replaceContact(t, {
    ...survivor,
    ...contactFields(before),
    syncUserIds: before.syncUserIds,
    archived: before.archived,
  }, now);
  out.push(events.contact("crm.contact.updated", back));
  const restored = current.map((c, i) => {
    const was = losersBefore[i]!;
    const r = replaceContact(
      t,
      { ...c, ...contactFields(was), syncUserIds: was.syncUserIds, archived: was.archived },
      now,
    );
    out.push(events.contact(r.archived ? "crm.contact.archived" : "crm.contact.updated", r));
    return r;
  });
  const byAppointment = Map.groupBy(m.relinked, (r) => r.appointmentId);
  for (const [appointmentId, rel] of byAppointment) {
    const a = t.appointments.get(appointmentId);
    if (!a || !a.contacts.some((c) => c.contactId === before.id)) continue;
    const optional = a.contacts.find((c) => c.contactId === before.id)!.optional;
    const keepSurvivor = rel.some((r) => r.hadSurvivor);
    const contacts = [
      ...a.contacts.filter((c) => keepSurvivor || c.contactId !== before.id),
      ...rel.filter((r) => t.contacts.has(r.loserId)).map((r) => ({ contactId: r.loserId, optional })),
    ];
    const next: Appointment = { ...a, contacts, version: a.version + 1, updatedAt: now.toISOString() };
    t.appointments.set(a.id, next);
    out.push(events.appointment("crm.appointment.updated", next));
  }
  t.merges.set(m.id, { ...m, undone: true });
  return { value: { survivor: back, restored }, events: out };
}

function appointmentFields(a: Appointment): AppointmentFields {
  return AppointmentFieldsSchema.parse(a);
}

/** Merges appointments into the survivor (its new fields); losers deleted. */
export function mergeAppointments(
  t: TenantData,
  req: MergeAppointmentsRequest,
  now: Date,
): Changed<{ mergeId: string; survivor: Appointment; deletedIds: string[] }> {
  distinctLosers(req.survivorId, req.losers.map((l) => l.appointmentId));
  const survivor = liveAppointment(t, req.survivorId);
  const losers = req.losers.map((l) => {
    const a = liveAppointment(t, l.appointmentId);
    checkVersion("appointment", a, l.expectedVersion);
    return a;
  });
  // Validates the survivor's new fields (users, groups, contacts, times) before anything changes.
  const updated = updateAppointment(t, survivor.id, req.fields, req.expectedVersion, "fields", now);
  const out = [...updated.events];
  for (const l of losers) {
    t.appointments.delete(l.id);
    t.order.delete(l.id);
    t.tombstones.set(`appointment:${l.id}`, l.version + 1);
    out.push(events.appointmentDeleted(t.tenant.id, l.id, l.version + 1));
  }
  const mergeId = freshId(t, "merge");
  t.merges.set(mergeId, {
    id: mergeId,
    kind: "appointment",
    survivorBefore: survivor,
    losersBefore: losers,
    relinked: [],
    at: now.toISOString(),
    undone: false,
  });
  return { value: { mergeId, survivor: updated.value, deletedIds: losers.map((l) => l.id) }, events: out };
}

/** Undoes an appointment merge: the survivor's fields back, each loser restored under its own id. */
export function unmergeAppointments(
  t: TenantData,
  req: { mergeId: string; expectedSurvivorVersion?: number },
  now: Date,
): Changed<{ survivor: Appointment; restored: Appointment[] }> {
  const m = merge(t, req.mergeId, "appointment");
  const before = m.survivorBefore as Appointment;
  const survivor = liveAppointment(t, before.id);
  const losersBefore = m.losersBefore as Appointment[];
  if (m.undone) return { value: { survivor, restored: losersBefore.map((l) => liveAppointment(t, l.id)) }, events: [] };
  checkVersion("appointment", survivor, req.expectedSurvivorVersion);
  const updated = updateAppointment(t, before.id, appointmentFields(before), undefined, "fields", now);
  const out = [...updated.events];
  const restored = losersBefore.map((l) => {
    const version = (t.tombstones.get(`appointment:${l.id}`) ?? l.version) + 1;
    const r: Appointment = { ...l, version, updatedAt: now.toISOString() };
    t.tombstones.delete(`appointment:${l.id}`);
    t.appointments.set(l.id, r);
    t.order.set(l.id, t.nextSeq++);
    out.push(events.appointment("crm.appointment.created", r));
    return r;
  });
  t.merges.set(m.id, { ...m, undone: true });
  return { value: { survivor: updated.value, restored }, events: out };
}
