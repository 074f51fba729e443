import { defineConfig } from "drizzle-kit";

// Only used by `deno task db:generate` to write migrations; services apply them at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./services/auth/db/schema.ts",
  out: "./services/auth/drizzle",
  schemaFilter: ["auth"],
});
