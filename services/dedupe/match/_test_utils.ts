import { type Contact, type ContactFields, ContactFieldsSchema } from "@app/shared/contract";
import { prepareContact, type PreparedContact } from "./prepare.ts";

let next = 1;

/** A CRM contact with the given fields (defaults for the rest). */
export function contact(fields: Partial<ContactFields> & { id?: string }): Contact {
  const { id, ...rest } = fields;
  return {
    ...ContactFieldsSchema.parse(rest),
    id: id ?? `c${next++}`,
    tenantId: "t1",
    version: 1,
    archived: false,
    syncUserIds: [],
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

/** The prepared form of {@link contact}. */
export function prepared(fields: Partial<ContactFields> & { id?: string }): PreparedContact {
  return prepareContact(contact(fields), "DE");
}
