import { defineConfig } from "drizzle-kit";

// Only used by `deno task db:generate` to write migrations; the service applies them at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./services/calendar-sync/db/schema.ts",
  out: "./services/calendar-sync/drizzle",
  schemaFilter: ["calendar_sync"],
});
