import type { Logger } from "@app/shared/log";
import type { ReportStorePg } from "../adapters/report_store_pg.ts";
import type { ScanRunner } from "./run_scan.ts";

/**
 * Runs each tenant's scan when it is due (D1: every `intervalMs`, default nightly). Tenants come
 * from `tenants()` (those with syncable users) and from earlier scans; a due tenant is claimed
 * in Postgres, so across replicas one runs it. Failures are logged; the next check tries again.
 */
export function startScanScheduler(o: {
  store: ReportStorePg;
  runner: ScanRunner;
  tenants: () => Promise<string[]>;
  intervalMs: number;
  checkMs: number;
  logger: Logger;
}): { stop(): Promise<void> } {
  let busy: Promise<void> | undefined;
  const tick = async () => {
    const tenants = await o.tenants().catch((err) => {
      o.logger.warn("tenant list unavailable; scanning known tenants", { error: err });
      return [] as string[];
    });
    const due = await o.store.claimDue(tenants, o.intervalMs, Math.max(10 * 60_000, o.checkMs));
    for (const tenantId of due) await o.runner.run(tenantId, "scheduled");
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = tick().catch((err) => o.logger.warn("scheduled scans failed", { error: err })).finally(() =>
      busy = undefined
    );
  }, o.checkMs);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
    },
  };
}
