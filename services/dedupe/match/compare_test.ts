import assert from "node:assert/strict";
import { compareContacts, CONTACT_COMPARISONS, isDifferentPerson } from "./compare.ts";
import { prepared } from "./_test_utils.ts";

const level = (
  field: keyof typeof CONTACT_COMPARISONS,
  a: Parameters<typeof prepared>[0],
  b: Parameters<typeof prepared>[0],
) => {
  const order = Object.keys(CONTACT_COMPARISONS);
  const l = compareContacts(prepared(a), prepared(b)).levels[order.indexOf(field)]!;
  return l === -1 ? "missing" : CONTACT_COMPARISONS[field][l];
};

Deno.test("compareContacts() D1: given names agree by nickname, initial and typo; unrelated names differ", () => {
  assert.equal(
    level("given", { givenName: "Beppe", familyName: "Rossi" }, { givenName: "Giuseppe", familyName: "Rossi" }),
    "nickname",
  );
  assert.equal(
    level("given", { givenName: "M.", familyName: "Rossi" }, { givenName: "Maria", familyName: "Rossi" }),
    "initial",
  );
  assert.equal(
    level("given", { givenName: "Mrakus", familyName: "Beer" }, { givenName: "Markus", familyName: "Beer" }),
    "similar",
  );
  assert.equal(
    level("given", { givenName: "Marco", familyName: "Rossi" }, { givenName: "Giulia", familyName: "Rossi" }),
    "unrelated",
  );
  assert.equal(level("given", { familyName: "Rossi" }, { givenName: "Giulia", familyName: "Rossi" }), "missing");
});

Deno.test("compareContacts() D1: swapped given and family names are compared across roles", () => {
  const r = compareContacts(
    prepared({ givenName: "Rossi", familyName: "Mario" }),
    prepared({ givenName: "Mario", familyName: "Rossi" }),
  );
  assert.equal(r.swapped, true);
  assert.deepEqual(r.levels.slice(0, 2), [0, 0]);
});

Deno.test("compareContacts() D1: e-mail by mailbox (case, gmail dots), then mailbox name at another provider", () => {
  assert.equal(
    level("email", { emails: [{ address: "Anna.Rossi@gmail.com", kind: "work" }] }, {
      emails: [{ address: "annarossi@googlemail.com", kind: "home" }],
    }),
    "exact",
  );
  assert.equal(
    level("email", { familyName: "Rossi", emails: [{ address: "skipper77@web.de", kind: "work" }] }, {
      familyName: "Rossi",
      emails: [{ address: "skipper77@gmx.de", kind: "work" }],
    }),
    "local",
  );
  assert.equal(
    level("email", { familyName: "Rossi", emails: [{ address: "anna.rossi@web.de", kind: "work" }] }, {
      familyName: "Rossi",
      emails: [{ address: "anna.rossi@gmx.de", kind: "work" }],
    }),
    "missing",
    "a mailbox spelt from a name both share adds nothing to the name",
  );
});

Deno.test("compareContacts() D1: phones in E.164 (national vs international), mobile vs shared landline", () => {
  assert.equal(
    level("phone", { phones: [{ number: "0171 2345678", kind: "mobile" }] }, {
      phones: [{ number: "+49 171 2345678", kind: "mobile" }],
    }),
    "mobile",
  );
  assert.equal(
    level("phone", { phones: [{ number: "030 1234567", kind: "home" }] }, {
      phones: [{ number: "+49 30 1234567", kind: "home" }],
    }),
    "landline",
  );
});

Deno.test("compareContacts() D1: birthdays with day and month swapped, or one part mistyped", () => {
  assert.equal(level("birthday", { birthday: "1980-03-07" }, { birthday: "1980-07-03" }), "swapped");
  assert.equal(level("birthday", { birthday: "1980-03-07" }, { birthday: "1980-03-08" }), "near");
  assert.equal(level("birthday", { birthday: "1980-03-07" }, { birthday: "1975-11-21" }), "differs");
});

Deno.test("compareContacts() D1: company without legal form, address with street abbreviations", () => {
  assert.equal(level("company", { company: "Conti S.r.l." }, { company: "CONTI SRL" }), "exact");
  const addr = (street: string) => ({
    addresses: [{ kind: "home" as const, street, postalCode: "80802", city: "München", state: "", country: "DE" }],
  });
  assert.equal(level("address", addr("Leopoldstraße 1"), addr("Leopoldstr. 1")), "exact");
});

Deno.test("isDifferentPerson() D3: a household sharing e-mail and landline is two people", () => {
  const shared = {
    familyName: "Rossi",
    emails: [{ address: "famiglia.rossi@libero.it", kind: "home" as const }],
    phones: [{ number: "+39 06 1234567", kind: "home" as const }],
  };
  const r = compareContacts(prepared({ ...shared, givenName: "Marco" }), prepared({ ...shared, givenName: "Giulia" }));
  assert.equal(isDifferentPerson(r.levels), true);
  const typo = compareContacts(
    prepared({ ...shared, givenName: "Marco" }),
    prepared({ ...shared, givenName: "Macro" }),
  );
  assert.equal(isDifferentPerson(typo.levels), false);
});
