/** Counts of one mailbox, as benchmarks read them. */
export interface MailboxCounts {
  /** HTTP requests the clients sent for this mailbox (a `$batch` counts once, for its caller). */
  requests: number;
  /** Graph operations on this mailbox: direct requests plus every `$batch` item. */
  operations: number;
  /** `$batch` requests (each also counts once in `requests`). */
  batches: number;
  /** Operations answered 429 (by limits or faults). */
  throttled: number;
  /** Operations by `METHOD /path-pattern`, e.g. `GET /me/contacts/delta`. */
  byEndpoint: Record<string, number>;
  /** Operations by HTTP status. */
  byStatus: Record<string, number>;
}

/** Request counters per mailbox (user id). */
export class RequestCounters {
  #byMailbox = new Map<string, MailboxCounts>();

  /** Counts one HTTP request that reached the emulator for `userId`. */
  request(userId: string): void {
    this.#get(userId).requests++;
  }

  /** Counts one `$batch` envelope sent by `userId` (its items count as operations). */
  batch(userId: string): void {
    const m = this.#get(userId);
    m.requests++;
    m.batches++;
  }

  /** Counts one Graph operation and its outcome. */
  operation(userId: string, endpoint: string, status: number): void {
    const m = this.#get(userId);
    m.operations++;
    if (status === 429) m.throttled++;
    m.byEndpoint[endpoint] = (m.byEndpoint[endpoint] ?? 0) + 1;
    m.byStatus[String(status)] = (m.byStatus[String(status)] ?? 0) + 1;
  }

  snapshot(): Record<string, MailboxCounts> {
    return structuredClone(Object.fromEntries(this.#byMailbox));
  }

  reset(): void {
    this.#byMailbox.clear();
  }

  #get(userId: string): MailboxCounts {
    let m = this.#byMailbox.get(userId);
    if (!m) {
      m = { requests: 0, batches: 0, operations: 0, throttled: 0, byEndpoint: {}, byStatus: {} };
      this.#byMailbox.set(userId, m);
    }
    return m;
  }
}
