import {
  type Appointment,
  type AppointmentFields,
  type AppointmentFieldsPatch,
  AppointmentFieldsSchema,
} from "@app/shared/contract";
import { ConflictError, NotFoundError, parseOrThrow } from "@app/shared/errors";
import { checkVersion, stripUndefined } from "./contacts.ts";
import { type Changed, events, freshId, isTaken, sameJson, type TenantData } from "./model.ts";
import { type Page, pageOf } from "./paging.ts";
import { appointmentIssues, throwIfIssues } from "./references.ts";
import { overlapsWindow } from "./time_window.ts";

/** The live appointment, or a {@link NotFoundError} (deleted ones included). */
export function liveAppointment(t: TenantData, id: string): Appointment {
  const a = t.appointments.get(id);
  if (!a) throw new NotFoundError(`appointment "${id}" not found in tenant "${t.tenant.id}"`);
  return a;
}

/** True when the user takes part: as organizer, directly, or through one of the groups (E3). */
export function takesPart(t: TenantData, a: AppointmentFields, userId: string): boolean {
  return a.organizerId === userId || a.participantIds.includes(userId) ||
    a.groupIds.some((g) => t.groups.get(g)?.group.memberIds.includes(userId) ?? false);
}

function normalise(f: AppointmentFields): AppointmentFields {
  return { ...f, participantIds: [...new Set(f.participantIds)], groupIds: [...new Set(f.groupIds)] };
}

/** Creates an appointment at version 1; `prefix` is where its fields sit in the request, for error paths. */
export function createAppointment(
  t: TenantData,
  input: { id?: string; fields: AppointmentFields },
  prefix: string,
  now: Date,
): Changed<Appointment> {
  const fields = normalise(input.fields);
  throwIfIssues(appointmentIssues(t, fields, prefix), "appointment");
  if (input.id !== undefined && isTaken(t, input.id)) {
    throw new ConflictError("already_exists", `id "${input.id}" is already used in tenant "${t.tenant.id}"`);
  }
  const id = input.id ?? freshId(t, "apt");
  const a: Appointment = { ...fields, id, tenantId: t.tenant.id, version: 1, updatedAt: now.toISOString() };
  t.appointments.set(id, a);
  t.order.set(id, t.nextSeq++);
  return { value: a, events: [events.appointment("crm.appointment.created", a)] };
}

function commit(t: TenantData, current: Appointment, fields: AppointmentFields, now: Date): Changed<Appointment> {
  const next = { ...current, ...fields };
  if (sameJson(next, current)) return { value: current, events: [] };
  const a = { ...next, version: current.version + 1, updatedAt: now.toISOString() };
  t.appointments.set(a.id, a);
  return { value: a, events: [events.appointment("crm.appointment.updated", a)] };
}

/** Replaces the given fields; a patch that changes nothing keeps the version and publishes nothing. */
export function updateAppointment(
  t: TenantData,
  id: string,
  patch: AppointmentFieldsPatch,
  expectedVersion: number | undefined,
  prefix: string,
  now: Date,
): Changed<Appointment> {
  const current = liveAppointment(t, id);
  checkVersion("appointment", current, expectedVersion);
  const fields = normalise(
    parseOrThrow(AppointmentFieldsSchema, { ...current, ...stripUndefined(patch) }, "appointment"),
  );
  throwIfIssues(appointmentIssues(t, fields, prefix), "appointment");
  return commit(t, current, fields, now);
}

/** Sets the cancelled state (E6); cancelling a cancelled appointment changes nothing. */
export function cancelAppointment(
  t: TenantData,
  id: string,
  expectedVersion: number | undefined,
  now: Date,
): Changed<Appointment> {
  const current = liveAppointment(t, id);
  checkVersion("appointment", current, expectedVersion);
  return commit(t, current, { ...current, cancelled: true }, now);
}

/**
 * One participant leaves (E6). A user who takes part only through a group cannot (E4); a user who
 * does not take part at all leaves nothing to change.
 */
export function removeParticipant(
  t: TenantData,
  id: string,
  userId: string,
  expectedVersion: number | undefined,
  now: Date,
): Changed<Appointment> {
  const current = liveAppointment(t, id);
  checkVersion("appointment", current, expectedVersion);
  if (!current.participantIds.includes(userId)) {
    const viaGroup = current.groupIds.some((g) => t.groups.get(g)?.group.memberIds.includes(userId));
    if (viaGroup) {
      throw new ConflictError(
        "participant_via_group",
        `user "${userId}" takes part in appointment "${id}" only through a group and cannot leave it alone`,
      );
    }
    return { value: current, events: [] };
  }
  return commit(t, current, { ...current, participantIds: current.participantIds.filter((u) => u !== userId) }, now);
}

/** Deletes an appointment; deleting one that is already gone answers `false` and publishes nothing. */
export function deleteAppointment(t: TenantData, id: string, expectedVersion: number | undefined): Changed<boolean> {
  const current = t.appointments.get(id);
  if (!current) return { value: false, events: [] };
  checkVersion("appointment", current, expectedVersion);
  t.appointments.delete(id);
  t.order.delete(id);
  t.tombstones.set(`appointment:${id}`, current.version + 1);
  return { value: true, events: [events.appointmentDeleted(t.tenant.id, id, current.version + 1)] };
}

/** Filters of an appointment listing (E3): one user's, inside a window of instants. */
export interface AppointmentFilter {
  userId?: string;
  from?: string;
  to?: string;
  cursor: string | null;
  limit: number;
}

/** A page of appointments in creation order; cancelled ones included, so their state syncs. */
export function listAppointments(t: TenantData, f: AppointmentFilter): Page<Appointment> {
  const window = {
    from: f.from === undefined ? undefined : Date.parse(f.from),
    to: f.to === undefined ? undefined : Date.parse(f.to),
  };
  return pageOf(t.appointments.values(), (id) => t.order.get(id) ?? 0, {
    cursor: f.cursor,
    limit: f.limit,
    keep: (a) => (f.userId === undefined || takesPart(t, a, f.userId)) && overlapsWindow(a, window),
  });
}
