import assert from "node:assert/strict";
import { CrmEventSchema } from "@app/shared/contract";
import { newKey, seedSmallTenant, startSimulatorFixture } from "./testing.ts";

const recordOf = (e: { data: unknown }): [string, number] => {
  const d = e.data as Record<string, { id?: string; version?: number } | string | number>;
  const rec = (d.contact ?? d.appointment) as { id: string; version: number } | undefined;
  if (rec) return [rec.id, rec.version];
  return [String(d.contactId ?? d.appointmentId ?? d.groupId), Number(d.version)];
};

Deno.test("every change, through NATS or the admin surface, publishes one event with the record's growing version", async () => {
  const f = await startSimulatorFixture("crmevt");
  try {
    await seedSmallTenant(f.admin);
    const write = { tenantId: "t1" };
    const { contact } = await f.call("contactCreate", {
      ...write,
      idempotencyKey: newKey(),
      fields: { givenName: "Marco", familyName: "Bianchi" },
    });
    await f.admin.updateContact("t1", contact.id, { jobTitle: "Notaio" });
    await f.admin.setSyncFlag("t1", contact.id, "u1", true);
    await f.call("contactUpdate", {
      ...write,
      idempotencyKey: newKey(),
      contactId: contact.id,
      fields: { notes: "VIP" },
    });
    await f.admin.setSyncFlag("t1", contact.id, "u1", false);
    await f.call("contactArchive", { ...write, idempotencyKey: newKey(), contactId: contact.id });
    await f.admin.restoreContact("t1", contact.id);
    await f.admin.deleteContact("t1", contact.id);
    const a = await f.admin.createAppointment("t1", {
      subject: "Rogito",
      start: { dateTime: "2026-06-10T15:00", timeZone: "Europe/Rome" },
      end: { dateTime: "2026-06-10T16:00", timeZone: "Europe/Rome" },
      organizerId: "u1",
      participantIds: ["u1"],
    });
    await f.call("appointmentCancel", { ...write, idempotencyKey: newKey(), appointmentId: a.id });
    await f.call("appointmentDelete", { ...write, idempotencyKey: newKey(), appointmentId: a.id });
    await f.admin.setGroupMembers("t1", "g1", ["u2", "u3"]);

    const events = await f.events();
    assert.deepEqual(events.map((e) => [e.event.type, ...recordOf(e.event)]), [
      ["crm.group.membership_changed", "g1", 1],
      ["crm.contact.created", contact.id, 1],
      ["crm.contact.updated", contact.id, 2],
      ["crm.contact.sync_flag_changed", contact.id, 3],
      ["crm.contact.updated", contact.id, 4],
      ["crm.contact.sync_flag_changed", contact.id, 5],
      ["crm.contact.archived", contact.id, 6],
      ["crm.contact.updated", contact.id, 7],
      ["crm.contact.deleted", contact.id, 8],
      ["crm.appointment.created", a.id, 1],
      ["crm.appointment.updated", a.id, 2],
      ["crm.appointment.deleted", a.id, 3],
      ["crm.group.membership_changed", "g1", 2],
    ]);
    for (const e of events) {
      assert.equal(CrmEventSchema.safeParse(e.event).success, true, `${e.event.type} matches the contract`);
      assert.equal(e.msgId, e.event.id, "the envelope id is the Nats-Msg-Id");
      assert.equal(e.event.tenantId, "t1");
      assert.equal(e.subject, `${f.catalog.prefix}.${e.event.type}`);
    }
    const flag = events[3]!.event;
    assert.deepEqual(flag.data, { contactId: contact.id, userId: "u1", enabled: true, version: 3 });
  } finally {
    await f.close();
  }
});

Deno.test("a write that changes nothing publishes nothing, and an idempotent retry publishes nothing", async () => {
  const f = await startSimulatorFixture("crmevt");
  try {
    await seedSmallTenant(f.admin);
    const c = await f.admin.createContact("t1", { givenName: "Sabine", syncUserIds: ["u1"] });
    const before = (await f.events()).length;
    await f.admin.setSyncFlag("t1", c.id, "u1", true);
    await f.admin.updateContact("t1", c.id, { givenName: "Sabine" });
    const retry = { tenantId: "t1", idempotencyKey: newKey(), contactId: c.id, fields: { familyName: "Krüger" } };
    await f.call("contactUpdate", retry);
    await f.call("contactUpdate", retry);
    assert.equal((await f.events()).length, before + 1);
  } finally {
    await f.close();
  }
});

Deno.test("bulk creation of 5,000 contacts publishes one created event each, in order", async () => {
  const f = await startSimulatorFixture("crmevt");
  try {
    await seedSmallTenant(f.admin);
    const contacts = Array.from({ length: 5_000 }, (_, i) => ({
      givenName: `Kunde${i}`,
      familyName: "Muster",
      emails: [{ address: `kunde${i}@example.com` }],
      syncUserIds: ["u1"],
    }));
    const { count, ids } = await f.admin.createContacts("t1", contacts);
    assert.equal(count, 5_000);
    const events = (await f.events()).filter((e) => e.event.type === "crm.contact.created");
    assert.deepEqual(events.map((e) => recordOf(e.event)[0]), ids);
    const page = await f.call("contactsList", { tenantId: "t1", syncUserId: "u1", limit: 1_000 });
    assert.equal(page.items.length, 1_000);
    assert.notEqual(page.nextCursor, null);
  } finally {
    await f.close();
  }
});
