import type { NatsConnection } from "@nats-io/nats-core";
import type { CrmEvent } from "@app/shared/contract";
import type { Logger } from "@app/shared/log";
import { type NatsCatalog, publishEvent } from "@app/shared/nats";
import { EVENT_SUBJECT_KEY } from "./state/model.ts";

interface Entry {
  event: CrmEvent;
  done: () => void;
}

/** Publishes at most this many events at once; JetStream keeps one connection's order. */
const WINDOW = 256;

/**
 * The CRM's transactional outbox: events of committed changes are published to JetStream in
 * order, retried with backoff until the stream has them. The envelope id is the `Nats-Msg-Id`,
 * so a batch retried after a partial failure is deduplicated by the stream.
 */
export class EventOutbox {
  #queue: Entry[] = [];
  #pump?: Promise<void>;
  #stopped = false;
  #wake?: () => void;
  #published = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly catalog: NatsCatalog,
    private readonly logger: Logger,
  ) {}

  /** Queues events; resolves once the stream has all of them (or the outbox stopped and kept them). */
  publish(events: readonly CrmEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const last = new Promise<void>((resolve) => {
      events.forEach((event, i) => this.#queue.push({ event, done: i === events.length - 1 ? resolve : () => {} }));
    });
    if (!this.#stopped) this.#pump ??= this.#run().finally(() => (this.#pump = undefined));
    else this.#releaseAll();
    return last;
  }

  /** Events not yet in the stream (kept in snapshots). */
  pending(): CrmEvent[] {
    return this.#queue.map((e) => e.event);
  }

  /** How many events reached the stream since start. */
  get publishedCount(): number {
    return this.#published;
  }

  /** Tries to publish what is queued for up to `graceMs`, then stops; the rest stays in {@link pending}. */
  async stop(graceMs = 2_000): Promise<void> {
    if (this.#pump) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.#pump, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    this.#stopped = true;
    this.#wake?.();
    await this.#pump;
    this.#releaseAll();
  }

  #releaseAll(): void {
    for (const e of this.#queue) e.done();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#queue.length > 0 && !this.#stopped) {
      const batch = this.#queue.slice(0, WINDOW);
      const results = await Promise.allSettled(
        batch.map((e) => publishEvent(this.nc, this.catalog.subjects.crm[EVENT_SUBJECT_KEY[e.event.type]], e.event)),
      );
      const failed = results.find((r) => r.status === "rejected");
      if (!failed) {
        this.#queue.splice(0, batch.length);
        this.#published += batch.length;
        for (const e of batch) e.done();
        failures = 0;
        continue;
      }
      failures++;
      const delay = Math.min(5_000, 100 * 2 ** failures);
      this.logger.warn("publishing CRM events failed; retrying", { error: failed.reason, delayMs: delay });
      await this.#sleep(delay);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}
