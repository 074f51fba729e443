import assert from "node:assert/strict";
import { seedDemo } from "./seed_demo.ts";
import { startSimulatorFixture } from "./testing.ts";

Deno.test("seedDemo() creates the demo agency once, with the contacts and appointments the demo shows", async () => {
  const f = await startSimulatorFixture("crmdemo");
  try {
    const now = new Date("2026-03-26T10:00:00Z"); // a Thursday, days before the DST change
    const seed = await seedDemo(f.admin, { now });
    assert.equal(seed.seeded, true);
    assert.deepEqual(seed.users.map((u) => u.id), ["giulia", "markus", "sofia"]);
    assert.ok(seed.contacts.length >= 18 && seed.contacts.length <= 22);
    assert.ok(seed.contacts.some((c) => c.emails.length === 0), "one contact without e-mail");
    assert.ok(seed.contacts.some((c) => c.emails.some((e) => e.address.includes("@@"))), "one invalid e-mail");
    assert.equal(seed.appointments.filter((a) => a.series).length, 1);
    assert.equal(seed.appointments.filter((a) => a.groupIds.length > 0).length, 1);
    assert.equal(seed.appointments.find((a) => a.series)?.start.dateTime, "2026-03-30T09:00");

    const markusContacts = await f.call("contactsList", { tenantId: "demo", syncUserId: "markus" });
    assert.ok(markusContacts.items.length >= 5);
    const markusAppointments = await f.call("appointmentsList", {
      tenantId: "demo",
      userId: "markus",
      from: now.toISOString(),
      to: new Date(now.getTime() + 14 * 86_400_000).toISOString(),
    });
    assert.ok(markusAppointments.items.some((a) => a.subject.startsWith("Open House")), "group appointment");

    const again = await seedDemo(f.admin, { now });
    assert.equal(again.seeded, false);
    assert.equal(again.contacts.length, seed.contacts.length);
  } finally {
    await f.close();
  }
});
