import type { ContactEmail, ContactFields, ContactPhone, PostalAddress } from "@app/shared/contract";
import { jsonEquals, type SyncWarning } from "@app/shared/sync";
import {
  type CanonicalAddress,
  canonicalAddress,
  type CanonicalContact,
  type Canonicalized,
  cleanLine,
  cleanText,
  MAX_BUSINESS_PHONES,
  MAX_HOME_PHONES,
  pickEmails,
  pickPhones,
} from "./canonical.ts";

/** The CRM contact's synced fields in canonical form, with warnings for what was left out (C1, C6). */
export function crmContactToCanonical(fields: ContactFields): Canonicalized {
  const warnings: SyncWarning[] = [];
  const phones = (kind: ContactPhone["kind"]) => fields.phones.filter((p) => p.kind === kind).map((p) => p.number);
  const address = (kind: PostalAddress["kind"]) => {
    const all = fields.addresses.filter((a) => a.kind === kind);
    if (all.length > 1) warnings.push({ code: "too_many_addresses", message: `only one ${kind} address is synced` });
    return canonicalAddress(all[0]);
  };
  const mobiles = pickPhones(phones("mobile"), 1, "mobile", warnings);
  const canonical: CanonicalContact = {
    honorific: cleanLine(`${fields.salutation} ${fields.title}`),
    givenName: cleanLine(fields.givenName),
    middleName: cleanLine(fields.middleName),
    familyName: cleanLine(fields.familyName),
    company: cleanLine(fields.company),
    jobTitle: cleanLine(fields.jobTitle),
    emails: pickEmails(fields.emails.map((e) => e.address), warnings),
    businessPhones: pickPhones(phones("business"), MAX_BUSINESS_PHONES, "business", warnings),
    mobilePhone: mobiles[0] ?? "",
    homePhones: pickPhones(phones("home"), MAX_HOME_PHONES, "home", warnings),
    businessAddress: address("business"),
    homeAddress: address("home"),
    otherAddress: address("other"),
    birthday: fields.birthday,
    notes: cleanText(fields.notes),
  };
  return { canonical, warnings };
}

/** Words that open an honorific and belong in the CRM's salutation rather than its title. */
const SALUTATIONS = new Set(
  ["herr", "frau", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "sig.", "sig.ra", "signor", "signora"],
);

/**
 * The CRM fields for a canonical record (C1). With `previous` (the CRM contact now), detail Outlook
 * cannot hold is kept: e-mail kinds, invalid or surplus e-mails and phones, the salutation/title
 * split when the honorific did not change. Without it, `crmContactToCanonical` of the result is the
 * identity; with it, surplus values may move up into the synced slots when synced ones were removed,
 * so callers settle the merged record through the CRM form (see `settleThroughCrm`).
 */
export function canonicalToCrmFields(c: CanonicalContact, previous?: ContactFields): ContactFields {
  const before = previous ? crmContactToCanonical(previous).canonical : undefined;
  return {
    ...splitHonorific(c.honorific, previous, before),
    givenName: c.givenName,
    middleName: c.middleName,
    familyName: c.familyName,
    company: c.company,
    jobTitle: c.jobTitle,
    emails: before && jsonEquals(before.emails, c.emails) ? previous!.emails : emailsFor(c.emails, previous),
    phones: phonesFor(c, previous, before),
    addresses: addressesFor(c),
    birthday: c.birthday,
    notes: c.notes,
  };
}

/** The CRM record `fields` would become, in canonical form: what both sides end up holding. */
export function settleThroughCrm(c: CanonicalContact, previous?: ContactFields): {
  fields: ContactFields;
  canonical: CanonicalContact;
} {
  const fields = canonicalToCrmFields(c, previous);
  return { fields, canonical: crmContactToCanonical(fields).canonical };
}

function splitHonorific(
  honorific: string,
  previous: ContactFields | undefined,
  before: CanonicalContact | undefined,
): { salutation: string; title: string } {
  if (previous && before?.honorific === honorific) return { salutation: previous.salutation, title: previous.title };
  const [first = "", ...rest] = honorific.split(" ");
  const prevSalutation = cleanLine(previous?.salutation);
  if (first !== "" && (SALUTATIONS.has(first.toLowerCase()) || first === prevSalutation)) {
    return { salutation: first, title: rest.join(" ") };
  }
  return { salutation: "", title: honorific };
}

function emailsFor(emails: readonly string[], previous: ContactFields | undefined): ContactEmail[] {
  const kinds = new Map(previous?.emails.map((e) => [cleanLine(e.address).toLowerCase(), e.kind]));
  const out: ContactEmail[] = emails.map((address) => ({ address, kind: kinds.get(address.toLowerCase()) ?? "work" }));
  // Keep what Outlook never saw: invalid addresses (still reported, C6) and those past the third.
  const synced = new Set(pickEmails(previous?.emails.map((e) => e.address) ?? [], []).map((a) => a.toLowerCase()));
  const taken = new Set(emails.map((a) => a.toLowerCase()));
  for (const e of previous?.emails ?? []) {
    const key = cleanLine(e.address).toLowerCase();
    if (key === "" || synced.has(key) || taken.has(key)) continue;
    taken.add(key);
    out.push(e);
  }
  return out.slice(0, 10);
}

function phonesFor(c: CanonicalContact, previous: ContactFields | undefined, before: CanonicalContact | undefined) {
  const list = (kind: ContactPhone["kind"], now: string[], was: string[] | undefined, max: number): ContactPhone[] => {
    const prev = previous?.phones.filter((p) => p.kind === kind && cleanLine(p.number) !== "") ?? [];
    if (was && jsonEquals(was, now)) return prev;
    return [...now.map((number) => ({ number, kind })), ...prev.slice(max)];
  };
  const mobile = c.mobilePhone === "" ? [] : [c.mobilePhone];
  const wasMobile = before ? (before.mobilePhone === "" ? [] : [before.mobilePhone]) : undefined;
  return [
    ...list("business", c.businessPhones, before?.businessPhones, MAX_BUSINESS_PHONES),
    ...list("mobile", mobile, wasMobile, 1),
    ...list("home", c.homePhones, before?.homePhones, MAX_HOME_PHONES),
  ].slice(0, 20);
}

function addressesFor(c: CanonicalContact): PostalAddress[] {
  const one = (kind: PostalAddress["kind"], a: CanonicalAddress | null): PostalAddress[] => a ? [{ kind, ...a }] : [];
  return [
    ...one("business", c.businessAddress),
    ...one("home", c.homeAddress),
    ...one("other", c.otherAddress),
  ];
}
