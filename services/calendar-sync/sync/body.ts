/**
 * The event body: the description plus a block naming the CRM contacts and resources (E9 default:
 * never attendees, so no mail ever goes out). Reading strips the block and HTML again.
 * @module
 */
import type { AppointmentResource } from "@app/shared/contract";
import type { CanonicalContact } from "./types.ts";

/** The line our block starts with; everything from it on is ours. */
export const BODY_MARKER = "-- CRM --";

/** Line endings and trailing blanks folded, so both sides spell "the same text" one way. */
export function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/[ \t]+\n/g, "\n").trimEnd();
}

function htmlToText(html: string): string {
  return html.replace(/<(head|style|script)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n").replace(/<\/(p|div|li|tr|h\d)>/gi, "\n").replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

/** The description of a Graph body: HTML read as text, our block cut off. */
export function descriptionOfBody(body: { contentType: string; content: string } | null | undefined): string {
  if (!body) return "";
  const text = normaliseText(body.contentType === "html" ? htmlToText(body.content) : body.content);
  const at = text.lastIndexOf(`\n${BODY_MARKER}\n`);
  const own = text.startsWith(`${BODY_MARKER}\n`) ? 0 : at;
  return own >= 0 ? normaliseText(text.slice(0, own)) : text;
}

/** Who a contact is, for the block. */
export type ContactDirectory = ReadonlyMap<string, { name: string; email?: string }>;

/** The body text we write: description, then our block when there is anything to name. */
export function bodyOf(
  description: string,
  contacts: readonly CanonicalContact[],
  resources: readonly AppointmentResource[],
  directory: ContactDirectory,
): string {
  const lines: string[] = [];
  for (const c of contacts) {
    const who = directory.get(c.contactId);
    const name = who ? (who.email ? `${who.name} <${who.email}>` : who.name) : c.contactId;
    lines.push(`Contact: ${name}${c.optional ? " (optional)" : ""}`);
  }
  for (const r of resources) lines.push(`Resource: ${r.name}`);
  const text = normaliseText(description);
  if (lines.length === 0) return text;
  return `${text ? `${text}\n\n` : ""}${BODY_MARKER}\n${lines.join("\n")}`;
}
