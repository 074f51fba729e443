import type { Contact } from "@app/shared/contract";
import {
  type CountryCode,
  type EmailIdentity,
  emailIdentity,
  givenNameForms,
  nameTokens,
  normalizeCompany,
  normalizeName,
  normalizeStreet,
  toE164All,
} from "@app/shared/normalize";

/** A calendar date split for comparison (birthdays with day and month swapped, D3). */
export interface DateParts {
  y: number;
  m: number;
  d: number;
}

/** A contact reduced to what duplicate detection compares, normalised once per scan (D1). */
export interface PreparedContact {
  id: string;
  version: number;
  /** Given names, normalised and joined (`anna maria`); "" when missing. */
  given: string;
  /** The first given name (`anna`); a single letter when only an initial was written. */
  givenFirst: string;
  /** The full names the first given name may stand for (nicknames). */
  givenForms: string[];
  family: string;
  familyTokens: string[];
  /** Many of the tenant's contacts carry this family name: agreeing on it says less (term frequency). */
  familyCommon: boolean;
  company: string;
  emails: EmailIdentity[];
  /** E.164 numbers of mobile phones. */
  mobiles: string[];
  /** E.164 numbers of business and home phones: lines a household or an office shares. */
  landlines: string[];
  addresses: Array<{ postal: string; street: string; city: string }>;
  birthday: DateParts | null;
  /** Changes when any compared field changes: a "keep both" decision stands until then (D3). */
  fingerprint: string;
}

/** Normalises one contact for comparison; phone numbers without a country take `country`. */
export function prepareContact(c: Contact, country: CountryCode): PreparedContact {
  const givenTokens = nameTokens(c.givenName);
  const familyTokens = nameTokens(c.familyName);
  const givenFirst = givenTokens[0] ?? "";
  const emails: EmailIdentity[] = [];
  for (const e of c.emails) {
    const id = emailIdentity(e.address);
    if (id && !emails.some((x) => x.key === id.key)) emails.push(id);
  }
  const mobiles = toE164All(c.phones.filter((p) => p.kind === "mobile").map((p) => p.number), country);
  const landlines = toE164All(c.phones.filter((p) => p.kind !== "mobile").map((p) => p.number), country);
  const addresses = c.addresses
    .map((a) => ({
      postal: a.postalCode.replace(/\s+/g, "").toLowerCase(),
      street: normalizeStreet(a.street),
      city: normalizeName(a.city),
    }))
    .filter((a) => a.street !== "" || a.postal !== "");
  const birthday = c.birthday ? dateParts(c.birthday) : null;
  const p: Omit<PreparedContact, "fingerprint"> = {
    id: c.id,
    version: c.version,
    given: givenTokens.join(" "),
    givenFirst,
    givenForms: givenFirst.length > 1 ? givenNameForms(givenFirst) : [],
    family: familyTokens.join(" "),
    familyTokens,
    familyCommon: false,
    company: normalizeCompany(c.company),
    emails,
    mobiles,
    landlines,
    addresses,
    birthday,
  };
  return { ...p, fingerprint: fingerprintOf(p) };
}

/** Marks family names common in this tenant: carried by at least 0.2 % of its contacts (and 5). */
export function markCommonFamilies(records: PreparedContact[]): void {
  const counts = new Map<string, number>();
  for (const r of records) if (r.family !== "") counts.set(r.family, (counts.get(r.family) ?? 0) + 1);
  const min = Math.max(5, records.length * 0.002);
  for (const r of records) r.familyCommon = (counts.get(r.family) ?? 0) >= min;
}

function dateParts(iso: string): DateParts {
  const [y, m, d] = iso.split("-").map(Number);
  return { y: y!, m: m!, d: d! };
}

// FNV-1a over the compared fields: small, stable, and equal exactly when those fields are.
function fingerprintOf(p: Omit<PreparedContact, "fingerprint" | "familyCommon"> & { familyCommon?: boolean }): string {
  const text = JSON.stringify([
    p.given,
    p.family,
    p.company,
    p.emails.map((e) => e.key).sort(),
    [...p.mobiles].sort(),
    [...p.landlines].sort(),
    p.addresses.map((a) => `${a.postal}|${a.street}`).sort(),
    p.birthday,
  ]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
