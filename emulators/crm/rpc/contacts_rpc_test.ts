import assert from "node:assert/strict";
import { ConflictError, NotFoundError, ValidationError } from "@app/shared/errors";
import { newKey, seedSmallTenant, startSimulatorFixture } from "../testing.ts";

const anna = { givenName: "Anna", familyName: "Berger", emails: [{ address: "anna.berger@example.com" }] };

Deno.test("contact.create twice with the same idempotency key creates one contact and replies the same", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const request = { tenantId: "t1", idempotencyKey: newKey(), fields: anna, syncUserIds: ["u1"] };
    const first = await f.call("contactCreate", request);
    const again = await f.call("contactCreate", request);
    assert.deepEqual(again, first);
    assert.equal((await f.admin.contacts("t1")).length, 1);
    const created = (await f.events()).filter((e) => e.event.type === "crm.contact.created");
    assert.equal(created.length, 1);
    const log = await f.admin.requests({ rpc: "contactCreate" });
    assert.deepEqual(log.map((e) => [e.outcome, e.idempotencyKey]), [
      ["ok", request.idempotencyKey],
      ["replayed", request.idempotencyKey],
    ]);
  } finally {
    await f.close();
  }
});

Deno.test("contact.create reusing a key with a different body is an idempotency_conflict and creates nothing", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const key = newKey();
    await f.call("contactCreate", { tenantId: "t1", idempotencyKey: key, fields: anna });
    const err = await f.call("contactCreate", {
      tenantId: "t1",
      idempotencyKey: key,
      fields: { ...anna, givenName: "Annette" },
    }).catch((e) => e);
    assert.ok(err instanceof ConflictError, String(err));
    assert.equal(err.code, "idempotency_conflict");
    assert.equal(err.status, 409);
    const reusedElsewhere = await f.call("contactArchive", { tenantId: "t1", idempotencyKey: key, contactId: "x" })
      .catch((e) => e);
    assert.equal(reusedElsewhere.code, "idempotency_conflict");
    assert.deepEqual((await f.admin.contacts("t1")).map((c) => c.givenName), ["Anna"]);
  } finally {
    await f.close();
  }
});

Deno.test("contact.update with a stale expectedVersion is refused with version_mismatch and changes nothing", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const c = await f.admin.createContact("t1", anna);
    await f.admin.updateContact("t1", c.id, { jobTitle: "Notarin" }); // a CRM user edits: version 2
    const err = await f.call("contactUpdate", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      contactId: c.id,
      expectedVersion: 1,
      fields: { company: "Outlook GmbH" },
    }).catch((e) => e);
    assert.ok(err instanceof ConflictError, String(err));
    assert.equal(err.code, "version_mismatch");
    const now = await f.admin.contact("t1", c.id);
    assert.equal(now.version, 2);
    assert.equal(now.company, "");
  } finally {
    await f.close();
  }
});

Deno.test("contact.update replaces only the fields sent and keeps the version when nothing changed", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const c = await f.admin.createContact("t1", { ...anna, company: "Berger Immobilien", syncUserIds: ["u1"] });
    const { contact } = await f.call("contactUpdate", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      contactId: c.id,
      expectedVersion: 1,
      fields: { jobTitle: "Maklerin" },
    });
    assert.equal(contact.version, 2);
    assert.equal(contact.jobTitle, "Maklerin");
    assert.equal(contact.company, "Berger Immobilien");
    assert.deepEqual(contact.emails, c.emails);
    assert.deepEqual(contact.syncUserIds, ["u1"]);
    const same = await f.call("contactUpdate", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      contactId: c.id,
      fields: { jobTitle: "Maklerin" },
    });
    assert.equal(same.contact.version, 2);
  } finally {
    await f.close();
  }
});

Deno.test("contacts.list by syncUserId excludes archived and unflagged contacts unless includeArchived", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const flagged = await f.admin.createContact("t1", { givenName: "Flagged", syncUserIds: ["u1"] });
    await f.admin.createContact("t1", { givenName: "OtherUser", syncUserIds: ["u2"] });
    await f.admin.createContact("t1", { givenName: "Unflagged" });
    await f.admin.createContact("t1", { givenName: "Archived", syncUserIds: ["u1"], archived: true });
    const cleared = await f.admin.createContact("t1", { givenName: "Cleared", syncUserIds: ["u1"] });
    await f.admin.setSyncFlag("t1", cleared.id, "u1", false);

    const page = await f.call("contactsList", { tenantId: "t1", syncUserId: "u1" });
    assert.deepEqual(page.items.map((c) => c.id), [flagged.id]);
    assert.equal(page.nextCursor, null);
    const withArchived = await f.call("contactsList", { tenantId: "t1", syncUserId: "u1", includeArchived: true });
    assert.deepEqual(withArchived.items.map((c) => c.givenName), ["Flagged", "Archived"]);
  } finally {
    await f.close();
  }
});

Deno.test("contacts.list pages with a cursor, neither repeating nor skipping when records change between pages", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const { ids } = await f.admin.createContacts(
      "t1",
      Array.from({ length: 25 }, (_, i) => ({ givenName: `C${i}` })),
      { emitEvents: false },
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await f.call("contactsList", {
        tenantId: "t1",
        limit: 10,
        cursor,
      });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      if (seen.length === 10) await f.admin.deleteContact("t1", ids[0]!); // already seen; shifts nothing
    } while (cursor);
    assert.deepEqual(seen, ids);
    const bad = await f.call("contactsList", { tenantId: "t1", cursor: "garbage" }).catch((e) => e);
    assert.ok(bad instanceof ValidationError);
    assert.deepEqual(bad.issues.map((i) => i.path), ["cursor"]);
  } finally {
    await f.close();
  }
});

Deno.test("a malformed contact request gets validation_failed naming each bad field", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const err = await f.call("contactCreate", {
      tenantId: "t1",
      idempotencyKey: "short",
      fields: { givenName: 42, phones: [{ number: "+49 30 1234", kind: "fax" }] },
    }).catch((e) => e);
    assert.ok(err instanceof ValidationError, String(err));
    assert.deepEqual(err.issues.map((i) => i.path).sort(), [
      "fields.givenName",
      "fields.phones.0.kind",
      "idempotencyKey",
    ]);
    const unknownUser = await f.call("contactCreate", {
      tenantId: "t1",
      idempotencyKey: newKey(),
      fields: anna,
      syncUserIds: ["u1", "ghost"],
    }).catch((e) => e);
    assert.deepEqual(unknownUser.issues, [{ path: "syncUserIds.1", message: 'unknown user "ghost"' }]);
    const notJson = JSON.parse(await f.raw("contactCreate", "{oops"));
    assert.equal(notJson.ok, false);
    assert.equal(notJson.error.code, "validation_failed");
    assert.equal((await f.admin.contacts("t1")).length, 0);
  } finally {
    await f.close();
  }
});

Deno.test("contact.get answers not_found for unknown and deleted contacts and unknown tenants; delete twice is safe", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const c = await f.admin.createContact("t1", anna);
    const key = newKey();
    assert.deepEqual(await f.call("contactDelete", { tenantId: "t1", idempotencyKey: key, contactId: c.id }), {
      deleted: true,
    });
    assert.deepEqual(await f.call("contactDelete", { tenantId: "t1", idempotencyKey: newKey(), contactId: c.id }), {
      deleted: false,
    });
    for (const req of [{ tenantId: "t1", contactId: c.id }, { tenantId: "nope", contactId: c.id }]) {
      const err = await f.call("contactGet", req).catch((e) => e);
      assert.ok(err instanceof NotFoundError, String(err));
    }
  } finally {
    await f.close();
  }
});

Deno.test("contact.archive archives once and a second archive changes nothing", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const c = await f.admin.createContact("t1", { ...anna, syncUserIds: ["u1"] });
    const first = await f.call("contactArchive", { tenantId: "t1", idempotencyKey: newKey(), contactId: c.id });
    assert.equal(first.contact.archived, true);
    assert.equal(first.contact.version, 2);
    const second = await f.call("contactArchive", { tenantId: "t1", idempotencyKey: newKey(), contactId: c.id });
    assert.equal(second.contact.version, 2);
    const archivedEvents = (await f.events()).filter((e) => e.event.type === "crm.contact.archived");
    assert.equal(archivedEvents.length, 1);
  } finally {
    await f.close();
  }
});

Deno.test("contacts.get_many returns the contacts asked for, archived included, and names the deleted ones (P8)", async () => {
  const f = await startSimulatorFixture("crmrpc");
  try {
    await seedSmallTenant(f.admin);
    const a = await f.admin.createContact("t1", anna);
    const b = await f.admin.createContact("t1", { givenName: "Bruno", familyName: "Conti" });
    const gone = await f.admin.createContact("t1", { givenName: "Gone", familyName: "Away" });
    await f.admin.archiveContact("t1", b.id);
    await f.admin.deleteContact("t1", gone.id);
    const r = await f.call("contactsGetMany", { tenantId: "t1", ids: [b.id, gone.id, a.id, a.id] });
    assert.deepEqual(r.items.map((c) => [c.id, c.archived]), [[b.id, true], [a.id, false]]);
    assert.deepEqual(r.notFound, [gone.id]);
    const tooMany = await f.call("contactsGetMany", {
      tenantId: "t1",
      ids: Array.from({ length: 201 }, (_, i) => `c${i}`),
    }).catch((e) => e);
    assert.ok(tooMany instanceof ValidationError, String(tooMany));
    const unknownField = await f.call("contactsGetMany", { tenantId: "t1", ids: [a.id], extra: 1 } as never)
      .catch((e) => e);
    assert.ok(unknownField instanceof ValidationError, "the request is strict");
  } finally {
    await f.close();
  }
});
