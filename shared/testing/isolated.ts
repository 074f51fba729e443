import {
  connectTestNats,
  createTestDatabase,
  deleteTestStreams,
  type TestDatabase,
  testInfra,
  testNatsPrefix,
} from "./infra.ts";

/** A database and a NATS prefix of one test's own, with the env a service starts from. */
export interface IsolatedInfra extends AsyncDisposable {
  db: TestDatabase;
  prefix: string;
  /** DATABASE_URL, NATS_URL, NATS_PREFIX, PORT=0 and LOG_LEVEL=error for a service's config. */
  env: Record<string, string>;
}

/**
 * Creates a fresh database and NATS prefix; disposing it deletes the prefix's streams and drops
 * the database (`await using infra = await isolatedInfra("label")`).
 */
export async function isolatedInfra(label: string): Promise<IsolatedInfra> {
  const db = await createTestDatabase(label);
  const prefix = testNatsPrefix(label);
  return {
    db,
    prefix,
    env: { DATABASE_URL: db.url, NATS_URL: testInfra().natsUrl, NATS_PREFIX: prefix, PORT: "0", LOG_LEVEL: "error" },
    async [Symbol.asyncDispose]() {
      const nc = await connectTestNats();
      try {
        await deleteTestStreams(nc, prefix);
      } finally {
        await nc.drain();
      }
      await db.drop();
    },
  };
}
