// The CRM side of duplicate decisions (D2, D3): merges and their undo, each one change.
import assert from "node:assert/strict";
import { ConflictError, NotFoundError } from "@app/shared/errors";
import { newKey, seedSmallTenant, startSimulatorFixture } from "../testing.ts";

const at = (h: string) => ({ dateTime: `2026-06-02T${h}`, timeZone: "Europe/Berlin" });

Deno.test("contacts.merge D2: survivor takes the fields and everyone's flags, losers archived, appointments relinked", async () => {
  const f = await startSimulatorFixture("crmmerge");
  try {
    await seedSmallTenant(f.admin);
    const a = await f.admin.createContact("t1", { givenName: "Anna", familyName: "Berger", syncUserIds: ["u1"] });
    const b = await f.admin.createContact("t1", {
      givenName: "Anna",
      familyName: "Bergr",
      jobTitle: "Notarin",
      syncUserIds: ["u2"],
    });
    const apt = await f.admin.createAppointment("t1", {
      subject: "Termin",
      start: at("10:00"),
      end: at("11:00"),
      organizerId: "u1",
      contacts: [{ contactId: b.id }],
    });
    const request = {
      tenantId: "t1",
      idempotencyKey: newKey(),
      survivorId: a.id,
      expectedVersion: a.version,
      losers: [{ contactId: b.id, expectedVersion: b.version }],
      fields: { givenName: "Anna", familyName: "Berger", jobTitle: "Notarin" },
    };
    const merged = await f.call("contactsMerge", request);
    assert.equal(merged.survivor.jobTitle, "Notarin");
    assert.deepEqual(merged.survivor.syncUserIds.sort(), ["u1", "u2"]);
    assert.equal(merged.losers[0]!.archived, true);
    assert.deepEqual((await f.admin.appointment("t1", apt.id)).contacts.map((c) => c.contactId), [a.id]);
    assert.deepEqual(await f.call("contactsMerge", request), merged, "a retry with the key replays the merge");
    const types = (await f.events()).map((e) => e.event.type);
    assert.equal(types.filter((t) => t === "crm.contact.archived").length, 1, "one change, one set of events");

    const undone = await f.call("contactsUnmerge", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      mergeId: merged.mergeId,
      expectedSurvivorVersion: merged.survivor.version,
    });
    assert.equal(undone.survivor.jobTitle, "");
    assert.deepEqual(undone.survivor.syncUserIds, ["u1"]);
    assert.equal(undone.restored[0]!.archived, false);
    assert.equal(undone.restored[0]!.familyName, "Bergr");
    assert.deepEqual((await f.admin.appointment("t1", apt.id)).contacts.map((c) => c.contactId), [b.id]);
  } finally {
    await f.close();
  }
});

Deno.test("contacts.merge D2: a stale version anywhere refuses the whole merge and changes nothing", async () => {
  const f = await startSimulatorFixture("crmmerge");
  try {
    await seedSmallTenant(f.admin);
    const a = await f.admin.createContact("t1", { givenName: "Anna", familyName: "Berger" });
    const b = await f.admin.createContact("t1", { givenName: "Anna", familyName: "Bergr" });
    await f.admin.updateContact("t1", b.id, { jobTitle: "edited meanwhile" });
    const err = await f.call("contactsMerge", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      survivorId: a.id,
      losers: [{ contactId: b.id, expectedVersion: b.version }],
      fields: { givenName: "Merged" },
    }).catch((e) => e);
    assert.ok(err instanceof ConflictError && err.code === "version_mismatch", String(err));
    assert.equal((await f.admin.contact("t1", a.id)).givenName, "Anna");
    assert.equal((await f.admin.contact("t1", b.id)).archived, false);
    const unknown = await f.call("contactsUnmerge", { tenantId: "t1", idempotencyKey: newKey(), mergeId: "merge-404" })
      .catch((e) => e);
    assert.ok(unknown instanceof NotFoundError);
  } finally {
    await f.close();
  }
});

Deno.test("appointments.merge D2: survivor takes the fields, loser deleted; unmerge restores it under its id", async () => {
  const f = await startSimulatorFixture("crmmerge");
  try {
    await seedSmallTenant(f.admin);
    const base = { subject: "Besichtigung", start: at("10:00"), end: at("11:00"), organizerId: "u1" };
    const x = await f.admin.createAppointment("t1", base);
    const y = await f.admin.createAppointment("t1", { ...base, participantIds: ["u3"] });
    const merged = await f.call("appointmentsMerge", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      survivorId: x.id,
      losers: [{ appointmentId: y.id, expectedVersion: y.version }],
      fields: { ...base, participantIds: ["u1", "u3"] },
    });
    assert.deepEqual(merged.deletedIds, [y.id]);
    assert.deepEqual(merged.survivor.participantIds, ["u1", "u3"]);
    assert.deepEqual((await f.admin.appointments("t1")).map((a) => a.id), [x.id]);
    const undone = await f.call("appointmentsUnmerge", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      mergeId: merged.mergeId,
    });
    assert.deepEqual(undone.restored.map((a) => a.id), [y.id]);
    assert.deepEqual((await f.admin.appointment("t1", x.id)).participantIds, []);
    assert.ok(undone.restored[0]!.version > y.version);
  } finally {
    await f.close();
  }
});
