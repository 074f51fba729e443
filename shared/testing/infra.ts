import postgres from "postgres";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";

/** Where the test run's Postgres and NATS are (scripts/test.ts exports these). */
export function testInfra(): { databaseUrl: string; natsUrl: string } {
  return {
    databaseUrl: Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres",
    natsUrl: Deno.env.get("NATS_URL") ?? "nats://127.0.0.1:4222",
  };
}

/** A database of its own for one test file; `drop()` removes it. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database with a unique name on the test Postgres. */
export async function createTestDatabase(label = "t"): Promise<TestDatabase> {
  const base = new URL(testInfra().databaseUrl);
  const name = `${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${crypto.randomUUID().slice(0, 8)}`;
  const admin = new URL(base);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const s = postgres(admin.toString(), { max: 1, onnotice: () => {} });
      try {
        await s.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await s.end();
      }
    },
  };
}

/** A unique NATS prefix for one test file, so its streams and subjects are its own. */
export function testNatsPrefix(label = "t"): string {
  return `${label.replace(/[^a-z0-9_]/gi, "").toLowerCase()}${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
}

/** Connects a plain client to the test NATS (for publishing, inspecting streams). */
export function connectTestNats(url = testInfra().natsUrl): Promise<NatsConnection> {
  return connect({ servers: url.split(","), name: "test" });
}

/** Deletes every stream whose name starts with the prefix's stream form, KV buckets' streams included. */
export async function deleteTestStreams(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const mine = `${prefix.toUpperCase()}_`;
  for await (const s of jsm.streams.list()) {
    const name = s.config.name;
    if (name.startsWith(mine) || name.startsWith(`KV_${mine}`)) await jsm.streams.delete(name);
  }
}

/** A TCP port free on 127.0.0.1 right now (for a process that needs its port before it starts). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
