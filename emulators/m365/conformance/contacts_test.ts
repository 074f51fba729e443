// Conformance: contacts and contact folders, from the request/response examples of the v1.0 API pages.
import assert from "node:assert/strict";
import { assertDocShape, type Json, startDocBed } from "./doc_shape.ts";

Deno.test("user-post-contacts.md: 201 with the documented keys; displayName made from the name parts", async () => {
  await using bed = await startDocBed();
  const res = await bed.call("POST", "/me/contacts", {
    body: {
      givenName: "Pavel",
      surname: "Bansky",
      emailAddresses: [{ address: "pavelb@contoso.com", name: "Pavel Bansky" }],
      businessPhones: ["+1 732 555 0102"],
    },
  });
  assert.equal(res.status, 201);
  assertDocShape(res.body, {
    id: "id-value",
    createdDateTime: "2015-11-09T02:14:32Z",
    lastModifiedDateTime: "2015-11-09T02:14:32Z",
    displayName: "Pavel Bansky",
  });
  assert.equal(res.body.displayName, "Pavel Bansky");
  assert.deepEqual(res.body.businessPhones, ["+1 732 555 0102"]);
});

Deno.test("contact resource: birthday is an Edm.DateTimeOffset that Graph also takes as a date alone", async () => {
  await using bed = await startDocBed();
  const res = await bed.call("POST", "/me/contacts", { body: { givenName: "Born", birthday: "1974-07-22" } });
  assert.equal(res.status, 201);
  assert.equal(res.body.birthday, "1974-07-22T00:00:00Z");
  const full = await bed.call("POST", "/me/contacts", {
    body: { givenName: "Exact", birthday: "2016-10-19T10:37:00Z" },
  });
  assert.equal(full.body.birthday, "2016-10-19T10:37:00Z", "contact-delta.md's value comes back as written");
  const bad = await bed.call("POST", "/me/contacts", { body: { givenName: "Bad", birthday: "22.07.1974" } });
  assert.equal(bad.status, 400);
});

Deno.test("contact-delta.md: $select=displayName with odata.maxpagesize=2 pages with a skiptoken; the id always comes", async () => {
  await using bed = await startDocBed();
  const folder = await bed.call("POST", "/me/contactFolders", { body: { displayName: "Agency" } });
  for (const n of ["A", "B", "C"]) {
    await bed.call("POST", `/me/contactFolders/${folder.body.id}/contacts`, { body: { givenName: n, fileAs: n } });
  }
  const res = await bed.call("GET", `/me/contactFolders/${folder.body.id}/contacts/delta?$select=displayName`, {
    headers: { Prefer: "odata.maxpagesize=2" },
  });
  assert.equal(res.status, 200);
  assert.match(res.body["@odata.nextLink"] as string, /\/contacts\/delta\?\$skiptoken=[^&]+$/);
  assertDocShape(res.body.value, [{ id: "id", displayName: "displayName-value" }]);
  const props = (res.body.value as Json[]).map((v) => Object.keys(v).filter((k) => !k.startsWith("@")).sort());
  assert.deepEqual(props, [["displayName", "id"], ["displayName", "id"]]);
  const next = await bed.call("GET", (res.body["@odata.nextLink"] as string).replace(/^.*\/v1\.0/, ""));
  assert.match(next.body["@odata.deltaLink"] as string, /\$deltatoken=/);
  assert.deepEqual(Object.keys((next.body.value as Json[])[0]!).filter((k) => !k.startsWith("@")).sort(), [
    "displayName",
    "id",
  ], "the $select of the first request lives in the token");
});

Deno.test("contactfolder-delta.md: contact folders page by odata.maxpagesize; renames and deletes come in the next round", async () => {
  await using bed = await startDocBed();
  const made = [];
  for (const name of ["Buyers", "Sellers", "Notaries"]) {
    made.push((await bed.call("POST", "/me/contactFolders", { body: { displayName: name } })).body);
  }
  const first = await bed.call("GET", "/me/contactFolders/delta", { headers: { Prefer: "odata.maxpagesize=2" } });
  assert.equal(first.status, 200);
  assert.match(first.body["@odata.nextLink"] as string, /\/me\/contactFolders\/delta\?\$skiptoken=/);
  assertDocShape(first.body.value, [{
    parentFolderId: "parentFolderId-value",
    displayName: "displayName-value",
    id: "id-value",
  }], { exact: true });
  const rest = await bed.call("GET", (first.body["@odata.nextLink"] as string).replace(/^.*\/v1\.0/, ""));
  const names = [...first.body.value as Json[], ...rest.body.value as Json[]].map((f) => f.displayName).sort();
  assert.deepEqual(names, ["Buyers", "Notaries", "Sellers"]);
  await bed.call("PATCH", `/me/contactFolders/${made[0]!.id}`, { body: { displayName: "Buyers 2025" } });
  await bed.call("DELETE", `/me/contactFolders/${made[1]!.id}`);
  const round = await bed.call("GET", (rest.body["@odata.deltaLink"] as string).replace(/^.*\/v1\.0/, ""));
  assert.deepEqual(
    (round.body.value as Json[]).map((f) => [f.id, f.displayName ?? f["@removed"]]),
    [[made[0]!.id, "Buyers 2025"], [made[1]!.id, { reason: "deleted" }]],
  );
});

Deno.test("contactfolder-get.md: the default folder is reachable by its well-known name 'contacts' in any casing", async () => {
  await using bed = await startDocBed();
  const res = await bed.call("GET", "/me/contactFolders/contacts");
  assert.equal(res.status, 200);
  assertDocShape(res.body, { displayName: "Finance", id: "AAMkAGI2TKI5AAA=", parentFolderId: "AAMkAGI2AAEOAAA=" });
  assert.equal(res.body.displayName, "Contacts");
  const created = await bed.call("POST", "/me/contactFolders/Contacts/contacts", { body: { givenName: "Root" } });
  assert.equal(created.body.parentFolderId, res.body.id);
  const plain = await bed.call("GET", "/me/contacts");
  assert.deepEqual((plain.body.value as Json[]).map((c) => c.givenName), ["Root"]);
});
