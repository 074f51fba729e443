import { AuthClient } from "@app/shared/auth";
import type { CountryCode } from "@app/shared/normalize";
import { publishEvent } from "@app/shared/nats";
import { launchService, runMain, type RunningService } from "@app/shared/runtime";
import { CrmNats } from "./adapters/crm_nats.ts";
import { DecisionStorePg } from "./adapters/decision_store_pg.ts";
import { askLinkEvidence } from "./adapters/link_evidence_nats.ts";
import { ReportStorePg } from "./adapters/report_store_pg.ts";
import { mountDedupeRoutes } from "./app.ts";
import { type DedupeConfig, loadDedupeConfig } from "./config.ts";
import { schema } from "./db/schema.ts";
import { DecisionService } from "./decisions/decide.ts";
import { ScanRunner } from "./scans/run_scan.ts";
import { startScanScheduler } from "./scans/scheduler.ts";

/** Starts dedupe: migrations, NATS topology, the scan scheduler, HTTP. */
export function startDedupe(config: DedupeConfig): Promise<RunningService> {
  return launchService({
    service: "dedupe",
    version: "1.0.0",
    description: "Finds duplicate contacts and appointments and applies the user's decisions.",
    config,
    schema,
    migrationsFolder: new URL("./drizzle", import.meta.url).pathname,
    streams: (c) => [c.streams.crmEvents, c.streams.dedupeReports, c.streams.deadLetters],
    wire: ({ nc, catalog, database, logger }, app) => {
      const reports = new ReportStorePg(database.db);
      const decisions = new DecisionStorePg(database.db);
      const crm = new CrmNats(nc, catalog, config.CRM_TIMEOUT_MS);
      const runner = new ScanRunner({
        store: reports,
        crm,
        links: (tenantId) => askLinkEvidence(nc, catalog, tenantId, { timeoutMs: config.LINKS_TIMEOUT_MS, logger }),
        publish: async (event) => void await publishEvent(nc, catalog.subjects.dedupe.reportPublished, event),
        settings: {
          threshold: config.MATCH_THRESHOLD,
          country: config.DEFAULT_COUNTRY as CountryCode,
          intervalMs: config.SCAN_INTERVAL_MS,
        },
        logger,
      });
      const auth = new AuthClient(nc, catalog);
      const scheduler = startScanScheduler({
        store: reports,
        runner,
        tenants: async () => [...new Set((await auth.syncableUsers()).map((u) => u.tenantId))],
        intervalMs: config.SCAN_INTERVAL_MS,
        checkMs: config.SCAN_CHECK_MS,
        logger,
      });
      const decide = new DecisionService({ reports, decisions, crm, undoWindowMs: config.UNDO_WINDOW_MS, logger });
      mountDedupeRoutes(app, { nc, catalog, reports, decisions, runner, decide });
      return { stops: [() => scheduler.stop(), () => runner.drain()] };
    },
  });
}

if (import.meta.main) await runMain("dedupe", loadDedupeConfig, startDedupe);
