import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { ConsumerSpec, NatsCatalog } from "./catalog.ts";

/** One durable consumer's backlog and the dead letters it produced, as the server counts them. */
export interface ConsumerBacklog {
  consumer: string;
  stream: string;
  /** Messages on the stream the consumer has not been handed yet. */
  pending: number;
  /** Messages handed out and not yet acknowledged. */
  ackPending: number;
  /** Messages of this consumer held in the dead-letter stream (kept 30 days), across every replica. */
  deadLetters: number;
}

/**
 * Asks the server for each consumer's backlog and its dead letters (one consumer info each, one
 * stream info for the dead-letter stream). Counts come from NATS, so they hold across replicas and
 * restarts; throws when NATS does not answer within `timeoutMs`.
 */
export async function readConsumerBacklog(
  nc: NatsConnection,
  catalog: NatsCatalog,
  consumers: ConsumerSpec[],
  timeoutMs = 2_000,
): Promise<ConsumerBacklog[]> {
  const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
  let dead: Record<string, number> = {};
  try {
    const info = await jsm.streams.info(catalog.streams.deadLetters.name, {
      subjects_filter: catalog.streams.deadLetters.subjects[0]!, // per-subject counts: one per consumer
    });
    dead = info.state.subjects ?? {};
  } catch (err) {
    if (!/not found/i.test(String(err))) throw err; // no dead-letter stream yet: none
  }
  return await Promise.all(consumers.map(async (spec) => {
    const info = await jsm.consumers.info(spec.stream.name, spec.durable);
    return {
      consumer: spec.durable,
      stream: spec.stream.name,
      pending: info.num_pending,
      ackPending: info.num_ack_pending,
      deadLetters: dead[catalog.subjects.deadLetter(spec)] ?? 0,
    };
  }));
}
