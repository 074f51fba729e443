import { connect, type NatsConnection } from "@nats-io/transport-node";
import { UpstreamError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";

/** Options for {@link connectNats}. */
export interface ConnectNatsOptions {
  url: string;
  /** Client name shown by the server (`nats server report connections`). */
  name: string;
  logger: Logger;
  /** How long to keep trying the first connection before giving up. */
  firstConnectTimeoutMs?: number;
}

/**
 * Connects to NATS and keeps reconnecting for ever once connected; logs status changes.
 * Fails with an {@link UpstreamError} that says what to do if the first connection cannot be made.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const deadline = Date.now() + (options.firstConnectTimeoutMs ?? 15_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const nc = await connect({
        servers: options.url.split(","),
        name: options.name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        pingInterval: 5_000,
        maxPingOut: 2,
      });
      watchStatus(nc, options.logger);
      return nc;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new UpstreamError(
    "nats_unreachable",
    `cannot reach NATS at ${options.url}: start nats-server with JetStream (-js) or set NATS_URL`,
    { cause: lastError },
  );
}

async function watchStatus(nc: NatsConnection, logger: Logger): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === "disconnect" || s.type === "reconnect" || s.type === "error") {
      logger.warn("nats status", { status: s.type, server: "server" in s ? s.server : undefined });
    }
  }
}
