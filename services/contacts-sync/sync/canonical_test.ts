import assert from "node:assert/strict";
import fc from "fast-check";
import { canonicalContact, crmFields } from "./_test_utils.ts";
import { alignEquivalent, emptyCanonicalContact } from "./canonical.ts";
import { canonicalToCrmFields, crmContactToCanonical, settleThroughCrm } from "./crm_mapping.ts";
import {
  birthdayDate,
  canonicalToGraphContact,
  CRM_ID_PROPERTY_ID,
  crmIdStampOf,
  graphContactToCanonical,
} from "./graph_mapping.ts";

Deno.test("canonical → CRM → canonical is the identity, so our CRM writes come back as no-ops", () => {
  fc.assert(fc.property(canonicalContact, (c) => {
    assert.deepEqual(crmContactToCanonical(canonicalToCrmFields(c)).canonical, c);
  }));
});

Deno.test("canonical → Graph body (over JSON) → canonical is the identity, so our Outlook writes come back as no-ops", () => {
  fc.assert(fc.property(canonicalContact, (c) => {
    const wire = JSON.parse(JSON.stringify(canonicalToGraphContact(c, "c-1")));
    assert.deepEqual(graphContactToCanonical(wire).canonical, c);
  }));
});

Deno.test("canonicalToCrmFields() with the CRM contact it came from changes nothing", () => {
  fc.assert(fc.property(canonicalContact, canonicalContact, (a, b) => {
    const prev = canonicalToCrmFields(a);
    assert.deepEqual(canonicalToCrmFields(crmContactToCanonical(prev).canonical, prev), prev);
    const settled = settleThroughCrm(b, prev);
    assert.deepEqual(settleThroughCrm(settled.canonical, settled.fields).canonical, settled.canonical);
  }));
});

Deno.test("canonicalToGraphContact() always sends displayName and stamps the CRM id (C8)", () => {
  const body = canonicalToGraphContact(
    crmContactToCanonical(crmFields({ givenName: "Anna", familyName: "Rossi", company: "Acme" })).canonical,
    "crm-42",
  );
  assert.equal(body.displayName, "Anna Rossi");
  assert.equal(crmIdStampOf(body), "crm-42");
  assert.deepEqual(body.singleValueExtendedProperties, [{ id: CRM_ID_PROPERTY_ID, value: "crm-42" }]);
  const companyOnly = canonicalToGraphContact(crmContactToCanonical(crmFields({ company: "Acme" })).canonical, "x");
  assert.equal(companyOnly.displayName, "Acme");
});

Deno.test("crmContactToCanonical() maps every synced CRM field (C1)", () => {
  const { canonical, warnings } = crmContactToCanonical(crmFields({
    salutation: "Frau",
    title: "Dr.",
    givenName: " Anna ",
    middleName: "Maria",
    familyName: "Rossi",
    company: "Acme",
    jobTitle: "Agent",
    emails: [{ address: "anna@acme.example", kind: "work" }],
    phones: [
      { number: "+49 30 1", kind: "business" },
      { number: "+49 171 2", kind: "mobile" },
      { number: "+49 30 3", kind: "home" },
    ],
    addresses: [{ kind: "home", street: "Weg 1", postalCode: "10115", city: "Berlin", state: "", country: "DE" }],
    birthday: "1980-02-29",
    notes: "line 1\r\nline 2",
  }));
  assert.deepEqual(warnings, []);
  assert.deepEqual(canonical, {
    honorific: "Frau Dr.",
    givenName: "Anna",
    middleName: "Maria",
    familyName: "Rossi",
    company: "Acme",
    jobTitle: "Agent",
    emails: ["anna@acme.example"],
    businessPhones: ["+49 30 1"],
    mobilePhone: "+49 171 2",
    homePhones: ["+49 30 3"],
    businessAddress: null,
    homeAddress: { street: "Weg 1", postalCode: "10115", city: "Berlin", state: "", country: "DE" },
    otherAddress: null,
    birthday: "1980-02-29",
    notes: "line 1\nline 2",
  });
});

Deno.test("crmContactToCanonical() skips invalid e-mails and reports them as warnings, never failing (C6)", () => {
  const { canonical, warnings } = crmContactToCanonical(crmFields({
    emails: [
      { address: "not-an-email", kind: "work" },
      { address: "a@x.example", kind: "work" },
      { address: "A@X.example", kind: "home" },
      { address: "b@x.example", kind: "work" },
      { address: "c@x.example", kind: "work" },
      { address: "d@x.example", kind: "work" },
    ],
  }));
  assert.deepEqual(canonical.emails, ["a@x.example", "b@x.example", "c@x.example"]);
  assert.deepEqual(warnings.map((w) => w.code), ["invalid_email", "too_many_emails"]);
});

Deno.test("canonicalToCrmFields() keeps CRM detail Outlook cannot hold when Outlook changed another field", () => {
  const prev = crmFields({
    salutation: "Herr",
    title: "Prof. Dr.",
    familyName: "Bianchi",
    emails: [
      { address: "bad@", kind: "other" },
      { address: "p@x.example", kind: "home" },
      { address: "q@x.example", kind: "work" },
      { address: "r@x.example", kind: "work" },
      { address: "s@x.example", kind: "other" },
    ],
    phones: [{ number: "1", kind: "business" }, { number: "2", kind: "business" }, { number: "3", kind: "business" }],
  });
  const c = { ...crmContactToCanonical(prev).canonical, jobTitle: "Broker" };
  const next = canonicalToCrmFields(c, prev);
  assert.equal(next.salutation, "Herr");
  assert.equal(next.title, "Prof. Dr.");
  assert.deepEqual(next.emails, prev.emails);
  assert.deepEqual(next.phones, prev.phones);
  assert.equal(next.jobTitle, "Broker");
});

Deno.test("canonicalToCrmFields() keeps e-mail kinds and unsynced addresses when Outlook changed the e-mails", () => {
  const prev = crmFields({
    emails: [{ address: "bad@", kind: "other" }, { address: "p@x.example", kind: "home" }],
  });
  const c = { ...crmContactToCanonical(prev).canonical, emails: ["new@x.example", "P@x.example"] };
  const next = canonicalToCrmFields(c, prev);
  assert.deepEqual(next.emails, [
    { address: "new@x.example", kind: "work" },
    { address: "P@x.example", kind: "home" },
    { address: "bad@", kind: "other" },
  ]);
});

Deno.test("canonicalToCrmFields() splits a new honorific into salutation and title", () => {
  const c = crmContactToCanonical(crmFields()).canonical;
  assert.deepEqual(pick(canonicalToCrmFields({ ...c, honorific: "Frau Dr." })), { salutation: "Frau", title: "Dr." });
  assert.deepEqual(pick(canonicalToCrmFields({ ...c, honorific: "Dr." })), { salutation: "", title: "Dr." });
  function pick(f: { salutation: string; title: string }) {
    return { salutation: f.salutation, title: f.title };
  }
});

Deno.test("birthdayDate() keeps the calendar date of birthdays stored at local midnight anywhere", () => {
  assert.equal(birthdayDate("1980-03-01T11:59:00Z"), "1980-03-01");
  assert.equal(birthdayDate("1980-02-29T23:00:00Z"), "1980-03-01");
  assert.equal(birthdayDate("1980-03-01T05:00:00Z"), "1980-03-01");
  assert.equal(birthdayDate("1980-03-01"), "1980-03-01");
  assert.equal(birthdayDate(null), null);
  assert.equal(birthdayDate("garbage"), null);
});

Deno.test("graphContactToCanonical() skips invalid e-mails and surplus phones with warnings (C6)", () => {
  const { canonical, warnings } = graphContactToCanonical({
    emailAddresses: [{ address: "x@@y" }, { address: "ok@y.example" }],
    businessPhones: ["1", "2", "3"],
  });
  assert.deepEqual(canonical.emails, ["ok@y.example"]);
  assert.deepEqual(canonical.businessPhones, ["1", "2"]);
  assert.deepEqual(warnings.map((w) => w.code), ["invalid_email", "too_many_phones"]);
});

Deno.test("alignEquivalent() takes the reference's e-mails and phones when they differ only in notation (C7)", () => {
  const ref = {
    ...emptyCanonicalContact(),
    givenName: "Vera",
    emails: ["Vera.Doppio@Example.com"],
    mobilePhone: "0171 5551000",
    businessPhones: ["030 771000"],
  };
  const outlook = {
    ...emptyCanonicalContact(),
    givenName: "vera",
    emails: ["vera.doppio@example.com"],
    mobilePhone: "+49 171 5551000",
    businessPhones: ["+49 (30) 771000"],
  };
  assert.deepEqual(alignEquivalent(outlook, ref, "DE"), { ...ref, givenName: "vera" }, "a name's case is a change");
  // Another mailbox, another number, or another count of values is a real difference.
  const other = { ...outlook, emails: ["vera.doppio+crm@example.com"], mobilePhone: "+49 171 5551001" };
  assert.deepEqual(alignEquivalent(other, ref, "DE"), { ...other, businessPhones: ref.businessPhones });
  const more = { ...outlook, businessPhones: ["030 771000", "030 771001"] };
  assert.deepEqual(alignEquivalent(more, ref, "DE").businessPhones, more.businessPhones);
  assert.equal(alignEquivalent(outlook, null, "DE"), outlook);
});
