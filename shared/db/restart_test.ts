// A service's pool lives through Postgres restarts with transactions and reserved sessions in
// flight (issue 12: contacts-sync died with "Cannot read properties of null (reading 'write')").
import assert from "node:assert/strict";
import { sql as dsql } from "drizzle-orm";
import { Logger } from "../log/mod.ts";
import { startPrivatePostgres, waitFor } from "../testing/mod.ts";
import { openDatabase, pingDatabase } from "./database.ts";

const migrationsFolder = new URL("./testdata/no_migrations", import.meta.url).pathname;

Deno.test("openDatabase()'s pool survives Postgres restarting under transactions and reserved sessions", async () => {
  await using pg = await startPrivatePostgres();
  const database = await openDatabase({
    url: pg.url.replace(/\/postgres$/, "/restart"),
    service: "restart-test",
    schema: {},
    migrationsFolder,
    logger: new Logger("test", "error"),
  });
  let ok = 0;
  let stop = false;
  // The work of a busy service: drizzle transactions and advisory locks on reserved sessions.
  const workers = Array.from({ length: 9 }, async (_, i) => {
    while (!stop) {
      try {
        if (i % 3 === 0) {
          await database.db.transaction(async (tx) => {
            await tx.execute(dsql`select pg_advisory_xact_lock(${i})`);
            await tx.execute(dsql`select 1`);
          });
        } else if (i % 3 === 1) {
          const session = await database.sql.reserve();
          try {
            await session`select pg_advisory_lock(${i})`;
            await session`select pg_advisory_unlock(${i})`;
          } finally {
            session.release();
          }
        } else {
          await database.sql`select 1`;
        }
        ok++;
      } catch {
        await new Promise((r) => setTimeout(r, 5)); // refused while Postgres is down; try again
      }
    }
  });
  try {
    for (let round = 1; round <= 4; round++) {
      const before = ok;
      await waitFor(`work flowing before restart ${round}`, () => ok >= before + 50, { timeoutMs: 30_000 });
      await pg.stop();
      assert.equal(await pingDatabase(database.sql), false, "not ready while Postgres is down");
      await pg.start();
      const back = ok;
      // Reconnects within a few seconds: no connection is left stuck on bytes of its dead session.
      await waitFor(`work flowing after restart ${round}`, () => ok >= back + 50, { timeoutMs: 15_000 });
      assert.equal(await pingDatabase(database.sql), true);
    }
  } finally {
    stop = true;
    await Promise.all(workers);
    await database.close();
  }
});
