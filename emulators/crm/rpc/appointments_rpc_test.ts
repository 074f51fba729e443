import assert from "node:assert/strict";
import { ConflictError, ValidationError } from "@app/shared/errors";
import type { CreateAppointmentInput } from "../admin/schemas.ts";
import { newKey, seedSmallTenant, startSimulatorFixture } from "../testing.ts";

const rome = (dateTime: string) => ({ dateTime, timeZone: "Europe/Rome" });
const viewing = (over: Partial<CreateAppointmentInput> = {}): CreateAppointmentInput => ({
  subject: "Besichtigung Via Roma 12",
  start: rome("2026-05-04T10:00"),
  end: rome("2026-05-04T11:00"),
  organizerId: "u1",
  participantIds: ["u1"],
  ...over,
});

Deno.test("appointments.list by user includes the appointments of the user's groups", async () => {
  const f = await startSimulatorFixture("crmapt");
  try {
    await seedSmallTenant(f.admin); // g1 = [u2]
    const direct = await f.admin.createAppointment("t1", viewing({ subject: "direct", participantIds: ["u1", "u2"] }));
    const group = await f.admin.createAppointment(
      "t1",
      viewing({ subject: "group", participantIds: [], groupIds: ["g1"] }),
    );
    await f.admin.createAppointment(
      "t1",
      viewing({ subject: "someone else", organizerId: "u3", participantIds: ["u3"] }),
    );

    const u2 = await f.call("appointmentsList", { tenantId: "t1", userId: "u2" });
    assert.deepEqual(u2.items.map((a) => a.id), [direct.id, group.id]);
    const u3 = await f.call("appointmentsList", { tenantId: "t1", userId: "u3" });
    assert.deepEqual(u3.items.map((a) => a.subject), ["someone else"]);

    await f.admin.setGroupMembers("t1", "g1", ["u3"]);
    const u3After = await f.call("appointmentsList", { tenantId: "t1", userId: "u3" });
    assert.deepEqual(u3After.items.map((a) => a.subject), ["group", "someone else"]);
  } finally {
    await f.close();
  }
});

Deno.test("appointments.list in a window keeps overlapping appointments and a series that started before it", async () => {
  const f = await startSimulatorFixture("crmapt");
  try {
    await seedSmallTenant(f.admin);
    await f.admin.createAppointment("t1", viewing({ subject: "inside" }));
    await f.admin.createAppointment(
      "t1",
      viewing({ subject: "before", start: rome("2026-04-01T10:00"), end: rome("2026-04-01T11:00") }),
    );
    await f.admin.createAppointment(
      "t1",
      viewing({
        subject: "weekly jour fixe",
        start: rome("2026-01-05T09:00"),
        end: rome("2026-01-05T09:30"),
        series: {
          pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
          range: { type: "endDate", startDate: "2026-01-05", endDate: "2026-12-28" },
        },
      }),
    );
    const page = await f.call("appointmentsList", {
      tenantId: "t1",
      userId: "u1",
      from: "2026-05-04T00:00:00+02:00",
      to: "2026-05-11T00:00:00+02:00",
    });
    assert.deepEqual(page.items.map((a) => a.subject), ["inside", "weekly jour fixe"]);
  } finally {
    await f.close();
  }
});

Deno.test("appointment.remove_participant removes one user, and refuses a user who takes part only through a group", async () => {
  const f = await startSimulatorFixture("crmapt");
  try {
    await seedSmallTenant(f.admin);
    const a = await f.admin.createAppointment("t1", viewing({ participantIds: ["u1", "u3"], groupIds: ["g1"] }));
    const { appointment } = await f.call("appointmentRemoveParticipant", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      appointmentId: a.id,
      userId: "u3",
    });
    assert.deepEqual(appointment.participantIds, ["u1"]);
    assert.equal(appointment.version, 2);
    const viaGroup = await f.call("appointmentRemoveParticipant", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      appointmentId: a.id,
      userId: "u2",
    }).catch((e) => e);
    assert.ok(viaGroup instanceof ConflictError, String(viaGroup));
    assert.equal(viaGroup.code, "participant_via_group");
  } finally {
    await f.close();
  }
});

Deno.test("appointment.cancel sets cancelled once; appointment.update replaces only the fields sent", async () => {
  const f = await startSimulatorFixture("crmapt");
  try {
    await seedSmallTenant(f.admin);
    const a = await f.admin.createAppointment("t1", viewing({ location: "Via Roma 12, Milano", reminderMinutes: 15 }));
    const updated = await f.call("appointmentUpdate", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      appointmentId: a.id,
      expectedVersion: 1,
      fields: { subject: "Besichtigung (verschoben)" },
    });
    assert.equal(updated.appointment.location, "Via Roma 12, Milano");
    assert.equal(updated.appointment.reminderMinutes, 15);
    const cancel = { tenantId: "t1", appointmentId: a.id };
    const first = await f.call("appointmentCancel", { ...cancel, idempotencyKey: newKey() });
    const second = await f.call("appointmentCancel", { ...cancel, idempotencyKey: newKey() });
    assert.equal(first.appointment.cancelled, true);
    assert.equal(second.appointment.version, first.appointment.version);
    const listed = await f.call("appointmentsList", { tenantId: "t1", userId: "u1" });
    assert.equal(listed.items[0]?.cancelled, true, "cancelled appointments stay listed so the cancel syncs");
  } finally {
    await f.close();
  }
});

Deno.test("appointment.create naming unknown users, groups or contacts, or ending before it starts, is validation_failed", async () => {
  const f = await startSimulatorFixture("crmapt");
  try {
    await seedSmallTenant(f.admin);
    const err = await f.call("appointmentCreate", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      fields: {
        ...viewing({ participantIds: ["u1", "ghost"], groupIds: ["nogroup"], contacts: [{ contactId: "nobody" }] }),
        end: rome("2026-05-04T09:00"),
      },
    }).catch((e) => e);
    assert.ok(err instanceof ValidationError, String(err));
    assert.deepEqual(err.issues.map((i) => i.path), [
      "fields.participantIds.1",
      "fields.groupIds.0",
      "fields.contacts.0.contactId",
      "fields.end",
    ]);
    const badReminder = await f.call("appointmentCreate", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      fields: viewing({ reminderMinutes: 7 }),
    }).catch((e) => e);
    assert.deepEqual(badReminder.issues.map((i: { path: string }) => i.path), ["fields.reminderMinutes"]);
    assert.equal((await f.admin.appointments("t1")).length, 0);
  } finally {
    await f.close();
  }
});

Deno.test("deleting a contact unlinks it from its appointments, each with a new version", async () => {
  const f = await startSimulatorFixture("crmapt");
  try {
    await seedSmallTenant(f.admin);
    const buyer = await f.admin.createContact("t1", { givenName: "Giulia", familyName: "Conti" });
    const a = await f.admin.createAppointment("t1", viewing({ contacts: [{ contactId: buyer.id }] }));
    await f.call("contactDelete", { tenantId: "t1", idempotencyKey: newKey(), contactId: buyer.id });
    const now = await f.admin.appointment("t1", a.id);
    assert.deepEqual(now.contacts, []);
    assert.equal(now.version, 2);
    const types = (await f.events()).map((e) => e.event.type);
    assert.deepEqual(types.slice(-2), ["crm.contact.deleted", "crm.appointment.updated"]);
  } finally {
    await f.close();
  }
});

Deno.test("appointments.get_many returns the appointments asked for, cancelled included, and names the deleted ones (P8)", async () => {
  const f = await startSimulatorFixture("crmapt");
  try {
    await seedSmallTenant(f.admin);
    const a = await f.admin.createAppointment("t1", viewing({ subject: "kept" }));
    const c = await f.admin.createAppointment("t1", viewing({ subject: "cancelled" }));
    const d = await f.admin.createAppointment("t1", viewing({ subject: "deleted" }));
    await f.admin.cancelAppointment("t1", c.id);
    await f.admin.deleteAppointment("t1", d.id);
    const r = await f.call("appointmentsGetMany", { tenantId: "t1", ids: [a.id, c.id, d.id] });
    assert.deepEqual(r.items.map((x) => [x.subject, x.cancelled]), [["kept", false], ["cancelled", true]]);
    assert.deepEqual(r.notFound, [d.id]);
    const empty = await f.call("appointmentsGetMany", { tenantId: "t1", ids: [] }).catch((e) => e);
    assert.ok(empty instanceof ValidationError, String(empty));
  } finally {
    await f.close();
  }
});
