// Operator CLI for tenants and their API keys (`deno task tenant --help`). It talks to auth's
// database directly (DATABASE_URL) and prints JSON; a new key is shown once.
import { parseArgs } from "node:util";
import { ConflictPolicySchema, TenantIdSchema } from "@app/shared/contract";
import { openDatabase } from "@app/shared/db";
import { Logger } from "@app/shared/log";
import { TenantStore } from "./adapters/tenant_store.ts";
import { loadAuthConfig } from "./config.ts";
import { schema } from "./db/schema.ts";

/** The CLI's help text. */
export const USAGE = `usage: deno task tenant <command> [options]

  create --id <id> --name <name> [--enable]   a tenant and its first API key (shown once)
  rotate-key --id <id> [--revoke-others]      a new API key; --revoke-others stops every older one
  enable --id <id> | disable --id <id>        switch the tenant's Microsoft 365 sync on or off (A8)
  configure --id <id> [--conflict-policy crm-wins|outlook-wins] [--first-sync-confirmation on|off]
            [--calendar-attendees on|off]     what the tenant may also choose itself (C9, A10, E10)
  list                                        every tenant
  --help                                      this text

DATABASE_URL names auth's database (default postgres://postgres@127.0.0.1:5432/crmsync).`;

const COMMANDS = new Set(["create", "rotate-key", "enable", "disable", "configure", "list"]);

/** A command line the CLI refuses, with the usage. */
export class UsageError extends Error {}

/** Runs one CLI command; `--help` answers the usage without touching the database. */
export async function runTenantCli(argv: string[], env: Record<string, string | undefined>): Promise<unknown> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h", default: false },
        id: { type: "string" },
        name: { type: "string" },
        enable: { type: "boolean", default: false },
        "revoke-others": { type: "boolean", default: false },
        "conflict-policy": { type: "string" },
        "first-sync-confirmation": { type: "string" },
        "calendar-attendees": { type: "string" },
      },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : err}\n\n${USAGE}`);
  }
  const { positionals, values } = parsed;
  const command = positionals[0];
  if (values.help || command === "help") return USAGE;
  if (!command || !COMMANDS.has(command) || positionals.length > 1) {
    throw new UsageError(`${command ? `unknown command: ${positionals.join(" ")}` : "no command"}\n\n${USAGE}`);
  }
  // Every argument is checked before the database is opened.
  const parsedId = TenantIdSchema.safeParse(values.id);
  if (command !== "list" && !parsedId.success) {
    throw new UsageError(`--id: ${values.id === undefined ? "required" : "invalid"}\n\n${USAGE}`);
  }
  const id = parsedId.data!;
  if (command === "create" && !values.name) throw new UsageError(`--name is required\n\n${USAGE}`);
  const patch = command === "configure" ? configurePatch(values) : undefined;

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
  try {
    switch (command) {
      case "create": {
        const { tenant, apiKey } = await store.create({ id, name: values.name!, syncEnabled: values.enable });
        return { tenant, apiKey, note: "store the API key now: it is not shown again" };
      }
      case "rotate-key":
        return { tenantId: id, apiKey: await store.rotateKey(id, values["revoke-others"]) };
      case "enable":
      case "disable":
        return { tenant: await store.update(id, { syncEnabled: command === "enable" }) };
      case "configure":
        return { tenant: await store.update(id, patch!) };
      default:
        return { tenants: await store.list() };
    }
  } finally {
    await database.close();
  }
}

type ConfigureFlags = {
  "conflict-policy"?: string;
  "first-sync-confirmation"?: string;
  "calendar-attendees"?: string;
};

function configurePatch(values: ConfigureFlags) {
  const policy = values["conflict-policy"];
  if ([policy, values["first-sync-confirmation"], values["calendar-attendees"]].every((v) => v === undefined)) {
    throw new UsageError(
      `configure: give --conflict-policy, --first-sync-confirmation and/or --calendar-attendees\n\n${USAGE}`,
    );
  }
  const parsedPolicy = policy === undefined ? undefined : ConflictPolicySchema.safeParse(policy);
  if (parsedPolicy && !parsedPolicy.success) {
    throw new UsageError(`--conflict-policy: crm-wins or outlook-wins, not ${policy}\n\n${USAGE}`);
  }
  const confirmation = onOff(values, "first-sync-confirmation");
  const attendees = onOff(values, "calendar-attendees");
  return {
    ...(parsedPolicy ? { conflictPolicy: parsedPolicy.data } : {}),
    ...(confirmation !== undefined ? { firstSyncNeedsConfirmation: confirmation } : {}),
    ...(attendees !== undefined ? { calendarAttendees: attendees } : {}),
  };
}

/** An `on|off` flag as a boolean; `undefined` when not given. */
function onOff(values: ConfigureFlags, flag: "first-sync-confirmation" | "calendar-attendees"): boolean | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  if (!/^(on|off)$/.test(v)) throw new UsageError(`--${flag}: on or off, not ${v}\n\n${USAGE}`);
  return v === "on";
}

if (import.meta.main) {
  try {
    const out = await runTenantCli(Deno.args, Deno.env.toObject());
    console.log(typeof out === "string" ? out : JSON.stringify(out, null, 2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    Deno.exit(err instanceof UsageError ? 2 : 1);
  }
}
