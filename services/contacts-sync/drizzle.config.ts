import { defineConfig } from "drizzle-kit";

// Only used by `deno task db:generate` to write migrations; the service applies them at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./services/contacts-sync/db/schema.ts",
  out: "./services/contacts-sync/drizzle",
  schemaFilter: ["contacts_sync"],
});
