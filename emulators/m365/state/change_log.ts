/** What happened to an item, as delta queries and change notifications report it. */
export type ChangeType = "created" | "updated" | "deleted";

/** One append-only entry in a mailbox's change log; `seq` orders every change in the mailbox. */
export interface ChangeEntry {
  seq: number;
  kind: string;
  type: ChangeType;
  immutableId: string;
  /** Regular id after the change (for `deleted`: the id the item last had). */
  id: string;
  /** Folder after the change (for `deleted`: the folder it was in). */
  folderId: string;
  /** Set when the item left this folder for `folderId` (a move). */
  previousFolderId?: string;
  /** Set when the regular id changed (a move, or the admin "change id" action). */
  previousId?: string;
  at: number;
}

/** Called for every appended entry (change notifications hang off this). */
export type ChangeListener = (entry: ChangeEntry, mailboxUserId: string) => void;

/**
 * A mailbox's change log. Delta tokens remember a `seq`; the next round replays entries after it.
 * Appends are O(1) and `since` is a binary search, so a 10,000-item mailbox stays fast.
 */
export class ChangeLog {
  #entries: ChangeEntry[] = [];
  #seq = 0;

  constructor(private readonly userId: string, private readonly listeners: Set<ChangeListener>) {}

  /** The sequence number of the newest entry (0 when empty). */
  get head(): number {
    return this.#seq;
  }

  append(entry: Omit<ChangeEntry, "seq">): ChangeEntry {
    const full = { ...entry, seq: ++this.#seq };
    this.#entries.push(full);
    for (const listener of this.listeners) listener(full, this.userId);
    return full;
  }

  /** Entries with `after < seq <= upTo`, oldest first. */
  since(after: number, upTo = this.#seq): ChangeEntry[] {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#entries[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: ChangeEntry[] = [];
    for (let i = lo; i < this.#entries.length && this.#entries[i]!.seq <= upTo; i++) out.push(this.#entries[i]!);
    return out;
  }

  toJSON(): { seq: number; entries: ChangeEntry[] } {
    return { seq: this.#seq, entries: this.#entries };
  }

  restore(data: { seq: number; entries: ChangeEntry[] }): void {
    this.#seq = data.seq;
    this.#entries = data.entries;
  }
}
