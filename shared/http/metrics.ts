import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import client from "prom-client";
import type { ConsumerBacklog } from "../nats/backlog.ts";

/** A service's Prometheus registry with the HTTP metrics every service exports. */
export class ServiceMetrics {
  readonly registry = new client.Registry();
  readonly httpRequests: client.Counter<"method" | "route" | "status">;
  readonly httpDuration: client.Histogram<"method" | "route">;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    client.collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
    this.httpRequests = new client.Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by route and status.",
      labelNames: ["method", "route", "status"],
      registers: [this.registry],
    });
    this.httpDuration = new client.Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer HTTP requests.",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  /** A counter registered on this service's registry. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): client.Counter<L> {
    return new client.Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge registered on this service's registry. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): client.Gauge<L> {
    return new client.Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** A histogram registered on this service's registry. */
  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets?: number[],
  ): client.Histogram<L> {
    return new client.Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /**
   * Exports each NATS consumer's backlog and dead letters, read from the server at every scrape
   * (`nats_consumer_pending_messages`, `nats_consumer_ack_pending_messages`, `nats_dead_letters`).
   * While NATS does not answer, the three are left out of the scrape rather than reported stale.
   */
  watchConsumers(read: () => Promise<ConsumerBacklog[]>): void {
    let last: { at: number; value: Promise<ConsumerBacklog[] | undefined> } | undefined;
    // One read serves the three gauges of a scrape.
    const snapshot = () => {
      if (!last || performance.now() - last.at > 500) {
        last = { at: performance.now(), value: read().catch(() => undefined) };
      }
      return last.value;
    };
    const gauge = (name: string, help: string, pick: (b: ConsumerBacklog) => number) =>
      new client.Gauge({
        name,
        help,
        labelNames: ["consumer", "stream"],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const b of (await snapshot()) ?? []) this.set({ consumer: b.consumer, stream: b.stream }, pick(b));
        },
      });
    gauge("nats_consumer_pending_messages", "Messages waiting for this consumer (backlog).", (b) => b.pending);
    gauge("nats_consumer_ack_pending_messages", "Messages handed out and not yet acknowledged.", (b) => b.ackPending);
    gauge(
      "nats_dead_letters",
      "This consumer's messages held in the dead-letter stream (30 days).",
      (b) => b.deadLetters,
    );
  }

  /** Counts and times every request by its route pattern (not the raw path, which holds ids). */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const start = performance.now();
      try {
        await next();
      } finally {
        const route = routePath(c) || "unmatched";
        this.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
        this.httpDuration.observe({ method: c.req.method, route }, (performance.now() - start) / 1000);
      }
    };
  }

  /** The exposition text for `/metrics`. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
