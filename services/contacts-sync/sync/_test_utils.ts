// Test-only helpers: fast-check arbitraries of canonical contacts and CRM contact fixtures.
import type { ContactFields } from "@app/shared/contract";
import fc from "fast-check";
import type { CanonicalAddress, CanonicalContact } from "./canonical.ts";

const word = fc.stringMatching(/^[A-Za-zÄÖÜäöüéèàß0-9.'-]{1,8}$/);
/** A single-line value that survives trimming and whitespace collapsing. */
export const line: fc.Arbitrary<string> = fc.oneof(
  fc.constant(""),
  fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(" ")),
);
const text = fc.array(line, { maxLength: 3 }).map((ls) => ls.join("\n").trim());
const email = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.stringMatching(/^[a-z]{2,8}$/)).map(([l, d]) =>
  `${l}@${d}.example`
);
const phone = fc.stringMatching(/^\+?[1-9][0-9]{5,11}$/);
const address: fc.Arbitrary<CanonicalAddress | null> = fc.option(
  fc.record({ street: text, postalCode: line, city: line, state: line, country: line }).filter((a) =>
    Object.values(a).some((v) => v !== "")
  ),
  { nil: null },
);
const date = fc.date({
  min: new Date("1900-01-01T00:00:00Z"),
  max: new Date("2030-12-31T00:00:00Z"),
  noInvalidDate: true,
})
  .map((d) => d.toISOString().slice(0, 10));

/** Any canonical contact: what either side can hold, already in normal form. */
export const canonicalContact: fc.Arbitrary<CanonicalContact> = fc.record({
  honorific: fc.oneof(line, fc.constantFrom("Herr", "Frau Dr.", "Mr. Prof.", "Dr.")),
  givenName: line,
  middleName: line,
  familyName: line,
  company: line,
  jobTitle: line,
  emails: fc.uniqueArray(email, { maxLength: 3, selector: (e) => e.toLowerCase() }),
  businessPhones: fc.array(phone, { maxLength: 2 }),
  mobilePhone: fc.oneof(fc.constant(""), phone),
  homePhones: fc.array(phone, { maxLength: 2 }),
  businessAddress: address,
  homeAddress: address,
  otherAddress: address,
  birthday: fc.option(date, { nil: null }),
  notes: text,
}).map((c) => JSON.parse(JSON.stringify(c)) as CanonicalContact); // plain prototypes for deepEqual

/** CRM contact fields with every synced field empty, overridden by `over`. */
export function crmFields(over: Partial<ContactFields> = {}): ContactFields {
  return {
    salutation: "",
    title: "",
    givenName: "",
    middleName: "",
    familyName: "",
    company: "",
    jobTitle: "",
    emails: [],
    phones: [],
    addresses: [],
    birthday: null,
    notes: "",
    ...over,
  };
}
