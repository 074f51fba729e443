/** A mail Graph would have sent on a user's behalf. */
export interface SentMail {
  seq: number;
  at: string;
  /** The sending mailbox user id: the organizer, or for a `response` the attendee. */
  fromUserId: string;
  /** Organizer's invitation, update, cancellation; or an attendee's response to the organizer. */
  kind: "invitation" | "update" | "cancellation" | "response";
  /** For `response`: what the attendee answered. */
  response?: "accepted" | "tentativelyAccepted" | "declined";
  /** The item the mail is about (regular id at send time) and its immutable id. */
  itemId: string;
  immutableId: string;
  subject: string;
  to: string[];
}

/**
 * Every invitation, update, cancellation and response mail Graph would send, so tests can prove
 * there was no invitation storm. The calendar module appends; the admin API reads.
 */
export class MailLog {
  #mails: SentMail[] = [];
  #seq = 0;

  append(mail: Omit<SentMail, "seq" | "at"> & { at?: string }): SentMail {
    const full: SentMail = { ...mail, seq: ++this.#seq, at: mail.at ?? new Date().toISOString() };
    this.#mails.push(full);
    return full;
  }

  list(filter: { fromUserId?: string } = {}): SentMail[] {
    return this.#mails.filter((m) => filter.fromUserId === undefined || m.fromUserId === filter.fromUserId);
  }

  clear(): void {
    this.#mails = [];
  }

  toJSON(): SentMail[] {
    return this.#mails;
  }

  restore(mails: SentMail[]): void {
    this.#mails = mails;
    this.#seq = mails.reduce((m, x) => Math.max(m, x.seq), 0);
  }
}
