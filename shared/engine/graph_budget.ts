// One Graph allowance per mailbox for every service and replica (P7): at most 4 requests in flight
// and 10,000 per 10 minutes per app and mailbox, a Retry-After seen by one honoured by all. Kept in
// NATS KV (every service already shares NATS; a Postgres table would be shared between services'
// schemas, which the architecture forbids). Entries are compared-and-set by revision; NATS 2.9
// ignores per-message TTLs, so every lease carries its own expiry and a crashed holder's slots come
// back when it passes.
import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { sha256Hex } from "../encoding/mod.ts";
import { RetryableError } from "../errors/mod.ts";
import type { MailboxAllowance } from "../graph/client.ts";
import type { Logger } from "../log/mod.ts";

/** Limits of one mailbox (Graph's for Outlook resources by default). */
export interface GraphBudgetLimits {
  /** Requests in flight at once across services and replicas (Graph: 4). */
  maxConcurrent: number;
  /** Requests (batch items counted one by one) per window (Graph: 10,000). */
  windowRequests: number;
  /** Window length in ms (Graph: 10 minutes). */
  windowMs: number;
  /** A lease not given back within this is void (its holder died); renewed while a request runs long. */
  leaseMs: number;
}

/** Graph's own limits. */
export const GRAPH_LIMITS: GraphBudgetLimits = {
  maxConcurrent: 4,
  windowRequests: 10_000,
  windowMs: 10 * 60_000,
  leaseMs: 15_000,
};

/** What one mailbox's KV entry holds. */
interface BudgetState {
  /** Leases in flight: id → [slots, expiry epoch ms]. */
  l: Record<string, [number, number]>;
  /** No request before this epoch ms (a Retry-After). */
  p: number;
  /** Requests admitted per window slice: slice start epoch ms → count. */
  w: Record<string, number>;
}

const SLICES = 60;

/**
 * The shared per-mailbox allowance, in a NATS KV bucket. Idle services hold nothing, so a busy one
 * gets all 4 slots; a waiting request polls with a short back-off.
 */
export class GraphBudget {
  #kv: Promise<KV>;
  #local = new Map<string, LocalGate>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly bucket: string,
    private readonly limits: GraphBudgetLimits,
    private readonly logger: Logger,
  ) {
    this.#kv = new Kvm(nc).create(bucket, { history: 1 });
    this.#kv.catch(() => {}); // surfaced by the first acquire
  }

  /** The allowance of one mailbox (a CRM user ⇄ one Microsoft account, A3), for `createGraphClient`. */
  forMailbox(tenantId: string, userId: string): MailboxAllowance {
    const key = sha256Hex(`${tenantId}\u0000${userId}`).then((h) => `mbx.${h.slice(0, 40)}`);
    const gate = this.#gate(`${tenantId}\u0000${userId}`);
    return {
      acquire: async (slots, operations) => {
        const n = Math.min(slots, this.limits.maxConcurrent);
        await gate.take(n);
        try {
          const id = await this.#acquire(await key, n, operations);
          // A request that runs long keeps its lease; a holder that died stops renewing it.
          const renew = setInterval(() => {
            void key.then((k) =>
              this.#update(k, (s, now) => (s.l[id] ? ((s.l[id]![1] = now + this.limits.leaseMs), 0) : 1))
            ).catch(() => {});
          }, Math.max(100, Math.floor(this.limits.leaseMs / 3)));
          return async () => {
            clearInterval(renew);
            gate.give(n);
            await this.#release(await key, id).catch((err) =>
              this.logger.warn("giving back a Graph lease failed; it expires by itself", { error: err })
            );
          };
        } catch (err) {
          gate.give(n);
          throw err;
        }
      },
      pause: async (ms) => this.#update(await key, (s, now) => ((s.p = Math.max(s.p, now + ms)), 0)).then(() => {}),
    };
  }

  #gate(k: string): LocalGate {
    let g = this.#local.get(k);
    if (!g) this.#local.set(k, g = new LocalGate(this.limits.maxConcurrent));
    return g;
  }

  async #acquire(key: string, slots: number, operations: number): Promise<string> {
    const id = crypto.randomUUID().slice(0, 12);
    let backoff = 2;
    while (true) {
      const wait = await this.#update(key, (s, now) => {
        if (s.p > now) return s.p - now;
        const used = Object.values(s.l).reduce((n, [k]) => n + k, 0);
        if (used + slots > this.limits.maxConcurrent) return -1;
        const slice = this.limits.windowMs / SLICES;
        const inWindow = Object.values(s.w).reduce((n, c) => n + c, 0);
        if (inWindow + operations > this.limits.windowRequests) {
          const oldest = Math.min(...Object.keys(s.w).map(Number));
          return Math.max(1, oldest + this.limits.windowMs + slice - now);
        }
        const at = String(Math.floor(now / slice) * slice);
        s.w[at] = (s.w[at] ?? 0) + operations;
        s.l[id] = [slots, now + this.limits.leaseMs];
        return 0;
      });
      if (wait === 0) return id;
      // Full: poll again soon (a release frees a slot within a request's duration); paused: wait it out.
      const ms = wait > 0 ? wait : backoff + Math.random() * backoff;
      backoff = Math.min(50, backoff * 2);
      await new Promise((r) => setTimeout(r, ms));
    }
  }

  #release(key: string, id: string): Promise<number> {
    return this.#update(key, (s) => ((delete s.l[id]), 0));
  }

  /**
   * Reads the mailbox's entry, drops expired leases and slices, applies `change` and writes it back
   * if the revision is still the one read; retried on a conflicting write. Returns what `change`
   * returned (its writes are kept only when it returns 0).
   */
  async #update(key: string, change: (s: BudgetState, now: number) => number): Promise<number> {
    const kv = await this.#kv;
    for (let attempt = 0; attempt < 200; attempt++) {
      const entry = await kv.get(key);
      const now = Date.now();
      const state: BudgetState = entry?.value.length ? entry.json<BudgetState>() : { l: {}, p: 0, w: {} };
      for (const [lease, [, until]] of Object.entries(state.l)) if (until <= now) delete state.l[lease];
      const cutoff = now - this.limits.windowMs - this.limits.windowMs / SLICES;
      for (const at of Object.keys(state.w)) if (Number(at) < cutoff) delete state.w[at];
      const result = change(state, now);
      if (result !== 0) return result;
      try {
        if (entry) await kv.update(key, JSON.stringify(state), entry.revision);
        else await kv.create(key, JSON.stringify(state));
        return 0;
      } catch (err) {
        if (!/wrong last sequence|key exists|already exists/i.test(String(err))) throw err;
      }
    }
    throw new RetryableError("the Graph budget is contended; try again", 100);
  }
}

/** This process's own gate per mailbox, so at most the allowance's slots wait at the shared entry. */
class LocalGate {
  #free: number;
  #waiters: { n: number; go: () => void }[] = [];

  constructor(private readonly size: number) {
    this.#free = size;
  }

  take(n: number): Promise<void> {
    if (this.#waiters.length === 0 && this.#free >= n) {
      this.#free -= n;
      return Promise.resolve();
    }
    return new Promise((go) => this.#waiters.push({ n, go }));
  }

  give(n: number): void {
    this.#free = Math.min(this.size, this.#free + n);
    while (this.#waiters.length > 0 && this.#free >= this.#waiters[0]!.n) {
      const w = this.#waiters.shift()!;
      this.#free -= w.n;
      w.go();
    }
  }
}
