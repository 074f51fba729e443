import type { ItemView } from "../graph/item_view.ts";
import { outlookItemHeader, shapeItem } from "../graph/item_view.ts";
import type { Folder } from "../state/folders.ts";
import type { OutlookItem } from "../state/items.ts";
import type { Mailbox } from "../state/mailbox.ts";
import type { ContactInput } from "./schema.ts";

export const CONTACT_KIND = "contact";
export const CONTACT_FOLDER_KIND = "contactFolder";

/** Contact properties in the order Graph writes them, with their empty values. */
const FIELDS: [string, unknown][] = [
  ["birthday", null],
  ["fileAs", ""],
  ["displayName", ""],
  ["givenName", null],
  ["initials", null],
  ["middleName", null],
  ["nickName", null],
  ["surname", null],
  ["title", null],
  ["yomiGivenName", null],
  ["yomiSurname", null],
  ["yomiCompanyName", null],
  ["generation", null],
  ["imAddresses", []],
  ["jobTitle", null],
  ["companyName", null],
  ["department", null],
  ["officeLocation", null],
  ["profession", null],
  ["businessHomePage", null],
  ["assistantName", null],
  ["manager", null],
  ["homePhones", []],
  ["mobilePhone", null],
  ["businessPhones", []],
  ["spouseName", null],
  ["personalNotes", ""],
  ["children", []],
  ["emailAddresses", []],
  ["homeAddress", {}],
  ["businessAddress", {}],
  ["otherAddress", {}],
];
const ARRAYS = new Set(FIELDS.filter(([, v]) => Array.isArray(v)).map(([k]) => k));
const ADDRESSES = new Set(["homeAddress", "businessAddress", "otherAddress"]);
const NAME_PARTS = ["givenName", "middleName", "surname"];

export type ContactProps = Record<string, unknown>;

/** The mailbox's default contact folder ("Contacts"). */
export function defaultContactFolder(mailbox: Mailbox): Folder {
  return mailbox.folders.defaultOf(CONTACT_FOLDER_KIND, "Contacts");
}

/** Stored props for a new contact: Graph's defaults overlaid with the input. */
export function newContactProps(input: ContactInput): ContactProps {
  const props: ContactProps = Object.fromEntries(FIELDS.map(([k, v]) => [k, structuredClone(v)]));
  applyContactInput(props, input);
  if (!input.displayName) props.displayName = generatedDisplayName(props);
  return props;
}

/**
 * Merges a PATCH into stored props. Outlook regenerates `displayName` when name parts change and
 * no displayName is sent (graph-facts §1.1): clients must always resend it to keep theirs.
 */
export function applyContactInput(props: ContactProps, input: ContactInput): void {
  for (const [key, raw] of Object.entries(input)) {
    if (key === "singleValueExtendedProperties" || key === "parentFolderId" || key.startsWith("@odata.")) continue;
    let value: unknown = raw;
    if (value === null && ARRAYS.has(key)) value = [];
    if (value === null && ADDRESSES.has(key)) value = {};
    if (key === "birthday" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      value = `${value}T00:00:00Z`; // UNVERIFIED: the time Exchange gives a date-only birthday
    }
    if (key === "emailAddresses" && Array.isArray(value)) {
      // Outlook fills a missing display name with the address.
      value = value.map((e: { address?: string | null; name?: string | null }) => ({
        name: e.name ?? e.address ?? null,
        address: e.address ?? null,
      }));
    }
    if (ADDRESSES.has(key) && value && typeof value === "object") {
      value = Object.fromEntries(Object.entries(value).filter(([k, v]) => !k.startsWith("@") && v !== null));
    }
    props[key] = value;
  }
  const renamed = NAME_PARTS.some((k) => k in input);
  if (renamed && !("displayName" in input)) props.displayName = generatedDisplayName(props);
}

function generatedDisplayName(p: ContactProps): string {
  return [p.givenName, p.middleName, p.surname].filter((x) => typeof x === "string" && x).join(" ");
}

/** The full Graph rendering of a contact. */
export function renderContact(item: OutlookItem, view: ItemView): Record<string, unknown> {
  const p = item.props;
  const body: Record<string, unknown> = { ...outlookItemHeader(item, view), parentFolderId: item.folderId };
  for (const [k] of FIELDS) body[k] = p[k];
  for (const k of ["primaryEmailAddress", "secondaryEmailAddress", "tertiaryEmailAddress"]) if (p[k]) body[k] = p[k];
  return body;
}

/** A contact shaped for the response (`$select`, `$expand`). */
export function contactResponse(item: OutlookItem, view: ItemView): Record<string, unknown> {
  return shapeItem(item, renderContact(item, view), view);
}

/** A contact folder as Graph renders it. */
export function renderContactFolder(f: Folder<unknown>): Record<string, unknown> {
  return { id: f.id, displayName: f.displayName, parentFolderId: f.parentFolderId ?? null };
}
