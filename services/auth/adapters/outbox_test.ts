import assert from "node:assert/strict";
import type { AuthEvent } from "@app/shared/contract";
import { openDatabase } from "@app/shared/db";
import { Logger } from "@app/shared/log";
import { natsCatalog } from "@app/shared/nats";
import { captureLogs, createTestDatabase } from "@app/shared/testing";
import { outbox, schema, users } from "../db/schema.ts";
import { TenantStore } from "./tenant_store.ts";
import { authEventSubjects, enqueueEvent, OutboxRelay } from "./outbox.ts";

Deno.test("OutboxRelay publishes in commit order, keeps what failed to publish, and never sees rolled-back events", async () => {
  const testDb = await createTestDatabase("authoutbox");
  const logger = new Logger("auth-test", "error");
  const database = await openDatabase({
    url: testDb.url,
    service: "auth",
    schema,
    migrationsFolder: new URL("../drizzle", import.meta.url).pathname,
    logger,
  });
  try {
    await captureLogs(async () => {
      const db = database.db;
      await new TenantStore(db).create({ id: "alpha", name: "Alpha" });
      await enqueueEvent(db, "auth.right.changed", "alpha", { userId: "u1", granted: true });
      await enqueueEvent(db, "auth.right.changed", "alpha", { userId: "u1", granted: false });
      await db.transaction(async (tx) => {
        await tx.insert(users).values({ tenantId: "alpha", userId: "u2", syncRight: true });
        await enqueueEvent(tx, "auth.right.changed", "alpha", { userId: "u2", granted: true });
        tx.rollback();
      }).catch(() => {});
      await enqueueEvent(db, "auth.tenant.switched", "alpha", { enabled: true });

      const published: Array<[string, AuthEvent["type"], AuthEvent["data"]]> = [];
      let failNext = true;
      const relay = new OutboxRelay({
        db,
        subjects: authEventSubjects(natsCatalog("p")),
        logger,
        publish: (subject, event) => {
          if (failNext) {
            failNext = false;
            return Promise.reject(new Error("nats down"));
          }
          const e = event as AuthEvent;
          published.push([subject, e.type, e.data]);
          return Promise.resolve();
        },
      });
      assert.equal(await relay.drainOnce(), 0, "the first publish failed: nothing is skipped past it");
      const [kept] = await db.select().from(outbox).orderBy(outbox.seq).limit(1);
      assert.equal(kept!.attempts, 1);
      assert.equal(kept!.lastError, "nats down");
      assert.equal(await relay.drainOnce(), 3);
      assert.deepEqual(published, [
        ["p.auth.right.changed", "auth.right.changed", { userId: "u1", granted: true }],
        ["p.auth.right.changed", "auth.right.changed", { userId: "u1", granted: false }],
        ["p.auth.tenant.switched", "auth.tenant.switched", { enabled: true }],
      ]);
      assert.equal((await db.select().from(outbox)).length, 0);
      assert.equal(await relay.drainOnce(), 0);
    });
  } finally {
    await database.close();
    await testDb.drop();
  }
});
