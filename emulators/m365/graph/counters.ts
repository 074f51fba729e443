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
  /**
   * The most operations of one app in flight on this mailbox at once since the last reset (the
   * largest value of {@link peakConcurrencyByApp}). Every operation that reached the mailbox
   * counts from its arrival until it is answered, refused ones included: this measures what the
   * clients attempted, which Graph's limit of 4 is about (a 5th attempt shows as 5 and a 429).
   */
  peakConcurrency: number;
  /** Peak operations in flight at once per app (client id) on this mailbox since the last reset. */
  peakConcurrencyByApp: Record<string, number>;
}

/** Request counters per mailbox (user id). */
export class RequestCounters {
  #byMailbox = new Map<string, MailboxCounts>();
  /** Operations in flight now per `clientId|userId`; survives `reset()` (they are still running). */
  #inFlight = new Map<string, number>();

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

  /**
   * Marks one operation of `clientId` on `userId`'s mailbox as in flight and raises the peaks;
   * call the returned function once when it has been answered.
   */
  enter(userId: string, clientId: string): () => void {
    const key = `${clientId}|${userId}`;
    const now = (this.#inFlight.get(key) ?? 0) + 1;
    this.#inFlight.set(key, now);
    this.#raise(userId, clientId, now);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const rest = (this.#inFlight.get(key) ?? 1) - 1;
      if (rest > 0) this.#inFlight.set(key, rest);
      else this.#inFlight.delete(key);
    };
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

  /** Zeroes every count; peaks restart from the operations still in flight. */
  reset(): void {
    this.#byMailbox.clear();
    for (const [key, n] of this.#inFlight) {
      const [clientId, userId] = key.split("|") as [string, string];
      this.#raise(userId, clientId, n);
    }
  }

  #raise(userId: string, clientId: string, inFlight: number): void {
    const m = this.#get(userId);
    m.peakConcurrencyByApp[clientId] = Math.max(m.peakConcurrencyByApp[clientId] ?? 0, inFlight);
    m.peakConcurrency = Math.max(m.peakConcurrency, inFlight);
  }

  #get(userId: string): MailboxCounts {
    let m = this.#byMailbox.get(userId);
    if (!m) {
      m = {
        requests: 0,
        batches: 0,
        operations: 0,
        throttled: 0,
        byEndpoint: {},
        byStatus: {},
        peakConcurrency: 0,
        peakConcurrencyByApp: {},
      };
      this.#byMailbox.set(userId, m);
    }
    return m;
  }
}
