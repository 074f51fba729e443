import assert from "node:assert/strict";
import postgres from "postgres";
import { createTestDatabase } from "../testing/mod.ts";
import { applyMigrations, ensureDatabaseExists } from "./database.ts";

const folders = ["auth", "contacts-sync", "calendar-sync", "dedupe"].map((s) => ({
  service: s,
  folder: new URL(`../../services/${s}/drizzle`, import.meta.url).pathname,
}));

async function snapshot(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const cols = await sql`select table_schema, table_name, column_name, data_type from information_schema.columns
      where table_schema not in ('pg_catalog','information_schema') order by 1,2,3`;
    const migrations = await sql`select table_name from information_schema.tables where table_schema = 'drizzle'`;
    const counts = [];
    for (const m of migrations) {
      counts.push(await sql.unsafe(`select count(*)::int as n from drizzle."${m.table_name}"`));
    }
    return { cols: cols.map((c) => Object.values(c).join(".")), counts: counts.map((c) => c[0]!.n) };
  } finally {
    await sql.end();
  }
}

Deno.test("applyMigrations() applied twice for every service changes nothing the second time", async () => {
  const db = await createTestDatabase("migrate");
  try {
    for (const f of folders) await applyMigrations(db.url, f.service, f.folder);
    const first = await snapshot(db.url);
    assert.ok(first.cols.some((c) => c.startsWith("auth.tenants.")), "auth tables exist");
    assert.ok(first.cols.some((c) => c.startsWith("contacts_sync.")), "contacts-sync tables exist");
    await Promise.all(folders.map((f) => applyMigrations(db.url, f.service, f.folder)));
    assert.deepEqual(await snapshot(db.url), first);
  } finally {
    await db.drop();
  }
});

Deno.test("ensureDatabaseExists() creates a missing database and tolerates an existing one", async () => {
  const db = await createTestDatabase("ensure");
  await db.drop();
  try {
    await ensureDatabaseExists(db.url);
    await ensureDatabaseExists(db.url);
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      assert.equal((await sql`select current_database() as d`)[0]!.d, db.name);
    } finally {
      await sql.end();
    }
  } finally {
    await db.drop();
  }
});
