import assert from "node:assert/strict";
import { isValidEmail, nameCompanyKey, normalizeEmail, normalizeName, toE164 } from "./mod.ts";

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
