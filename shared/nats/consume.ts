import { type Consumer, type ConsumerMessages, jetstream, type JsMsg } from "@nats-io/jetstream";
import { headers as natsHeaders, type NatsConnection } from "@nats-io/nats-core";
import type { z } from "zod";
import { AppError, isRetryable, ValidationError } from "../errors/mod.ts";
import { type Logger, withLogContext } from "../log/mod.ts";
import type { ConsumerSpec } from "./catalog.ts";

/** Headers a dead-lettered message carries besides its original body. */
export const DEAD_LETTER_HEADERS = {
  reason: "Dead-Letter-Reason",
  code: "Dead-Letter-Code",
  stream: "Dead-Letter-Stream",
  consumer: "Dead-Letter-Consumer",
  subject: "Dead-Letter-Subject",
  sequence: "Dead-Letter-Sequence",
  deliveries: "Dead-Letter-Deliveries",
} as const;

/** What a handler learns about the message besides its parsed body. */
export interface MessageMeta {
  subject: string;
  streamSequence: number;
  deliveryCount: number;
  /** Tells the server the message is still being worked on (resets its ack wait). */
  working(): void;
}

/** Options for {@link startConsumer}. */
export interface ConsumeOptions<S extends z.ZodType> {
  nc: NatsConnection;
  consumer: ConsumerSpec;
  /** Subject dead letters go to (from the catalogue). */
  deadLetterSubject: string;
  schema: S;
  handler: (message: z.output<S>, meta: MessageMeta) => Promise<void>;
  logger: Logger;
  /** Delay before the n-th redelivery of a failed message when the error gives none. */
  backoffMs?: (deliveryCount: number) => number;
  /** Messages pulled at a time. */
  batch?: number;
  /**
   * Messages handled at once (default 1: in order). Only for handlers whose messages commute, e.g.
   * ones that record a change and ask for a run: a serial loop caps a replica at one handler's
   * round trips per message (P8).
   */
  concurrency?: number;
}

/** A running consumer; `stop()` finishes the messages in hand and returns. */
export interface RunningConsumer {
  stop(): Promise<void>;
  /** Settles when the loop has ended. */
  done: Promise<void>;
}

const defaultBackoff = (n: number) => Math.min(30_000, 250 * 2 ** Math.max(0, n - 1));

/**
 * Pulls from a durable consumer and hands each message, parsed with `schema`, to `handler`:
 * success → ack; {@link RetryableError} or an unexpected error → nak with a delay (retry);
 * malformed message, {@link ValidationError} or too many deliveries → dead letter with the
 * reason in headers, then term. A dead letter that cannot be published is retried (up to the
 * server's delivery cap, {@link serverMaxDeliver}).
 */
export async function startConsumer<S extends z.ZodType>(options: ConsumeOptions<S>): Promise<RunningConsumer> {
  const js = jetstream(options.nc);
  const consumer: Consumer = await js.consumers.get(options.consumer.stream.name, options.consumer.durable);
  const limit = Math.max(1, options.concurrency ?? 1);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: Math.max(options.batch ?? 16, limit) });
  const inFlight = new Set<Promise<void>>();
  const done = (async () => {
    for await (const m of messages) {
      const handled: Promise<void> = handleOne(m, options)
        .catch((err) => options.logger.error("handling a message failed", { error: err }))
        .finally(() => inFlight.delete(handled));
      inFlight.add(handled);
      if (inFlight.size >= limit) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  })();
  return {
    done,
    async stop() {
      await messages.close();
      await Promise.all(inFlight);
      await done;
    },
  };
}

async function handleOne<S extends z.ZodType>(m: JsMsg, o: ConsumeOptions<S>): Promise<void> {
  const meta: MessageMeta = {
    subject: m.subject,
    streamSequence: m.info.streamSequence,
    deliveryCount: m.info.deliveryCount,
    working: () => m.working(),
  };
  const log = o.logger.child({ consumer: o.consumer.durable, subject: m.subject, seq: meta.streamSequence });
  let body: unknown;
  try {
    body = m.json();
  } catch {
    return deadLetter(m, o, "malformed_json", "message body is not JSON", log);
  }
  const parsed = o.schema.safeParse(body);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    return deadLetter(m, o, "invalid_message", reason, log);
  }
  const msgId = typeof (body as { id?: unknown }).id === "string" ? (body as { id: string }).id : undefined;
  try {
    await withLogContext({ msgId }, () => o.handler(parsed.data, meta));
    m.ack();
  } catch (err) {
    if (err instanceof ValidationError) return deadLetter(m, o, err.code, err.message, log);
    if (meta.deliveryCount >= o.consumer.maxDeliver) {
      const code = err instanceof AppError ? err.code : "handler_failed";
      return deadLetter(m, o, code, `gave up after ${meta.deliveryCount} deliveries: ${messageOf(err)}`, log);
    }
    const delay = isRetryable(err) ? err.retryAfterMs : (o.backoffMs ?? defaultBackoff)(meta.deliveryCount);
    log.warn("message handling failed; will retry", { error: err, delayMs: delay, deliveries: meta.deliveryCount });
    m.nak(delay);
  }
}

async function deadLetter<S extends z.ZodType>(
  m: JsMsg,
  o: ConsumeOptions<S>,
  code: string,
  reason: string,
  log: Logger,
): Promise<void> {
  const h = natsHeaders();
  h.set(DEAD_LETTER_HEADERS.reason, reason.slice(0, 1_000).replace(/[\r\n]+/g, " "));
  h.set(DEAD_LETTER_HEADERS.code, code);
  h.set(DEAD_LETTER_HEADERS.stream, o.consumer.stream.name);
  h.set(DEAD_LETTER_HEADERS.consumer, o.consumer.durable);
  h.set(DEAD_LETTER_HEADERS.subject, m.subject);
  h.set(DEAD_LETTER_HEADERS.sequence, String(m.info.streamSequence));
  h.set(DEAD_LETTER_HEADERS.deliveries, String(m.info.deliveryCount));
  try {
    await jetstream(o.nc).publish(o.deadLetterSubject, m.data, {
      headers: h,
      msgID: `${o.consumer.stream.name}:${o.consumer.durable}:${m.info.streamSequence}`,
    });
    log.error("message dead-lettered", { code, reason });
    // A bare +TERM: nats-server 2.9 ignores `+TERM <reason>` and would redeliver the message
    // forever; the reason travels in the dead letter's headers instead.
    m.term();
  } catch (err) {
    log.error("dead-lettering failed; will retry", { error: err });
    m.nak(5_000);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
