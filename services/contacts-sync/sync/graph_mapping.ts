import type { Contact as GraphContactBody, PhysicalAddress } from "@microsoft/microsoft-graph-types";
import type { SyncWarning } from "@app/shared/sync";
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

/**
 * The single-value extended property every contact we write carries: the CRM id, so that a lost
 * link is found again by `$filter` (C8). The GUID is ours and fixed forever.
 */
export const CRM_ID_PROPERTY_ID = "String {6f2d1c84-3b5e-4a7f-9c21-8e4b0d5a7f13} Name crmContactId";

/** The CRM id stamped on an Outlook contact, when the read included the property (C8). */
export function crmIdStampOf(contact: GraphContactBody): string | undefined {
  const prop = contact.singleValueExtendedProperties?.find((p) =>
    p.id?.toLowerCase() === CRM_ID_PROPERTY_ID.toLowerCase()
  );
  return prop?.value ?? undefined;
}

/** A PATCH body that only stamps the CRM id (C8), leaving every other property as the user has it. */
export function crmIdStampBody(crmId: string): GraphContactBody {
  return { singleValueExtendedProperties: [{ id: CRM_ID_PROPERTY_ID, value: crmId }] };
}

/** An Outlook contact in canonical form, with warnings for what was left out (C1, C6). */
export function graphContactToCanonical(contact: GraphContactBody): Canonicalized {
  const warnings: SyncWarning[] = [];
  const canonical: CanonicalContact = {
    honorific: cleanLine(contact.title),
    givenName: cleanLine(contact.givenName),
    middleName: cleanLine(contact.middleName),
    familyName: cleanLine(contact.surname),
    company: cleanLine(contact.companyName),
    jobTitle: cleanLine(contact.jobTitle),
    emails: pickEmails((contact.emailAddresses ?? []).map((e) => e.address ?? ""), warnings),
    businessPhones: pickPhones(contact.businessPhones ?? [], MAX_BUSINESS_PHONES, "business", warnings),
    mobilePhone: cleanLine(contact.mobilePhone),
    homePhones: pickPhones(contact.homePhones ?? [], MAX_HOME_PHONES, "home", warnings),
    businessAddress: fromPhysical(contact.businessAddress),
    homeAddress: fromPhysical(contact.homeAddress),
    otherAddress: fromPhysical(contact.otherAddress),
    birthday: birthdayDate(contact.birthday),
    notes: cleanText(contact.personalNotes),
  };
  return { canonical, warnings };
}

/**
 * The Graph write body for a canonical record: every synced field (so a PATCH also clears), the
 * `displayName` (Graph regenerates it otherwise, graph-facts §1.1) and the CRM id stamp (C8).
 */
export function canonicalToGraphContact(c: CanonicalContact, crmId: string): GraphContactBody {
  return {
    displayName: displayNameOf(c),
    title: c.honorific,
    givenName: c.givenName,
    middleName: c.middleName,
    surname: c.familyName,
    companyName: c.company,
    jobTitle: c.jobTitle,
    emailAddresses: c.emails.map((address) => ({ address, name: address })),
    businessPhones: c.businessPhones,
    mobilePhone: c.mobilePhone,
    homePhones: c.homePhones,
    businessAddress: toPhysical(c.businessAddress),
    homeAddress: toPhysical(c.homeAddress),
    otherAddress: toPhysical(c.otherAddress),
    // Noon-ish UTC keeps the calendar date in every time zone Outlook shows it in.
    birthday: c.birthday === null ? null : `${c.birthday}T11:59:00Z`,
    personalNotes: c.notes,
    singleValueExtendedProperties: [{ id: CRM_ID_PROPERTY_ID, value: crmId }],
  };
}

/** "Given Middle Family", else the company, else the first e-mail. */
export function displayNameOf(c: CanonicalContact): string {
  const name = [c.givenName, c.middleName, c.familyName].filter((s) => s !== "").join(" ");
  return name || c.company || c.emails[0] || "";
}

function fromPhysical(a: PhysicalAddress | null | undefined): CanonicalAddress | null {
  if (!a) return null;
  return canonicalAddress({
    street: a.street ?? "",
    postalCode: a.postalCode ?? "",
    city: a.city ?? "",
    state: a.state ?? "",
    country: a.countryOrRegion ?? "",
  });
}

function toPhysical(a: CanonicalAddress | null): PhysicalAddress {
  return {
    street: a?.street ?? "",
    postalCode: a?.postalCode ?? "",
    city: a?.city ?? "",
    state: a?.state ?? "",
    countryOrRegion: a?.country ?? "",
  };
}

/**
 * The calendar date of an Outlook birthday. Clients store local midnight in UTC, so a time from
 * noon UTC on belongs to the next day (zones east of UTC); before noon, to the same day.
 */
export function birthdayDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}))?/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h] = m;
  if (h === undefined || Number(h) < 12) return `${y}-${mo}-${d}`;
  const next = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d) + 1));
  return next.toISOString().slice(0, 10);
}
