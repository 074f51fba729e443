import { z } from "zod";

// Request bodies for contacts and contact folders (graph-facts §1.1). Strict objects: an
// unknown property answers 400 like OData's RequestBodyRead does.
const str = z.string().nullable().optional();
const strings = z.array(z.string()).nullable().optional();

const EmailAddressSchema = z.strictObject({
  address: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  "@odata.type": z.string().optional(),
});
const PhysicalAddressSchema = z.strictObject({
  street: str,
  city: str,
  state: str,
  countryOrRegion: str,
  postalCode: str,
  "@odata.type": z.string().optional(),
});
export const ExtendedPropertyInputSchema = z.strictObject({ id: z.string().min(1), value: z.string() });

/** Writable contact properties (create and update). */
export const ContactInputSchema = z.strictObject({
  "@odata.type": z.string().optional(),
  assistantName: str,
  // Edm.DateTimeOffset; Graph also takes a date alone ("1974-07-22"), stored as midnight UTC (model.ts).
  birthday: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).nullable().optional(),
  businessAddress: PhysicalAddressSchema.nullable().optional(),
  businessHomePage: str,
  businessPhones: strings,
  categories: strings,
  children: strings,
  companyName: str,
  department: str,
  displayName: str,
  emailAddresses: z.array(EmailAddressSchema).nullable().optional(),
  fileAs: str,
  generation: str,
  givenName: str,
  homeAddress: PhysicalAddressSchema.nullable().optional(),
  homePhones: strings,
  imAddresses: strings,
  initials: str,
  jobTitle: str,
  manager: str,
  middleName: str,
  mobilePhone: str,
  nickName: str,
  officeLocation: str,
  otherAddress: PhysicalAddressSchema.nullable().optional(),
  parentFolderId: z.string().optional(),
  personalNotes: str,
  primaryEmailAddress: EmailAddressSchema.nullable().optional(),
  secondaryEmailAddress: EmailAddressSchema.nullable().optional(),
  tertiaryEmailAddress: EmailAddressSchema.nullable().optional(),
  profession: str,
  spouseName: str,
  surname: str,
  title: str,
  yomiCompanyName: str,
  yomiGivenName: str,
  yomiSurname: str,
  singleValueExtendedProperties: z.array(ExtendedPropertyInputSchema).optional(),
});
export type ContactInput = z.infer<typeof ContactInputSchema>;

export const ContactFolderInputSchema = z.strictObject({
  "@odata.type": z.string().optional(),
  displayName: z.string().min(1),
  parentFolderId: z.string().optional(),
  singleValueExtendedProperties: z.array(ExtendedPropertyInputSchema).optional(),
});

export const ContactFolderPatchSchema = z.strictObject({
  "@odata.type": z.string().optional(),
  displayName: z.string().min(1).optional(),
});
