import { z } from "zod";
import { RecordIdSchema, RecordVersionSchema, TenantIdSchema, UserIdSchema } from "./ids.ts";
import { patchOf } from "./patch.ts";

/** E-mail kinds the CRM distinguishes. Addresses are not validated here: invalid ones are reported, not refused (C6). */
export const ContactEmailSchema = z.object({
  address: z.string().max(320),
  kind: z.enum(["work", "home", "other"]).default("work"),
});

/** Phone kinds synced with Outlook (C1): business, mobile, home. */
export const ContactPhoneSchema = z.object({
  number: z.string().min(1).max(64),
  kind: z.enum(["business", "mobile", "home"]),
});

/** A postal address; Outlook has one each of business, home and other. */
export const PostalAddressSchema = z.object({
  kind: z.enum(["business", "home", "other"]),
  street: z.string().max(500).default(""),
  postalCode: z.string().max(40).default(""),
  city: z.string().max(200).default(""),
  state: z.string().max(200).default(""),
  country: z.string().max(200).default(""),
});

/** The synced fields of a contact (C1), without identity or bookkeeping. */
export const ContactFieldsSchema = z.object({
  salutation: z.string().max(100).default(""),
  title: z.string().max(100).default(""),
  givenName: z.string().max(200).default(""),
  middleName: z.string().max(200).default(""),
  familyName: z.string().max(200).default(""),
  company: z.string().max(300).default(""),
  jobTitle: z.string().max(200).default(""),
  emails: z.array(ContactEmailSchema).max(10).default([]),
  phones: z.array(ContactPhoneSchema).max(20).default([]),
  addresses: z.array(PostalAddressSchema).max(3).default([]),
  /** Calendar date only: birthdays never shift with time zones. */
  birthday: z.iso.date().nullable().default(null),
  notes: z.string().max(32_000).default(""),
});

/** Some synced fields of a contact; only those given are replaced (arrays as a whole). */
export const ContactFieldsPatchSchema = patchOf(ContactFieldsSchema);

/** A CRM contact as the contract carries it. */
export const ContactSchema = ContactFieldsSchema.extend({
  id: RecordIdSchema,
  tenantId: TenantIdSchema,
  version: RecordVersionSchema,
  /** Archived contacts are never synced to Outlook (C3, C5). */
  archived: z.boolean().default(false),
  /** Users for whom this contact's "sync" flag is set (C3). */
  syncUserIds: z.array(UserIdSchema).default([]),
  updatedAt: z.iso.datetime({ offset: true }),
});

export type ContactEmail = z.infer<typeof ContactEmailSchema>;
export type ContactPhone = z.infer<typeof ContactPhoneSchema>;
export type PostalAddress = z.infer<typeof PostalAddressSchema>;
export type ContactFields = z.infer<typeof ContactFieldsSchema>;
export type ContactFieldsPatch = z.infer<typeof ContactFieldsPatchSchema>;
export type Contact = z.infer<typeof ContactSchema>;
