import assert from "node:assert/strict";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";

const CRM_ID = "String {66f5a359-4659-4830-9070-00040ec6ac6e} Name CrmId";

Deno.test("an extended-property $filter finds the stamped contact (name case-sensitive, value case-insensitive)", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const stamped = await client.api("/me/contacts").post({
    givenName: "Stamped",
    singleValueExtendedProperties: [{ id: CRM_ID, value: "CRM-42" }],
  });
  assert.equal(stamped.singleValueExtendedProperties, undefined, "create answers without the property");
  await client.api("/me/contacts").post({
    givenName: "Other",
    singleValueExtendedProperties: [{ id: CRM_ID, value: "crm-43" }],
  });

  const lookup = (id: string, value: string) =>
    client.api("/me/contacts")
      .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${id}' and ep/value eq '${value}')`)
      .get();
  const found = await lookup(CRM_ID, "crm-42");
  assert.deepEqual(found.value.map((c: { id: string }) => c.id), [stamped.id]);
  assert.equal(found.value[0].singleValueExtendedProperties, undefined, "filter matches are returned without it");
  assert.deepEqual((await lookup(CRM_ID.replace("CrmId", "crmid"), "crm-42")).value, []);
  assert.equal(
    (await lookup(CRM_ID.replace("66f5a359", "66F5A359").replace("String", "string"), "CRM-42")).value.length,
    1,
  );

  const expanded = await client.api(`/me/contacts/${stamped.id}`)
    .expand(`singleValueExtendedProperties($filter=id eq '${CRM_ID}')`).get();
  assert.deepEqual(expanded.singleValueExtendedProperties, [{ id: CRM_ID, value: "CRM-42" }]);
  const none = await client.api(`/me/contacts/${stamped.id}`)
    .expand(`singleValueExtendedProperties($filter=id eq 'String {00000000-0000-0000-0000-000000000000} Name X')`)
    .get();
  assert.equal(none.singleValueExtendedProperties, undefined);
});

Deno.test("PATCH sets an extended property; a malformed property id is a 400", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const c = await client.api("/me/contacts").post({ givenName: "Later" });
  await client.api(`/me/contacts/${c.id}`).patch({ singleValueExtendedProperties: [{ id: CRM_ID, value: "crm-7" }] });
  const hit = await client.api("/me/contacts")
    .filter(`singleValueExtendedProperties/any(ep: ep/id eq '${CRM_ID}' and ep/value eq 'crm-7')`).get();
  assert.equal(hit.value.length, 1);
  const bad = await client.api(`/me/contacts/${c.id}`)
    .patch({ singleValueExtendedProperties: [{ id: "not an id", value: "x" }] }).catch((e) => e);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.code, "ErrorInvalidProperty");
});

Deno.test("Prefer IdType=ImmutableId answers immutable ids that survive an id change; regular ids do not", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const immutable = 'IdType="ImmutableId"';
  const c = await client.api("/me/contacts").header("Prefer", immutable).post({ givenName: "Moves" });
  const regular = (await client.api("/me/contacts").get()).value[0];
  assert.notEqual(c.id, regular.id);
  const delta = await client.api("/me/contacts/delta").get();

  const changed = await s.emu.admin.changeItemId("adele@contoso.test", c.id);
  assert.equal(changed.previousId, regular.id);
  assert.equal(changed.immutableId, c.id);
  const gone = await client.api(`/me/contacts/${regular.id}`).get().catch((e) => e);
  assert.equal(gone.statusCode, 404);
  const still = await client.api(`/me/contacts/${c.id}`).header("Prefer", immutable).get();
  assert.equal(still.id, c.id);
  assert.equal((await client.api(`/me/contacts/${changed.id}`).get()).id, changed.id);

  // Regular-id delta reports the old id removed and the item under its new id.
  const next = await client.api(delta["@odata.deltaLink"]).get();
  assert.deepEqual(next.value.map((e: { id: string; "@removed"?: unknown }) => [e.id, !!e["@removed"]]), [
    [regular.id, true],
    [changed.id, false],
  ]);
});
