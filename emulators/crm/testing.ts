// Helpers for the simulator's own tests: one simulator on a NATS prefix of the test's own, a client
// to call it, and the events in its stream. Not exported from mod.ts.
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { type CrmEvent, crmRpc, type CrmRpcName } from "@app/shared/contract";
import { Logger } from "@app/shared/log";
import { callRpc, type NatsCatalog } from "@app/shared/nats";
import { connectTestNats, deleteTestStreams, testInfra, testNatsPrefix } from "@app/shared/testing";
import type { z } from "zod";
import { CrmAdminClient } from "./admin_client.ts";
import { type RunningCrmSimulator, startCrmSimulator } from "./simulator.ts";

/** A simulator started for one test, and what the test talks to it with. */
export interface SimulatorFixture {
  sim: RunningCrmSimulator;
  admin: CrmAdminClient;
  nc: NatsConnection;
  catalog: NatsCatalog;
  /** Calls a request/reply subject and returns the parsed `data` (typed errors are thrown). */
  call<K extends CrmRpcName>(
    name: K,
    request: unknown,
    options?: { timeoutMs?: number },
  ): Promise<z.output<(typeof crmRpc)[K]["reply"]>>;
  /** Sends a raw body and returns the raw reply text. */
  raw(name: CrmRpcName, body: string, timeoutMs?: number): Promise<string>;
  /** Every event in the stream so far, oldest first. */
  events(): Promise<StreamedEvent[]>;
  close(): Promise<void>;
}

/** An event as JetStream stored it. */
export interface StreamedEvent {
  subject: string;
  msgId: string | undefined;
  event: CrmEvent;
}

/**
 * Starts a simulator on a fresh prefix; `close()` stops it and deletes its stream. The simulator may
 * reach NATS through another URL (a proxy) than the test's own connection.
 */
export async function startSimulatorFixture(
  label: string,
  options: { snapshotPath?: string; simulatorNatsUrl?: string } = {},
): Promise<SimulatorFixture> {
  const prefix = testNatsPrefix(label);
  const { natsUrl } = testInfra();
  const sim = await startCrmSimulator({
    natsUrl: options.simulatorNatsUrl ?? natsUrl,
    natsPrefix: prefix,
    port: 0,
    logger: new Logger("crm-simulator", "error"),
    snapshotPath: options.snapshotPath,
  });
  const nc = await connectTestNats(natsUrl);
  const catalog = sim.catalog;
  return {
    sim,
    admin: new CrmAdminClient(sim.url),
    nc,
    catalog,
    call: <K extends CrmRpcName>(name: K, request: unknown, options: { timeoutMs?: number } = {}) =>
      callRpc(nc, catalog.subjects.crm.rpc[name], request, crmRpc[name].reply as z.ZodType, options) as Promise<
        z.output<(typeof crmRpc)[K]["reply"]>
      >,
    raw: async (name, body, timeoutMs = 2_000) =>
      (await nc.request(catalog.subjects.crm.rpc[name], body, { timeout: timeoutMs })).string(),
    events: () => streamEvents(nc, catalog),
    async close() {
      await sim.stop();
      await deleteTestStreams(nc, prefix);
      await nc.drain();
    },
  };
}

/** Reads every message of the CRM event stream. */
export async function streamEvents(nc: NatsConnection, catalog: NatsCatalog): Promise<StreamedEvent[]> {
  const jsm = await jetstreamManager(nc);
  const name = catalog.streams.crmEvents.name;
  const info = await jsm.streams.info(name);
  const out: StreamedEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(name, { seq });
    if (!m) continue;
    out.push({ subject: m.subject, msgId: m.header?.get("Nats-Msg-Id"), event: m.json<CrmEvent>() });
  }
  return out;
}

/** A tenant `t1` with users `u1`–`u3` and group `g1` = [`u2`]. */
export async function seedSmallTenant(admin: CrmAdminClient, tenantId = "t1"): Promise<void> {
  await admin.createTenant({ id: tenantId, name: "Immobilien Test GmbH" });
  for (const [id, displayName] of [["u1", "Anna Berger"], ["u2", "Luca Ferri"], ["u3", "Jonas Roth"]]) {
    await admin.createUser(tenantId, { id: id!, displayName: displayName! });
  }
  await admin.createGroup(tenantId, { id: "g1", name: "Vertrieb", memberIds: ["u2"] });
}

/** A fresh idempotency key. */
export const newKey = () => `key-${crypto.randomUUID()}`;
