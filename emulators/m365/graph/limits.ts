import type { Clock } from "../clock.ts";
import type { LimitsConfig } from "../config.ts";

/** Why a request was refused, and when the caller may honestly try again. */
export interface Throttled {
  code: "ApplicationThrottled" | "TooManyRequests";
  message: string;
  retryAfterMs: number;
}

interface Bucket {
  /** Start times of admitted requests inside the window, oldest first (a ring would do; arrays are fast enough). */
  admitted: number[];
  head: number;
  inFlight: Set<number>;
  /** Smoothed request duration, to estimate when a concurrency slot frees. */
  avgDurationMs: number;
  nextTicket: number;
  starts: Map<number, number>;
}

/**
 * Graph's Outlook limits per app + mailbox: a sliding window of requests and a cap on requests in
 * flight. Every request counts in the window, refused ones too: "all requests accrue against your
 * usage limits" and Graph "continues to log resource usage while a client is being throttled"
 * (throttling.md), so retrying before Retry-After only pushes the next admission further out.
 * Retry-After is computed with the refused request already counted, so a client that waits it out
 * is admitted.
 */
export class Limiter {
  #buckets = new Map<string, Bucket>();

  constructor(private readonly config: () => LimitsConfig, private readonly clock: Clock) {}

  /**
   * Admits one request for `key` (`clientId|userId`) or says why not. On admission the caller
   * must call `release()` when the request has finished.
   */
  enter(key: string): { release: () => void } | Throttled {
    const cfg = this.config();
    if (!cfg.enabled) return { release: () => {} };
    const now = this.clock.now();
    const b = this.#bucket(key);
    const windowMs = this.clock.scale(cfg.windowMs);
    while (b.head < b.admitted.length && b.admitted[b.head]! <= now - windowMs) b.head++;
    if (b.head > 4096) {
      b.admitted = b.admitted.slice(b.head);
      b.head = 0;
    }
    const full = b.admitted.length - b.head >= cfg.requestsPerWindow;
    b.admitted.push(Math.max(now, b.admitted.at(-1) ?? now)); // every request accrues, in time order
    if (b.inFlight.size >= cfg.concurrency && !full) {
      return {
        code: "ApplicationThrottled",
        message: "Application is over its MailboxConcurrency limit.",
        retryAfterMs: this.#slotEstimate(b, now),
      };
    }
    if (full) {
      // One fits again when enough of the oldest have left that fewer than the limit remain.
      const inWindow = b.admitted.length - b.head;
      const leaving = b.admitted[b.head + inWindow - cfg.requestsPerWindow]!;
      return {
        code: "TooManyRequests",
        message: "Please retry again later.",
        retryAfterMs: Math.max(1, leaving + windowMs - now),
      };
    }
    const ticket = b.nextTicket++;
    b.inFlight.add(ticket);
    b.starts.set(ticket, now);
    return {
      release: () => {
        if (!b.inFlight.delete(ticket)) return;
        const took = this.clock.now() - (b.starts.get(ticket) ?? now);
        b.starts.delete(ticket);
        b.avgDurationMs = b.avgDurationMs * 0.8 + took * 0.2;
      },
    };
  }

  /** Requests in flight for `key` now. */
  inFlight(key: string): number {
    return this.#buckets.get(key)?.inFlight.size ?? 0;
  }

  reset(): void {
    this.#buckets.clear();
  }

  // Nobody knows when a request in flight will end; the best honest guess is the typical
  // duration minus how long the oldest one has already run.
  #slotEstimate(b: Bucket, now: number): number {
    let best = Infinity;
    for (const start of b.starts.values()) best = Math.min(best, start + b.avgDurationMs - now);
    return Math.max(1, Math.ceil(best === Infinity ? b.avgDurationMs : best));
  }

  #bucket(key: string): Bucket {
    let b = this.#buckets.get(key);
    if (!b) {
      b = { admitted: [], head: 0, inFlight: new Set(), avgDurationMs: 20, nextTicket: 0, starts: new Map() };
      this.#buckets.set(key, b);
    }
    return b;
  }
}

/**
 * `Retry-After` in whole seconds of this emulator's time (a Microsoft wait already multiplied by
 * the time scale), rounded up so a client never comes back early, and never 0. HTTP has no finer
 * unit and real Graph sends nothing else, so clients work from this alone: at `timeScale: 0.01` a
 * 20 ms wait still answers `Retry-After: 1`.
 */
export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
  return { "Retry-After": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
}
