import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { ConsumerSpec, StreamSpec } from "./catalog.ts";

const ms = (v: number) => v * 1_000_000; // JetStream durations are nanoseconds

function isNotFound(err: unknown): boolean {
  return err instanceof Error && /not found/i.test(err.message);
}

/** Creates the stream, or updates it when it exists with other settings. Safe to call from every replica. */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  const config = {
    name: spec.name,
    subjects: spec.subjects,
    max_age: ms(spec.maxAgeMs),
    duplicate_window: ms(spec.duplicateWindowMs),
    retention: spec.retention === "workqueue" ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
  };
  try {
    const info = await jsm.streams.info(spec.name);
    const same = JSON.stringify(info.config.subjects) === JSON.stringify(spec.subjects) &&
      info.config.max_age === config.max_age && info.config.duplicate_window === config.duplicate_window;
    if (!same) await jsm.streams.update(spec.name, { ...info.config, ...config });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.streams.add(config);
    } catch (addErr) {
      // Another replica created it between our info and add.
      if (!/already in use|already exists/i.test(String(addErr))) throw addErr;
    }
  }
}

/** Deliveries the consume loop may spend on publishing a dead letter that NATS refused, after `maxDeliver`. */
export const DEAD_LETTER_ATTEMPTS = 5;

/**
 * The server's own cap on deliveries of one message: the consume loop dead-letters after
 * `spec.maxDeliver` itself, with the reason; this backstop stops redelivery even when a client
 * never settles a message (a bug, a lost term), so nothing is redelivered forever.
 */
export function serverMaxDeliver(spec: ConsumerSpec): number {
  return spec.maxDeliver + DEAD_LETTER_ATTEMPTS;
}

/** Creates the durable pull consumer (explicit acks), or updates it to match the spec. */
export async function ensureConsumer(jsm: JetStreamManager, spec: ConsumerSpec): Promise<void> {
  const config = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: ms(spec.ackWaitMs),
    max_deliver: serverMaxDeliver(spec),
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
  };
  try {
    const info = await jsm.consumers.info(spec.stream.name, spec.durable);
    if (
      info.config.filter_subject !== spec.filterSubject || info.config.ack_wait !== config.ack_wait ||
      info.config.max_deliver !== config.max_deliver
    ) {
      await jsm.consumers.update(spec.stream.name, spec.durable, config);
    }
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(spec.stream.name, config);
  }
}

/** Ensures every given stream, then every given consumer. */
export async function ensureTopology(
  nc: NatsConnection,
  streams: StreamSpec[],
  consumers: ConsumerSpec[] = [],
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const s of streams) await ensureStream(jsm, s);
  for (const c of consumers) await ensureConsumer(jsm, c);
}
