import assert from "node:assert/strict";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { z } from "zod";
import { makeEnvelope } from "../contract/mod.ts";
import { RetryableError, ValidationError } from "../errors/mod.ts";
import { Logger } from "../log/mod.ts";
import { captureLogs, connectTestNats, deleteTestStreams, testNatsPrefix, waitFor } from "../testing/mod.ts";
import { type ConsumerSpec, natsCatalog } from "./catalog.ts";
import { DEAD_LETTER_HEADERS, startConsumer } from "./consume.ts";
import { publishEvent } from "./publish.ts";
import { ensureTopology, serverMaxDeliver } from "./streams.ts";

const Msg = z.object({ id: z.string(), type: z.literal("crm.contact.updated"), data: z.object({ n: z.number() }) });

type Catalog = ReturnType<typeof natsCatalog>;

async function withTopology(
  fn: (nc: NatsConnection, cat: Catalog) => Promise<void>,
  consumer: (cat: Catalog) => ConsumerSpec = (cat) => cat.consumers.contactsCrmEvents,
) {
  const prefix = testNatsPrefix("consume");
  const cat = natsCatalog(prefix);
  const nc = await connectTestNats();
  try {
    await ensureTopology(nc, [cat.streams.crmEvents, cat.streams.deadLetters], [consumer(cat)]);
    await fn(nc, cat);
  } finally {
    await deleteTestStreams(nc, prefix);
    await nc.drain();
  }
}

async function deadLetters(nc: NatsConnection, stream: string) {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (m) out.push({ headers: m.header, body: new TextDecoder().decode(m.data) });
  }
  return out;
}

Deno.test("startConsumer() dead-letters a malformed message with the reason and keeps consuming", async () => {
  await withTopology(async (nc, cat) => {
    const seen: number[] = [];
    const { result: _ } = await captureLogs(async () => {
      const consumer = await startConsumer({
        nc,
        consumer: cat.consumers.contactsCrmEvents,
        deadLetterSubject: cat.subjects.deadLetter(cat.consumers.contactsCrmEvents),
        schema: Msg,
        logger: new Logger("test"),
        handler: (m) => {
          seen.push(m.data.n);
          return Promise.resolve();
        },
      });
      try {
        await nc.publish(cat.subjects.crm.contactUpdated, "{not json");
        await publishEvent(
          nc,
          cat.subjects.crm.contactUpdated,
          { id: "m-bad", type: "crm.contact.updated", data: {} } as never,
        );
        await publishEvent(nc, cat.subjects.crm.contactUpdated, makeEnvelope("crm.contact.updated", 1, "t1", { n: 7 }));
        await waitFor("good message handled", () => seen.includes(7));
        await waitFor(
          "two dead letters",
          async () => (await deadLetters(nc, cat.streams.deadLetters.name)).length === 2,
        );
      } finally {
        await consumer.stop();
      }
    });
    const dl = await deadLetters(nc, cat.streams.deadLetters.name);
    const reasons = dl.map((d) => d.headers?.get(DEAD_LETTER_HEADERS.reason) ?? "");
    assert.equal(dl[0]!.headers?.get(DEAD_LETTER_HEADERS.code), "malformed_json");
    assert.equal(dl[0]!.body, "{not json");
    assert.match(reasons[1]!, /data\.n/, "reason names the bad field");
    assert.equal(dl[1]!.headers?.get(DEAD_LETTER_HEADERS.subject), cat.subjects.crm.contactUpdated);
    assert.deepEqual(seen, [7]);
  });
});

Deno.test("startConsumer() redelivers after the delay a retryable handler error asks for", async () => {
  await withTopology(async (nc, cat) => {
    const attempts: number[] = [];
    await captureLogs(async () => {
      const consumer = await startConsumer({
        nc,
        consumer: cat.consumers.contactsCrmEvents,
        deadLetterSubject: cat.subjects.deadLetter(cat.consumers.contactsCrmEvents),
        schema: Msg,
        logger: new Logger("test"),
        handler: () => {
          attempts.push(Date.now());
          if (attempts.length === 1) throw new RetryableError("CRM busy", 700);
          return Promise.resolve();
        },
      });
      try {
        await publishEvent(nc, cat.subjects.crm.contactUpdated, makeEnvelope("crm.contact.updated", 1, "t1", { n: 1 }));
        await waitFor("second attempt", () => attempts.length === 2, { timeoutMs: 5_000 });
      } finally {
        await consumer.stop();
      }
    });
    const gap = attempts[1]! - attempts[0]!;
    assert.ok(gap >= 650, `redelivered after ${gap} ms, expected the 700 ms delay`);
    const info = await (await jetstreamManager(nc)).consumers.info(cat.streams.crmEvents.name, "contacts-sync-crm");
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
  });
});

Deno.test("startConsumer() dead-letters a handler's validation error at once and after too many failures", async () => {
  await withTopology(async (nc, cat) => {
    const spec = { ...cat.consumers.contactsCrmEvents, maxDeliver: 2 };
    let calls = 0;
    await captureLogs(async () => {
      const consumer = await startConsumer({
        nc,
        consumer: spec,
        deadLetterSubject: cat.subjects.deadLetter(spec),
        schema: Msg,
        logger: new Logger("test"),
        backoffMs: () => 50,
        handler: (m) => {
          calls++;
          if (m.data.n === 1) {
            throw new ValidationError("contact: emails.0: bad", [{ path: "emails.0", message: "bad" }]);
          }
          throw new Error("database down");
        },
      });
      try {
        await publishEvent(nc, cat.subjects.crm.contactUpdated, makeEnvelope("crm.contact.updated", 1, "t1", { n: 1 }));
        await publishEvent(nc, cat.subjects.crm.contactUpdated, makeEnvelope("crm.contact.updated", 1, "t1", { n: 2 }));
        await waitFor(
          "two dead letters",
          async () => (await deadLetters(nc, cat.streams.deadLetters.name)).length === 2,
        );
      } finally {
        await consumer.stop();
      }
    });
    const dl = await deadLetters(nc, cat.streams.deadLetters.name);
    const byCode = Object.fromEntries(dl.map((d) => [d.headers?.get(DEAD_LETTER_HEADERS.code), d]));
    assert.ok(byCode["validation_failed"], "validation error dead-lettered");
    assert.match(
      byCode["handler_failed"]!.headers!.get(DEAD_LETTER_HEADERS.reason),
      /gave up after 2 deliveries: database down/,
    );
    assert.equal(calls, 3, "validation error once, the failing message twice");
  });
});

// A short ack wait makes a message the server still holds as unsettled come back within a second.
const quickRedelivery = (cat: Catalog): ConsumerSpec => ({ ...cat.consumers.contactsCrmEvents, ackWaitMs: 300 });

async function consumerState(nc: NatsConnection, spec: ConsumerSpec) {
  return await (await jetstreamManager(nc)).consumers.info(spec.stream.name, spec.durable);
}

Deno.test("startConsumer() dead-letters a poison message once and NATS 2.9 delivers it no more", async () => {
  await withTopology(async (nc, cat) => {
    const spec = quickRedelivery(cat);
    const deliveries: string[] = [];
    await captureLogs(async () => {
      const consumer = await startConsumer({
        nc,
        consumer: spec,
        deadLetterSubject: cat.subjects.deadLetter(spec),
        schema: Msg,
        logger: new Logger("test"),
        handler: (m) => {
          deliveries.push(m.id);
          return Promise.resolve();
        },
      });
      try {
        await nc.publish(cat.subjects.crm.contactUpdated, "{poison");
        await publishEvent(nc, cat.subjects.crm.contactUpdated, makeEnvelope("crm.contact.updated", 1, "t1", { n: 1 }));
        await waitFor("the sentinel behind the poison handled", () => deliveries.length === 1);
        // Nothing left unsettled on the server: the poison was terminated, not just reported. An
        // ignored term leaves it pending and redelivered every 300 ms, so this never holds.
        await waitFor("no message left unsettled", async () => {
          const s = await consumerState(nc, spec);
          return s.num_ack_pending === 0 && s.num_pending === 0;
        });
      } finally {
        await consumer.stop();
      }
    });
    const state = await consumerState(nc, spec);
    assert.equal(state.num_redelivered, 0, "nothing was redelivered");
    assert.equal(state.delivered.consumer_seq, 2, "two deliveries: the poison and the sentinel");
    const dl = await deadLetters(nc, cat.streams.deadLetters.name);
    assert.deepEqual(dl.map((d) => d.body), ["{poison"], "dead-lettered once");
  }, quickRedelivery);
});

Deno.test("ensureConsumer() caps deliveries on the server: a message no client settles stops coming back", async () => {
  await withTopology(async (nc, cat) => {
    const spec = { ...quickRedelivery(cat), maxDeliver: 1 };
    await ensureTopology(nc, [], [spec]); // an existing consumer is updated to the cap
    assert.equal((await consumerState(nc, spec)).config.max_deliver, serverMaxDeliver(spec));
    await publishEvent(nc, cat.subjects.crm.contactUpdated, makeEnvelope("crm.contact.updated", 1, "t1", { n: 1 }));
    const pull = await jetstream(nc).consumers.get(spec.stream.name, spec.durable);
    let deliveries = 0;
    // Pull and never settle: the server redelivers after each ack wait until its cap, then stops.
    await waitFor("the server to give the message up", async () => {
      if (await pull.next({ expires: 1_000 })) deliveries++;
      const s = await consumerState(nc, spec);
      return deliveries > 0 && s.num_ack_pending === 0 && s.num_pending === 0;
    }, { timeoutMs: 20_000 });
    assert.equal(deliveries, serverMaxDeliver(spec));
  });
});
