import { defineConfig } from "drizzle-kit";

// Only used by `deno task db:generate` to write migrations; the service applies them at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./services/dedupe/db/schema.ts",
  out: "./services/dedupe/drizzle",
  schemaFilter: ["dedupe"],
});
