import assert from "node:assert/strict";
import { generateContacts } from "../testdata/generator.ts";
import { pairwiseQuality } from "../testdata/evaluate.ts";
import { contact } from "./_test_utils.ts";
import { scanContacts } from "./scan_contacts.ts";

Deno.test("scanContacts() D1/D3: finds a noisy duplicate with a calibrated score and a reason per field", () => {
  const contacts = [
    contact({
      id: "a",
      givenName: "Giuseppe",
      familyName: "Rossi",
      emails: [{ address: "g.rossi@libero.it", kind: "home" }],
      phones: [{ number: "+39 347 555 0192", kind: "mobile" }],
      birthday: "1971-04-12",
    }),
    contact({
      id: "b",
      givenName: "Beppe",
      familyName: "Rosi",
      emails: [{ address: "G.Rossi@LIBERO.IT", kind: "work" }],
      phones: [{ number: "0039 347 5550192", kind: "mobile" }],
      birthday: "1971-12-04",
    }),
    contact({
      id: "c",
      givenName: "Anna",
      familyName: "Weber",
      emails: [{ address: "anna@weber.example", kind: "work" }],
    }),
  ];
  const r = scanContacts(contacts, { country: "DE" });
  assert.equal(r.groups.length, 1);
  const [g] = r.groups;
  assert.deepEqual(g!.recordIds, ["a", "b"]);
  assert.ok(g!.score >= 0.9 && g!.score <= 1);
  const reasons = g!.pairs[0]!.reasons;
  assert.equal(reasons.length, 7, "one reason per compared field");
  assert.match(reasons.find((x) => x.field === "given")!.text, /familiar form \((beppe ~ giuseppe|giuseppe ~ beppe)\)/);
  assert.match(reasons.find((x) => x.field === "birthday")!.text, /day and month swapped/);
  assert.match(reasons.find((x) => x.field === "email")!.text, /e-mail equal/);
});

Deno.test("scanContacts() D3: members of a household sharing e-mail, landline and address are not proposed", () => {
  const home = {
    familyName: "Bianchi",
    emails: [{ address: "casa.bianchi@libero.it", kind: "home" as const }],
    phones: [{ number: "+39 06 1234567", kind: "home" as const }],
    addresses: [{
      kind: "home" as const,
      street: "Via Roma 3",
      postalCode: "00184",
      city: "Roma",
      state: "",
      country: "IT",
    }],
  };
  const r = scanContacts([contact({ ...home, givenName: "Marco" }), contact({ ...home, givenName: "Lucia" })], {
    country: "DE",
  });
  assert.deepEqual(r.groups, []);
  assert.equal(r.stats.householdPairs, 1);
});

Deno.test("scanContacts() D1/D3: on generated noisy data, precision and recall hold and no household lure is proposed", () => {
  const data = generateContacts({ seed: 11, records: 1_500 });
  const r = scanContacts(data.contacts, { country: "DE" });
  const q = pairwiseQuality(data, r.groups);
  assert.equal(q.householdLuresProposed, 0);
  assert.ok(q.precision >= 0.97, `precision ${q.precision}`);
  assert.ok(q.recall >= 0.93, `recall ${q.recall}`);
  assert.ok(r.stats.candidatePairs < (1_500 * 1_499) / 2 / 50, "blocking, not all pairs");
});
