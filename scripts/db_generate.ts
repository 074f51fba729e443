// `deno task db:generate`: drizzle-kit generates each service's migrations from its schema (the task
// runner has no shell loops). Extra arguments go to drizzle-kit, e.g. `--name add_column`.
const services = ["auth", "contacts-sync", "calendar-sync", "dedupe"];
const root = new URL("..", import.meta.url).pathname;
for (const service of services) {
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "npm:drizzle-kit@0.31.11",
      "generate",
      "--config",
      `services/${service}/drizzle.config.ts`,
      ...Deno.args,
    ],
    cwd: root,
  }).spawn().status;
  if (!success) Deno.exit(1);
}
