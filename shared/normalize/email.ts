import { z } from "zod";

const EmailSchema = z.email();

/** True for an address we can hand to Outlook and the CRM. */
export function isValidEmail(address: string): boolean {
  return EmailSchema.safeParse(address).success;
}

/** The form two addresses are compared in: trimmed, lower case (`Anna@X.example ` → `anna@x.example`). */
export function normalizeEmail(address: string): string {
  return address.trim().toLowerCase();
}

// Providers whose mailboxes ignore dots in the local part; googlemail.com is gmail.com.
const DOTLESS_DOMAINS = new Set(["gmail.com", "googlemail.com"]);
const DOMAIN_ALIASES: Record<string, string> = { "googlemail.com": "gmail.com" };
// Role addresses many people share; their local part says nothing about who someone is.
const ROLE_LOCAL_PARTS = new Set([
  "info",
  "office",
  "kontakt",
  "contact",
  "mail",
  "post",
  "team",
  "hello",
  "admin",
  "service",
  "sales",
  "verkauf",
  "vendite",
  "segreteria",
  "buero",
  "ufficio",
]);

/** The identity of an address for duplicate detection (D1): one mailbox gives one `key`. */
export interface EmailIdentity {
  /** `local@domain` with case, `+tags` and, where the provider ignores them, dots removed. */
  key: string;
  /** The local part of `key`; `undefined` for role addresses (`info@`, `office@`) and very short ones. */
  personalLocal: string | undefined;
  domain: string;
}

/**
 * The mailbox an address reaches: `Anna.Rossi+crm@GoogleMail.com` and `annarossi@gmail.com` give one
 * key. `undefined` for text that is not an address.
 */
export function emailIdentity(address: string): EmailIdentity | undefined {
  const a = normalizeEmail(address);
  const at = a.lastIndexOf("@");
  if (at <= 0 || at === a.length - 1) return undefined;
  const rawDomain = a.slice(at + 1);
  const domain = DOMAIN_ALIASES[rawDomain] ?? rawDomain;
  let local = a.slice(0, at).split("+")[0]!;
  if (DOTLESS_DOMAINS.has(domain)) local = local.replaceAll(".", "");
  if (local === "") return undefined;
  // Kept as written (separators included): `anna.rossi` and `annarossi` are often two people's.
  const personalLocal = local.length >= 5 && !ROLE_LOCAL_PARTS.has(local) ? local : undefined;
  return { key: `${local}@${domain}`, personalLocal, domain };
}
