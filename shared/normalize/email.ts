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
