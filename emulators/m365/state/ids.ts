import { encodeBase64Url } from "@app/shared/encoding";

// Outlook ids are long base64 strings; ours keep the familiar prefixes so a reader can tell the
// kinds apart in logs: regular REST ids start `AAMkA`, immutable ids `AAkAL`. Both are
// URL-safe (base64url) and end in `=` like real ones, which keeps clients honest about encoding.

function random(bytes: number): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A new regular (REST) item id; it changes when the item moves folders. */
export function newRegularId(): string {
  return `AAMkA${random(42)}=`;
}

/** A new immutable id; it stays while the item stays in its mailbox. */
export function newImmutableId(): string {
  return `AAkAL${random(42)}=`;
}

/** A new folder (contact folder, calendar) id; container ids never change. */
export function newFolderId(): string {
  return `AAMkA${random(30)}AAA=`;
}

/** A new change key: standard base64 of 22 bytes like Outlook's (`ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ==`). */
export function newChangeKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(22))));
}

/** A GUID in the lower-case form Entra uses for tenant, object and request ids. */
export function newGuid(): string {
  return crypto.randomUUID();
}

/** An opaque random token (codes, refresh tokens, delta tokens). */
export function newOpaqueToken(bytes = 32): string {
  return random(bytes);
}
