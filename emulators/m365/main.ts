// Runs the M365 emulator standalone (for the demo and manual poking):
//   deno run -A emulators/m365/main.ts [--port 8443] [--tls-dir .local/tls] [--snapshot file.json]
//                                      [--seed tenants.json] [--time-scale 1]
// Env vars HOST, PORT, TLS_DIR, TLS_EXTRA_HOSTS, M365_SNAPSHOT, M365_SEED and M365_TIME_SCALE do the same. With a
// snapshot file, state is loaded at start and saved on SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { Logger } from "@app/shared/log";
import { startM365Emulator } from "./mod.ts";
import { takeSnapshot } from "./state/snapshot.ts";
import type { TenantInput } from "./admin/schemas.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string" },
    "tls-dir": { type: "string" },
    snapshot: { type: "string" },
    seed: { type: "string" },
    "time-scale": { type: "string" },
  },
});
const env = (k: string) => Deno.env.get(k);
const log = new Logger("m365-emulator", (env("LOG_LEVEL") as "info" | undefined) ?? "info");
const port = Number(values.port ?? env("PORT") ?? 8443);
const snapshot = values.snapshot ?? env("M365_SNAPSHOT");
const seed = values.seed ?? env("M365_SEED");
const timeScale = Number(values["time-scale"] ?? env("M365_TIME_SCALE") ?? 1);

const emu = await startM365Emulator({
  port,
  hostname: env("HOST") ?? "127.0.0.1", // 0.0.0.0 in a container
  tlsDir: values["tls-dir"] ?? env("TLS_DIR") ?? ".local/tls",
  snapshotPath: snapshot,
  config: { timeScale },
  logger: log,
});
if (seed && emu.state.tenants.size === 0) {
  const tenants = JSON.parse(await Deno.readTextFile(seed)) as TenantInput[];
  for (const t of tenants) await emu.admin.createTenant(t);
}
log.info("m365 emulator listening", {
  url: emu.url,
  caPath: emu.caPath,
  trust: `DENO_CERT=${emu.caPath}`,
  tenants: emu.state.tenants.size,
  snapshot: snapshot ?? null,
});

const shutdown = async (signal: string) => {
  log.info("stopping", { signal });
  // Saved in-process: an HTTP call to ourselves could race the server's own shutdown.
  if (snapshot) {
    const snap = takeSnapshot(emu.state, emu.ctx.subscriptions.subscriptions.values());
    await Deno.writeTextFile(snapshot, JSON.stringify(snap));
  }
  await emu.stop();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", () => void shutdown("SIGINT"));
Deno.addSignalListener("SIGTERM", () => void shutdown("SIGTERM"));
