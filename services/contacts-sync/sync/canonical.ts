import type { SyncWarning } from "@app/shared/sync";
import { type CountryCode, isValidEmail, normalizeEmail, toE164 } from "@app/shared/normalize";

/** A postal address as both sides can hold it. */
export interface CanonicalAddress {
  street: string;
  postalCode: string;
  city: string;
  state: string;
  country: string;
}

/**
 * What both the CRM and Outlook can represent of a contact (C1), flat so that the three-way merge
 * works field by field (C9): a phone list per kind and an address per kind are separate fields.
 * Strings are trimmed (line ends normalised); empty means absent.
 */
export interface CanonicalContact {
  /** CRM salutation and title joined with one space ("Herr Dr."); Outlook's `title`. */
  honorific: string;
  givenName: string;
  middleName: string;
  familyName: string;
  company: string;
  jobTitle: string;
  /** Up to {@link MAX_EMAILS} valid addresses, distinct ignoring case, in order (C6). */
  emails: string[];
  businessPhones: string[];
  mobilePhone: string;
  homePhones: string[];
  businessAddress: CanonicalAddress | null;
  homeAddress: CanonicalAddress | null;
  otherAddress: CanonicalAddress | null;
  /** Calendar date `YYYY-MM-DD`; never shifts with time zones. */
  birthday: string | null;
  notes: string;
}

/** A canonical record plus what had to be left out to make it (C6). */
export interface Canonicalized {
  canonical: CanonicalContact;
  warnings: SyncWarning[];
}

/** Outlook holds three e-mail addresses, two business and two home phones, one mobile. */
export const MAX_EMAILS = 3;
export const MAX_BUSINESS_PHONES = 2;
export const MAX_HOME_PHONES = 2;

/** The canonical record with every field empty: the base of a pair never synced. */
export function emptyCanonicalContact(): CanonicalContact {
  return {
    honorific: "",
    givenName: "",
    middleName: "",
    familyName: "",
    company: "",
    jobTitle: "",
    emails: [],
    businessPhones: [],
    mobilePhone: "",
    homePhones: [],
    businessAddress: null,
    homeAddress: null,
    otherAddress: null,
    birthday: null,
    notes: "",
  };
}

/** Trims, normalises line ends; `null`/`undefined` become "". */
export function cleanText(value: string | null | undefined): string {
  return (value ?? "").replace(/\r\n?/g, "\n").trim();
}

/** A single-line value with runs of whitespace collapsed to one space. */
export function cleanLine(value: string | null | undefined): string {
  return (value ?? "").replace(/\s+/g, " ").trim();
}

/** Valid, distinct (ignoring case) e-mails, at most {@link MAX_EMAILS}; the rest become warnings (C6). */
export function pickEmails(addresses: readonly string[], warnings: SyncWarning[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of addresses) {
    const address = cleanLine(raw);
    if (address === "") continue;
    if (!isValidEmail(address)) {
      warnings.push({ code: "invalid_email", message: `invalid e-mail '${address}' skipped` });
      continue;
    }
    const key = normalizeEmail(address);
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.length === MAX_EMAILS) {
      warnings.push({
        code: "too_many_emails",
        message: `e-mail '${address}' not synced: Outlook holds ${MAX_EMAILS}`,
      });
      continue;
    }
    out.push(address);
  }
  return out;
}

/** Non-empty phone numbers, at most `max`; the rest become warnings. */
export function pickPhones(numbers: readonly string[], max: number, kind: string, warnings: SyncWarning[]): string[] {
  const cleaned = numbers.map(cleanLine).filter((n) => n !== "");
  for (const n of cleaned.slice(max)) {
    warnings.push({ code: "too_many_phones", message: `${kind} phone '${n}' not synced: Outlook holds ${max}` });
  }
  return cleaned.slice(0, max);
}

/** An address with every part empty is no address. */
export function canonicalAddress(a: Partial<CanonicalAddress> | null | undefined): CanonicalAddress | null {
  if (!a) return null;
  const out = {
    street: cleanText(a.street),
    postalCode: cleanLine(a.postalCode),
    city: cleanLine(a.city),
    state: cleanLine(a.state),
    country: cleanLine(a.country),
  };
  return Object.values(out).some((v) => v !== "") ? out : null;
}

/**
 * `c` with each e-mail and phone field that differs from `ref`'s only in notation (e-mail case,
 * a phone written otherwise for the same E.164 number) given `ref`'s value: equivalent values are
 * equal, so they are no change, no conflict and no write (C7, C9). Other fields are left as they are.
 */
export function alignEquivalent(c: CanonicalContact, ref: CanonicalContact | null, country: CountryCode) {
  if (ref === null) return c;
  const email = (a: string) => normalizeEmail(a);
  const phone = (p: string) => toE164(p, country) ?? p.replace(/[^\d+]/g, "");
  const same = (a: readonly string[], b: readonly string[], key: (s: string) => string) =>
    a.length === b.length && a.every((x, i) => key(x) === key(b[i]!));
  const out = { ...c };
  if (same(c.emails, ref.emails, email)) out.emails = ref.emails;
  if (same(c.businessPhones, ref.businessPhones, phone)) out.businessPhones = ref.businessPhones;
  if (same(c.homePhones, ref.homePhones, phone)) out.homePhones = ref.homePhones;
  if (same([c.mobilePhone], [ref.mobilePhone], phone)) out.mobilePhone = ref.mobilePhone;
  return out;
}
