// Every service's /metrics shows its consumers' backlog and dead letters, counted by NATS (P5).
import assert from "node:assert/strict";
import { z } from "zod";
import { makeEnvelope } from "../contract/mod.ts";
import { ServiceMetrics } from "../http/metrics.ts";
import { Logger } from "../log/mod.ts";
import { captureLogs, connectTestNats, deleteTestStreams, testNatsPrefix, waitFor } from "../testing/mod.ts";
import { readConsumerBacklog } from "./backlog.ts";
import { natsCatalog } from "./catalog.ts";
import { startConsumer } from "./consume.ts";
import { publishEvent } from "./publish.ts";
import { ensureTopology } from "./streams.ts";

const Msg = z.object({ id: z.string(), type: z.literal("crm.contact.updated"), data: z.object({ n: z.number() }) });

Deno.test("readConsumerBacklog() and /metrics count a consumer's waiting messages and its dead letters", async () => {
  const prefix = testNatsPrefix("backlog");
  const cat = natsCatalog(prefix);
  const spec = cat.consumers.contactsCrmEvents;
  const other = cat.consumers.dedupeCrmEvents;
  const nc = await connectTestNats();
  try {
    await ensureTopology(nc, [cat.streams.crmEvents, cat.streams.deadLetters], [spec, other]);
    const metrics = new ServiceMetrics("test");
    metrics.watchConsumers(() => readConsumerBacklog(nc, cat, [spec, other]));
    const line = async (name: string, consumer: string) => {
      const text = await metrics.text();
      const m = new RegExp(`^${name}\\{consumer="${consumer}"[^}]*\\} (\\d+)$`, "m").exec(text);
      return m ? Number(m[1]) : undefined;
    };

    for (const n of [1, 2, 3]) {
      await publishEvent(nc, cat.subjects.crm.contactUpdated, makeEnvelope("crm.contact.updated", 1, "t1", { n }));
    }
    await nc.publish(cat.subjects.crm.contactUpdated, "{poison");
    assert.equal(await line("nats_consumer_pending_messages", spec.durable), 4);
    assert.equal(await line("nats_dead_letters", spec.durable), 0);

    const handled: number[] = [];
    await captureLogs(async () => {
      const consumer = await startConsumer({
        nc,
        consumer: spec,
        deadLetterSubject: cat.subjects.deadLetter(spec),
        schema: Msg,
        logger: new Logger("test"),
        handler: (m) => Promise.resolve(void handled.push(m.data.n)),
      });
      try {
        await waitFor("the backlog worked off, the poison dead-lettered", async () => {
          const [mine] = await readConsumerBacklog(nc, cat, [spec]);
          return mine!.pending === 0 && mine!.ackPending === 0 && mine!.deadLetters === 1;
        });
      } finally {
        await consumer.stop();
      }
    });
    assert.deepEqual(handled, [1, 2, 3]);
    await waitFor("the scrape to agree", async () => (await line("nats_dead_letters", spec.durable)) === 1);
    assert.equal(await line("nats_consumer_pending_messages", spec.durable), 0);
    assert.equal(await line("nats_consumer_pending_messages", other.durable), 4, "another consumer's own backlog");
    assert.equal(await line("nats_dead_letters", other.durable), 0);
  } finally {
    await deleteTestStreams(nc, prefix);
    await nc.drain();
  }
});
