// Operator CLI for tenants and their API keys:
//   deno task tenant create --id acme --name "Acme Immobilien" [--enable]
//   deno task tenant rotate-key --id acme [--revoke-others]
//   deno task tenant enable|disable --id acme
//   deno task tenant list
// It talks to auth's database directly (DATABASE_URL) and prints JSON; a new key is shown once.
import { parseArgs } from "node:util";
import { openDatabase } from "@app/shared/db";
import { TenantIdSchema } from "@app/shared/contract";
import { Logger } from "@app/shared/log";
import { TenantStore } from "./adapters/tenant_store.ts";
import { loadAuthConfig } from "./config.ts";
import { schema } from "./db/schema.ts";

const USAGE = "usage: tenant create --id <id> --name <name> [--enable] | rotate-key --id <id> [--revoke-others] | " +
  "enable --id <id> | disable --id <id> | list";

export async function runTenantCli(argv: string[], env: Record<string, string | undefined>): Promise<unknown> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      enable: { type: "boolean", default: false },
      "revoke-others": { type: "boolean", default: false },
    },
  });
  const command = positionals[0];
  const config = loadAuthConfig({ LOG_LEVEL: "warn", ...env });
  const database = await openDatabase({
    url: config.DATABASE_URL,
    service: "auth",
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    logger: new Logger("auth-cli", "warn"),
    maxConnections: 2,
  });
  const store = new TenantStore(database.db);
  const id = () => TenantIdSchema.parse(values.id);
  try {
    switch (command) {
      case "create": {
        if (!values.name) throw new Error(`--name is required\n${USAGE}`);
        const { tenant, apiKey } = await store.create({ id: id(), name: values.name, syncEnabled: values.enable });
        return { tenant, apiKey, note: "store the API key now: it is not shown again" };
      }
      case "rotate-key":
        return { tenantId: id(), apiKey: await store.rotateKey(id(), values["revoke-others"]) };
      case "enable":
      case "disable":
        return { tenant: await store.update(id(), { syncEnabled: command === "enable" }) };
      case "list":
        return { tenants: await store.list() };
      default:
        throw new Error(USAGE);
    }
  } finally {
    await database.close();
  }
}

if (import.meta.main) {
  try {
    console.log(JSON.stringify(await runTenantCli(Deno.args, Deno.env.toObject()), null, 2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    Deno.exit(1);
  }
}
