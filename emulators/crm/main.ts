// Runs the CRM simulator on its own: `deno run -A emulators/crm/main.ts`
// (env: NATS_URL, NATS_PREFIX, HOST, PORT default 8090, SNAPSHOT_PATH, LOG_LEVEL).
import { Logger } from "@app/shared/log";
import { runMain } from "@app/shared/runtime";
import { loadCrmSimulatorConfig } from "./config.ts";
import { startCrmSimulator } from "./simulator.ts";

if (import.meta.main) {
  await runMain("crm-simulator", loadCrmSimulatorConfig, (config) =>
    startCrmSimulator({
      natsUrl: config.NATS_URL,
      natsPrefix: config.NATS_PREFIX,
      host: config.HOST,
      port: config.PORT,
      snapshotPath: config.SNAPSHOT_PATH,
      logger: new Logger("crm-simulator", config.LOG_LEVEL),
    }));
}
