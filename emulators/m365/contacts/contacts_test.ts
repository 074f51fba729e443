import assert from "node:assert/strict";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { signedInGraph, startSeeded } from "../testdata/harness.ts";

const SEVEN_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

Deno.test('contacts CRUD answers Graph\'s shapes: @odata.context, @odata.etag = W/"changeKey", seven-digit dates', async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const created = await client.api("/me/contacts").post({
    givenName: "Pavel",
    surname: "Bansky",
    emailAddresses: [{ address: "pavelb@fabrikam.test" }],
    businessPhones: ["+1 732 555 0102"],
  });
  assert.match(created["@odata.context"], /\/v1\.0\/\$metadata#users\('.+'\)\/contacts\/\$entity$/);
  assert.equal(created["@odata.etag"], `W/"${created.changeKey}"`);
  assert.match(created.createdDateTime, SEVEN_DIGITS);
  assert.equal(created.displayName, "Pavel Bansky");
  assert.deepEqual(created.emailAddresses, [{ name: "pavelb@fabrikam.test", address: "pavelb@fabrikam.test" }]);

  const updated = await client.api(`/me/contacts/${created.id}`).patch({ jobTitle: "Broker", displayName: "Pavel B." });
  assert.notEqual(updated.changeKey, created.changeKey);
  assert.equal(updated.displayName, "Pavel B.");
  // A name change without displayName lets Outlook regenerate it (graph-facts §1.1).
  const renamed = await client.api(`/me/contacts/${created.id}`).patch({ surname: "Banski" });
  assert.equal(renamed.displayName, "Pavel Banski");

  const selected = await client.api(`/me/contacts/${created.id}`).select(["jobTitle"]).get();
  assert.deepEqual(Object.keys(selected).sort(), ["@odata.context", "@odata.etag", "id", "jobTitle"]);

  await client.api(`/me/contacts/${created.id}`).delete();
  const err = await client.api(`/me/contacts/${created.id}`).get().then(() => undefined, (e) => e);
  assert.ok(err instanceof GraphError);
  assert.equal(err.statusCode, 404);
  assert.equal(err.code, "ErrorItemNotFound");
  assert.match(err.requestId ?? "", /^[0-9a-f-]{36}$/);
  const body = JSON.parse(err.body as string);
  assert.deepEqual(Object.keys(body.innerError ?? body).filter((k) => /date|request-id/.test(k)).sort(), [
    "client-request-id",
    "date",
    "request-id",
  ]);
});

Deno.test("a malformed contact body is a Graph 400 naming the field", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const unknown = await client.api("/me/contacts").post({ givenName: "A", favouriteColour: "red" }).catch((e) => e);
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.code, "RequestBodyRead");
  assert.match(unknown.message, /'favouriteColour' does not exist on type 'microsoft.graph.contact'/);
  const wrongType = await client.api("/me/contacts").post({ businessPhones: "555" }).catch((e) => e);
  assert.equal(wrongType.statusCode, 400);
  assert.match(wrongType.message, /'businessPhones'/);
});

Deno.test("contact folders: create, list (children of Contacts), get; contacts live in their folder", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const folder = await client.api("/me/contactFolders").post({ displayName: "CRM" });
  const dup = await client.api("/me/contactFolders").post({ displayName: "crm" }).catch((e) => e);
  assert.equal(dup.statusCode, 409);
  const list = await client.api("/me/contactFolders").get();
  assert.deepEqual(list.value.map((f: { displayName: string }) => f.displayName), ["CRM"]);
  const got = await client.api(`/me/contactFolders/${folder.id}`).get();
  assert.equal(got.displayName, "CRM");
  const c = await client.api(`/me/contactFolders/${folder.id}/contacts`).post({ givenName: "In", surname: "Folder" });
  assert.equal(c.parentFolderId, folder.id);
  assert.equal((await client.api(`/me/contactFolders/${folder.id}/contacts`).get()).value.length, 1);
  assert.equal((await client.api("/me/contacts").get()).value.length, 0);
  // `/contacts/{id}` reaches a contact in any folder, as in Outlook.
  assert.equal((await client.api(`/me/contacts/${c.id}`).get()).id, c.id);
  const userForm = await client.api(`/users/${s.users[0]!.userPrincipalName}/contactFolders/${folder.id}/contacts`)
    .get();
  assert.equal(userForm.value.length, 1);
});

Deno.test("list paging follows $top and odata.maxpagesize with @odata.nextLink", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  await s.emu.admin.bulkContacts("adele@contoso.test", Array.from({ length: 25 }, (_, i) => ({ givenName: `C${i}` })));
  const first = await client.api("/me/contacts").get();
  assert.equal(first.value.length, 10, "Outlook's default page size");
  const paged = await client.api("/me/contacts").header("Prefer", "odata.maxpagesize=20").get();
  assert.equal(paged.value.length, 20);
  const rest = await client.api(paged["@odata.nextLink"]).get();
  assert.equal(rest.value.length, 5);
  assert.equal(rest["@odata.nextLink"], undefined);
  const top = await client.api("/me/contacts").top(3).get();
  assert.equal(top.value.length, 3);
  assert.match(top["@odata.nextLink"], /\$skip=3/);
});

Deno.test("/me needs a User.* permission; with User.Read it returns the user", async () => {
  await using s = await startSeeded();
  const without = await signedInGraph(s);
  const denied = await without.client.api("/me").get().catch((e) => e);
  assert.equal(denied.statusCode, 403);
  assert.equal(denied.code, "ErrorAccessDenied");
  const withUser = await signedInGraph(s, undefined, ["User.Read", "Contacts.Read"]);
  const me = await withUser.client.api("/me").get();
  assert.equal(me.userPrincipalName, "adele@contoso.test");
  assert.match(me["@odata.context"], /\$metadata#users\/\$entity$/);
  const byUpn = await withUser.client.api("/users/ADELE@contoso.test").select(["displayName"]).get();
  assert.deepEqual(Object.keys(byUpn).sort(), ["@odata.context", "displayName", "id"]);
  const missing = await withUser.client.api("/users/nobody@contoso.test/contacts").get().catch((e) => e);
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.code, "ErrorInvalidUser");
  const write = await withUser.client.api("/me/contacts").post({ givenName: "x" }).catch((e) => e);
  assert.equal(write.statusCode, 403, "Contacts.Read cannot write");
});

Deno.test("If-Match with a stale change key answers 412 ErrorIrresolvableConflict", async () => {
  await using s = await startSeeded();
  const { client } = await signedInGraph(s);
  const c = await client.api("/me/contacts").post({ givenName: "E" });
  await client.api(`/me/contacts/${c.id}`).patch({ givenName: "F" });
  const err = await client.api(`/me/contacts/${c.id}`).header("If-Match", c["@odata.etag"]).patch({ givenName: "G" })
    .catch((e) => e);
  assert.equal(err.statusCode, 412);
  assert.equal(err.code, "ErrorIrresolvableConflict");
  const fresh = await client.api(`/me/contacts/${c.id}`).get();
  const ok = await client.api(`/me/contacts/${c.id}`).header("If-Match", fresh["@odata.etag"]).patch({
    givenName: "G",
  });
  assert.equal(ok.givenName, "G");
});
