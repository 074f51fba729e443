import type { Mailbox } from "../state/mailbox.ts";

/**
 * A kind of resource clients may subscribe to, e.g. `me/contacts` or `users/{id}/events`.
 * The core strips the mailbox prefix (`me/`, `users/{id}/`) and matches `pattern` against the
 * rest; `resolve` says which change-log entries the subscription covers.
 */
export interface SubscriptionResource {
  /** Matched against the path after the mailbox prefix, e.g. `/^contacts$/i`. */
  pattern: RegExp;
  /** Item kind in the change log (`contact`, `event`). */
  kind: string;
  /** Scopes of which the caller needs one (e.g. `["Contacts.Read"]`; ReadWrite implies Read). */
  scopes: string[];
  /** Entity set name in notification `resource` paths: `Users/{id}/Contacts/{itemId}`. */
  entitySet: string;
  /** `resourceData["@odata.type"]`, e.g. `#Microsoft.Graph.Contact`. */
  odataType: string;
  /**
   * Which folder's changes the subscription covers: a folder id, `"*"` for every folder of the
   * kind, or `undefined` when the path names no valid folder (the subscription is refused).
   */
  resolveFolder(match: RegExpMatchArray, mailbox: Mailbox): string | undefined;
}
