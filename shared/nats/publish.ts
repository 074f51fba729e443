import { jetstream, type PubAck } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { UpstreamError } from "../errors/mod.ts";

/** The parts of an envelope publishing needs. */
export interface Publishable {
  id: string;
  type: string;
}

/**
 * Publishes an envelope to JetStream and waits for the stream's acknowledgement. The envelope id
 * is the `Nats-Msg-Id`, so a publish retried after a crash is dropped as a duplicate.
 */
export async function publishEvent(nc: NatsConnection, subject: string, event: Publishable): Promise<PubAck> {
  try {
    return await jetstream(nc).publish(subject, JSON.stringify(event), { msgID: event.id, timeout: 5_000 });
  } catch (err) {
    throw new UpstreamError("nats_publish_failed", `publishing ${event.type} to ${subject} failed`, { cause: err });
  }
}
