/** A mail Graph would have sent on the organizer's behalf. */
export interface SentMail {
  seq: number;
  at: string;
  /** The sending mailbox (organizer) user id. */
  fromUserId: string;
  kind: "invitation" | "update" | "cancellation";
  /** The item the mail is about (regular id at send time) and its immutable id. */
  itemId: string;
  immutableId: string;
  subject: string;
  to: string[];
}

/**
 * Every invitation, update and cancellation mail Graph would send, so tests can prove there
 * was no invitation storm. The calendar module appends; the admin API reads.
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
