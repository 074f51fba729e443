import { Logger } from "@app/shared/log";
import { connectNats, ensureTopology, type NatsCatalog, natsCatalog } from "@app/shared/nats";
import { pingNats, serveHttp, stopAll } from "@app/shared/runtime";
import { buildAdminApp } from "./admin/app.ts";
import { CrmSimulatorState } from "./core.ts";
import { EventOutbox } from "./outbox.ts";
import { crmRpcHandlers } from "./rpc/handlers.ts";
import { serveCrmRpc } from "./rpc/serve.ts";
import { readSnapshotFile, SnapshotFile } from "./snapshot_file.ts";
import { toSnapshot } from "./state/snapshot.ts";
import { CrmStore } from "./state/store.ts";

/** Options of {@link startCrmSimulator}. */
export interface CrmSimulatorOptions {
  natsUrl: string;
  /** Prefix of every subject and stream (`natsCatalog(prefix)`); tests use their own. */
  natsPrefix: string;
  /** Port of the admin HTTP surface; 0 picks a free one. */
  port: number;
  host?: string;
  /** When set, state is loaded from this JSON file at start and saved to it after changes and at stop. */
  snapshotPath?: string;
  logger?: Logger;
  /** The clock records are stamped with (`updatedAt`). */
  now?: () => Date;
}

/** A running simulator. */
export interface RunningCrmSimulator {
  /** Base URL of the admin surface, e.g. `http://127.0.0.1:8090`. */
  url: string;
  /** The catalogue it serves and publishes on. */
  catalog: NatsCatalog;
  /** In-process access to records, faults and the request log. */
  state: CrmSimulatorState;
  /** Stops answering, publishes what it can of pending events, saves the snapshot, drains NATS. */
  stop(): Promise<void>;
}

/**
 * Starts the CRM simulator: ensures the CRM event stream, answers every `crm.rpc.*` subject,
 * publishes change events, and serves the admin surface.
 */
export async function startCrmSimulator(o: CrmSimulatorOptions): Promise<RunningCrmSimulator> {
  const logger = o.logger ?? new Logger("crm-simulator");
  const catalog = natsCatalog(o.natsPrefix);
  const nc = await connectNats({ url: o.natsUrl, name: "crm-simulator", logger });
  try {
    await ensureTopology(nc, [catalog.streams.crmEvents]);
    const store = new CrmStore(o.now);
    const outbox = new EventOutbox(nc, catalog, logger);
    let snapshot: SnapshotFile | undefined;
    if (o.snapshotPath) {
      const loaded = await readSnapshotFile(o.snapshotPath);
      if (loaded) {
        store.load(loaded.tenants);
        void outbox.publish(loaded.pendingEvents);
        logger.info("snapshot loaded", { path: o.snapshotPath, tenants: loaded.tenants.length });
      }
      snapshot = new SnapshotFile(o.snapshotPath, () => toSnapshot(store.all(), outbox.pending(), new Date()), logger);
    }
    const state = new CrmSimulatorState(store, outbox, () => snapshot?.schedule());
    const subscriptions = serveCrmRpc({ nc, catalog, state, handlers: crmRpcHandlers(state), logger });
    await nc.flush(); // the subscriptions are known to the server before anyone is told we are up
    const app = buildAdminApp({ state, logger, readiness: [{ name: "nats", check: () => pingNats(nc) }] });
    const http = serveHttp(app.fetch, { host: o.host ?? "127.0.0.1", port: o.port, logger });
    return {
      url: http.url,
      catalog,
      state,
      stop: () =>
        stopAll([
          () => subscriptions.forEach((s) => s.unsubscribe()),
          () => outbox.stop(),
          () => http.shutdown(),
          () => snapshot?.stop(),
          () => nc.drain(),
        ]),
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
