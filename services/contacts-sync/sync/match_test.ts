import assert from "node:assert/strict";
import { emptyCanonicalContact } from "./canonical.ts";
import type { CanonicalContact } from "./canonical.ts";
import { matchContacts } from "./match.ts";

function cand(id: string, over: Partial<CanonicalContact>) {
  return { id, canonical: { ...emptyCanonicalContact(), ...over } };
}

Deno.test("matchContacts() pairs contacts by e-mail ignoring case (C7)", () => {
  const r = matchContacts(
    [cand("c1", { givenName: "Anna", emails: ["Anna@X.example"] }), cand("c2", { givenName: "Bob" })],
    [cand("g1", { givenName: "Anna R.", emails: ["anna@x.example"] })],
  );
  assert.deepEqual(r.pairs, [{ crmId: "c1", graphId: "g1", by: "email" }]);
  assert.deepEqual(r.unmatchedCrmIds, ["c2"]);
  assert.deepEqual(r.unmatchedGraphIds, []);
});

Deno.test("matchContacts() pairs contacts by phone in E.164 with the default country (C7)", () => {
  const r = matchContacts(
    [cand("c1", { familyName: "Rossi", mobilePhone: "0171 2345678" })],
    [cand("g1", { familyName: "Rossi-Neri", businessPhones: ["+49 171 2345678"] })],
    { defaultCountry: "DE" },
  );
  assert.deepEqual(r.pairs, [{ crmId: "c1", graphId: "g1", by: "phone" }]);
});

Deno.test("matchContacts() pairs contacts by name and company ignoring case, accents and spaces (C7)", () => {
  const r = matchContacts(
    [cand("c1", { givenName: "José", familyName: "Álvarez", company: "Casa  Bella" })],
    [cand("g1", { givenName: "jose", familyName: "ALVAREZ", company: "casa bella" })],
  );
  assert.deepEqual(r.pairs, [{ crmId: "c1", graphId: "g1", by: "name_company" }]);
});

Deno.test("matchContacts() prefers e-mail over phone over name when they disagree (C7)", () => {
  const r = matchContacts(
    [
      cand("c1", { givenName: "A", emails: ["a@x.example"], mobilePhone: "+49 171 1111111" }),
      cand("c2", { givenName: "B", mobilePhone: "+49 171 2222222" }),
    ],
    [
      cand("g1", { givenName: "B", emails: ["a@x.example"] }),
      cand("g2", { givenName: "A", mobilePhone: "+49 171 2222222" }),
    ],
  );
  assert.deepEqual(r.pairs, [
    { crmId: "c1", graphId: "g1", by: "email" },
    { crmId: "c2", graphId: "g2", by: "phone" },
  ]);
});

Deno.test("matchContacts() links only 1:1 matches and reports ambiguous ones as probable duplicates (C7, A9)", () => {
  const r = matchContacts(
    [
      cand("c1", { givenName: "Anna", emails: ["info@agency.example"] }),
      cand("c2", { givenName: "Bruno", emails: ["info@agency.example"] }),
      cand("c3", { givenName: "Carla", emails: ["shared@agency.example"] }),
      cand("c4", { givenName: "Carla", emails: ["shared@agency.example"] }),
    ],
    [
      cand("g1", { givenName: "Anna", emails: ["info@agency.example"] }),
      cand("g3", { givenName: "Carla", emails: ["shared@agency.example"] }),
    ],
  );
  // Anna is settled by name once the shared address is ambiguous; Bruno's candidate is taken.
  assert.deepEqual(r.pairs, [{ crmId: "c1", graphId: "g1", by: "content" }]);
  assert.deepEqual(r.unmatchedCrmIds, ["c2"]);
  assert.deepEqual(new Set(r.probableDuplicates.flatMap((d) => d.crmIds)), new Set(["c3", "c4"]));
  assert.deepEqual(new Set(r.probableDuplicates.flatMap((d) => d.graphIds)), new Set(["g3"]));
  assert.deepEqual(r.unmatchedGraphIds, []);
});

Deno.test("matchContacts() never pairs on empty keys", () => {
  const r = matchContacts([cand("c1", { notes: "x" })], [cand("g1", { notes: "x" })]);
  assert.deepEqual(r.pairs, []);
  assert.deepEqual(r.probableDuplicates, []);
});

Deno.test("matchContacts() matches 20,000 contacts in linear time", () => {
  const n = 10_000;
  const crm = Array.from({ length: n }, (_, i) => cand(`c${i}`, { givenName: `N${i}`, emails: [`p${i}@x.example`] }));
  const out = Array.from({ length: n }, (_, i) => cand(`g${i}`, { givenName: `M${i}`, emails: [`P${i}@x.example`] }));
  const r = matchContacts(crm, out);
  assert.equal(r.pairs.length, n);
});
