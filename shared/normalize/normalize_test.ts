import assert from "node:assert/strict";
import {
  areNicknames,
  emailIdentity,
  isOneSlip,
  isValidEmail,
  jaroWinkler,
  nameCompanyKey,
  normalizeCompany,
  normalizeEmail,
  normalizeName,
  normalizeStreet,
  phoneticKey,
  toE164,
} from "./mod.ts";

Deno.test("toE164() gives one form for national and international notations, undefined when invalid", () => {
  assert.equal(toE164("030 1234567", "DE"), "+49301234567");
  assert.equal(toE164("+49 (30) 123-4567", "DE"), "+49301234567");
  assert.equal(toE164("+39 06 1234 5678", "DE"), "+390612345678");
  assert.equal(toE164("12", "DE"), undefined);
  assert.equal(toE164("  ", "DE"), undefined);
});

Deno.test("normalizeName() and nameCompanyKey() ignore case, accents and spacing", () => {
  assert.equal(normalizeName("  Ünal   ÇELİK "), "unal celik");
  assert.equal(nameCompanyKey("José", "Álvarez", " ACME  GmbH"), "jose|alvarez|acme gmbh");
  assert.equal(nameCompanyKey("", " ", "ACME"), undefined);
});

Deno.test("normalizeEmail() and isValidEmail()", () => {
  assert.equal(normalizeEmail(" Anna.Rossi@Example.COM "), "anna.rossi@example.com");
  assert.equal(isValidEmail("anna@example.com"), true);
  assert.equal(isValidEmail("anna@"), false);
});

Deno.test("emailIdentity() gives one key per mailbox: case, +tags, gmail dots and googlemail (D1)", () => {
  assert.equal(emailIdentity("Anna.Rossi+crm@GoogleMail.com")?.key, "annarossi@gmail.com");
  assert.equal(emailIdentity("anna.rossi@web.de")?.key, "anna.rossi@web.de", "dots count outside gmail");
  assert.equal(emailIdentity("info@rossi.example")?.personalLocal, undefined, "role addresses name nobody");
  assert.equal(emailIdentity("anna.rossi@web.de")?.personalLocal, "anna.rossi");
  assert.equal(emailIdentity("not an address"), undefined);
});

Deno.test("areNicknames() knows familiar forms across the CRM's markets (D1)", () => {
  assert.ok(areNicknames("beppe", "giuseppe"));
  assert.ok(areNicknames("hans", "johannes"));
  assert.ok(areNicknames("sepp", "josef"));
  assert.ok(!areNicknames("maria", "giulia"));
});

Deno.test("normalizeCompany() and normalizeStreet() drop what does not tell records apart", () => {
  assert.equal(normalizeCompany("Conti S.r.l."), normalizeCompany("CONTI SRL"));
  assert.equal(normalizeCompany("Schulz Immobilien GmbH & Co. KG"), "schulz immobilien");
  assert.equal(normalizeStreet("Leopoldstraße 1"), normalizeStreet("Leopoldstr. 1"));
  assert.equal(normalizeStreet("Via Roma 3"), normalizeStreet("V. Roma 3"));
});

Deno.test("jaroWinkler(), isOneSlip() and phoneticKey() as record linkage uses them", () => {
  assert.ok(jaroWinkler("martha", "marhta") > 0.95);
  assert.equal(jaroWinkler("", "x"), 0);
  assert.ok(isOneSlip("meier", "mier"));
  assert.ok(isOneSlip("dietrich", "diertich"), "two neighbours swapped");
  assert.ok(!isOneSlip("meier", "maurer"));
  assert.equal(phoneticKey("Meier"), phoneticKey("Mayer"));
  assert.equal(phoneticKey("Müller"), phoneticKey("Mueller"));
});
