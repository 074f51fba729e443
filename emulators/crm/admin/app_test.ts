import assert from "node:assert/strict";
import { CrmAdminError } from "../admin_client.ts";
import { newKey, seedSmallTenant, startSimulatorFixture } from "../testing.ts";

async function problemOf(p: Promise<unknown>): Promise<CrmAdminError> {
  const err = await p.catch((e) => e);
  assert.ok(err instanceof CrmAdminError, String(err));
  return err;
}

Deno.test("the admin surface refuses invalid input with a 400 problem+json naming each field", async () => {
  const f = await startSimulatorFixture("crmadm");
  try {
    await seedSmallTenant(f.admin);
    const res = await fetch(`${f.sim.url}/admin/tenants/t1/contacts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ givenName: 1, birthday: "31.12.1970", givenname: "typo" }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    const problem = await res.json();
    assert.equal(problem.code, "validation_failed");
    assert.deepEqual(problem.issues.map((i: { path: string }) => i.path).sort(), ["(root)", "birthday", "givenName"]);
    assert.match(JSON.stringify(problem.issues), /givenname/);

    const notJson = await fetch(`${f.sim.url}/admin/tenants`, { method: "POST", body: "{" });
    assert.equal(notJson.status, 400);
    await notJson.body?.cancel();

    const fault = await problemOf(f.admin.injectFault({ rpc: "contactTeleport" as "contactGet", mode: "error" }));
    assert.deepEqual(fault.problem?.issues?.map((i) => i.path), ["rpc"]);
    const unknownUser = await problemOf(f.admin.createGroup("t1", { name: "Ghosts", memberIds: ["nobody"] }));
    assert.deepEqual(unknownUser.problem?.issues?.map((i) => i.path), ["memberIds.0"]);
    const badTime = await problemOf(f.admin.createAppointment("t1", {
      subject: "Messe",
      allDay: true,
      start: { dateTime: "2026-09-10T09:00", timeZone: "Europe/Berlin" },
      end: { dateTime: "2026-09-10T18:00", timeZone: "Mars/Olympus" },
      organizerId: "u1",
    }));
    assert.deepEqual(badTime.problem?.issues?.map((i) => i.path), ["end.timeZone"]);
  } finally {
    await f.close();
  }
});

Deno.test("the admin surface answers 404 for unknown tenants and records, 409 for ids in use", async () => {
  const f = await startSimulatorFixture("crmadm");
  try {
    assert.equal((await problemOf(f.admin.contacts("nope"))).status, 404);
    await seedSmallTenant(f.admin);
    assert.equal((await problemOf(f.admin.contact("t1", "con-404"))).problem?.code, "not_found");
    assert.equal((await problemOf(f.admin.createTenant({ id: "t1", name: "again" }))).status, 409);
    await f.admin.createContact("t1", { id: "c-1", givenName: "Erika" });
    assert.equal((await problemOf(f.admin.createContact("t1", { id: "c-1", givenName: "Erika" }))).status, 409);
    const notFound = await fetch(`${f.sim.url}/admin/nowhere`);
    assert.equal(notFound.status, 404);
    await notFound.body?.cancel();
  } finally {
    await f.close();
  }
});

Deno.test("bulk contact creation is all or nothing", async () => {
  const f = await startSimulatorFixture("crmadm");
  try {
    await seedSmallTenant(f.admin);
    const err = await problemOf(f.admin.createContacts("t1", [
      { givenName: "Ok" },
      { givenName: "Bad flag", syncUserIds: ["ghost"] },
      { id: "dup", givenName: "A" },
      { id: "dup", givenName: "B" },
    ]));
    assert.deepEqual(err.problem?.issues?.map((i) => i.path), ["contacts.1.syncUserIds.0", "contacts.3.id"]);
    assert.deepEqual(await f.admin.contacts("t1"), []);
    assert.deepEqual(await f.events().then((e) => e.filter((x) => x.event.type.startsWith("crm.contact"))), []);
  } finally {
    await f.close();
  }
});

Deno.test("the request log lists NATS writes with their idempotency keys and outcomes; reset forgets everything", async () => {
  const f = await startSimulatorFixture("crmadm");
  try {
    await seedSmallTenant(f.admin);
    const key = newKey();
    await f.call("contactCreate", { tenantId: "t1", idempotencyKey: key, fields: { givenName: "Lena" } });
    await f.call("contactsList", { tenantId: "t1" });
    await f.call("contactGet", { tenantId: "t1", contactId: "missing" }).catch(() => {});
    const writes = await f.admin.requests({ writesOnly: true });
    assert.equal(writes.length, 1);
    assert.equal(writes[0]?.rpc, "contactCreate");
    assert.equal(writes[0]?.idempotencyKey, key);
    assert.equal(writes[0]?.subject, f.catalog.subjects.crm.rpc.contactCreate);
    assert.match(writes[0]?.recordId ?? "", /^con-/);
    const all = await f.admin.requests({ tenantId: "t1" });
    assert.deepEqual(all.map((e) => [e.rpc, e.outcome, e.errorCode]), [
      ["contactCreate", "ok", undefined],
      ["contactsList", "ok", undefined],
      ["contactGet", "error", "not_found"],
    ]);

    await f.admin.reset();
    assert.deepEqual(await f.admin.tenants(), []);
    assert.deepEqual(await f.admin.requests(), []);
  } finally {
    await f.close();
  }
});
